import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { AbortError, ApiError, ImagePacer, createClient, generateImages } from 'parlance/core';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ImagePacer', () => {
  test('a burst of 60 one-image requests: 50 go at once, then one every 1.2 s', async () => {
    const pacer = new ImagePacer();
    const startedAt: number[] = [];
    const all = Array.from({ length: 60 }, (_, i) =>
      pacer.acquire(1).then(() => {
        startedAt[i] = Date.now();
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(startedAt.filter((t) => t !== undefined)).toHaveLength(50);
    expect(pacer.getSnapshot().queue.map((t) => t.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pacer.getSnapshot().queue[0]!.waitMs).toBeCloseTo(1200);
    expect(pacer.getSnapshot().queue[9]!.waitMs).toBeCloseTo(12000);

    await vi.advanceTimersByTimeAsync(1199);
    expect(startedAt.filter((t) => t !== undefined)).toHaveLength(50);
    await vi.advanceTimersByTimeAsync(1);
    expect(startedAt.filter((t) => t !== undefined)).toHaveLength(51);
    expect(pacer.getSnapshot().queue[0]!.position).toBe(1);

    await vi.advanceTimersByTimeAsync(12_000);
    await Promise.all(all);
    expect(startedAt.slice(0, 50).every((t) => t === 0)).toBe(true);
    // FIFO, 1.2 s apart, never early.
    for (let i = 50; i < 60; i++) expect(startedAt[i]).toBe((i - 49) * 1200);
    expect(pacer.getSnapshot().queue).toEqual([]);
  });

  test('a configurable rate, and multi-image requests take one token per image', async () => {
    const pacer = new ImagePacer({ imagesPerMinute: 6 });
    const order: string[] = [];
    void pacer.acquire(4).then(() => order.push(`a@${Date.now()}`));
    void pacer.acquire(4).then(() => order.push(`b@${Date.now()}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['a@0']);
    // 2 tokens left, 2 more needed at 10 s each.
    expect(pacer.getSnapshot().queue[0]).toMatchObject({ position: 1, images: 4, waitMs: 20_000 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(order).toEqual(['a@0', 'b@20000']);
  });

  test('a 429 pause holds the queue for Retry-After, and subscribers see it', async () => {
    const pacer = new ImagePacer({ imagesPerMinute: 60 });
    const seen: Array<number | null> = [];
    pacer.subscribe(() => seen.push(pacer.getSnapshot().pausedUntil));
    pacer.pause(5000);
    let started = -1;
    void pacer.acquire(1).then(() => (started = Date.now()));
    await vi.advanceTimersByTimeAsync(4999);
    expect(started).toBe(-1);
    expect(pacer.getSnapshot().queue[0]!.readyAt).toBe(5000);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(5000);
    expect(seen[0]).toBe(5000);
    expect(seen.at(-1)).toBeNull();
  });

  test('aborting a waiting request removes it from the queue with AbortError', async () => {
    const pacer = new ImagePacer({ imagesPerMinute: 1, burst: 1 });
    await pacer.acquire(1);
    const controller = new AbortController();
    const waiting = pacer.acquire(1, { signal: controller.signal });
    let thirdAt = -1;
    void pacer.acquire(1).then(() => (thirdAt = Date.now()));
    await vi.advanceTimersByTimeAsync(0);
    expect(pacer.getSnapshot().queue).toHaveLength(2);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(AbortError.isInstance);
    expect(pacer.getSnapshot().queue.map((t) => t.position)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(thirdAt).toBe(60_000);
  });
});

describe('requests through the pacer', () => {
  test('a 429 with Retry-After is waited out, and it pauses the queue for everyone', async () => {
    const sentAt: number[] = [];
    let calls = 0;
    const client = createClient({
      baseUrl: 'http://x/v1',
      retry: { jitter: false },
      fetch: async () => {
        sentAt.push(Date.now());
        if (calls++ === 0) {
          return new Response(
            JSON.stringify({ error: { message: 'Rate limit', type: 'requests', code: null, param: null } }),
            {
              status: 429,
              headers: { 'retry-after': '3', 'content-type': 'application/json' },
            },
          );
        }
        return new Response(JSON.stringify({ created: 0, data: [{ url: 'https://img.example/a.png' }] }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    const pacer = new ImagePacer({ imagesPerMinute: 600 });
    const first = generateImages({ prompt: 'a' }, { client, pacer });
    await vi.advanceTimersByTimeAsync(10);
    expect(pacer.getSnapshot().pausedUntil).toBeGreaterThanOrEqual(3000);
    const queued: Array<number | null> = [];
    const second = generateImages({ prompt: 'b' }, { client, pacer, onQueue: (id) => queued.push(id) });
    await vi.advanceTimersByTimeAsync(3500);
    const [a, b] = await Promise.all([first, second]);
    expect(sentAt[0]).toBe(0);
    expect(sentAt[1]).toBeGreaterThanOrEqual(3000);
    expect(sentAt[2]).toBeGreaterThanOrEqual(3000);
    expect(queued[0]).toEqual(expect.any(Number));
    expect(queued.at(-1)).toBeNull();
    // No `created` in the reply: the hour counts from its arrival.
    expect(a.images[0]!.expiresAt).toBe(sentAt[1]! + 3_600_000);
    expect(b.images).toHaveLength(1);
  });

  test('a 429 that is not retried rejects with ApiError and still pauses the pacer', async () => {
    const client = createClient({
      baseUrl: 'http://x/v1',
      retry: false,
      fetch: async () =>
        new Response(JSON.stringify({ error: { message: 'slow down' } }), {
          status: 429,
          headers: { 'retry-after': '7' },
        }),
    });
    const pacer = new ImagePacer();
    const error = await generateImages({ prompt: 'a' }, { client, pacer }).catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && error.status).toBe(429);
    expect(pacer.getSnapshot().pausedUntil).toBe(7000);
  });
});
