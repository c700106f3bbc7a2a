// The pacing queue in Chromium's own timers and AbortSignal, under fake time.
import { afterEach, expect, test, vi } from 'vitest';

import { ImagePacer, createClient, generateImages } from 'parlance/core';

afterEach(() => {
  vi.useRealTimers();
});

test('a burst of 60 generate requests: 50 sent at once, the rest 1.2 s apart, positions visible', async () => {
  vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const sentAt: number[] = [];
  const client = createClient({
    baseUrl: 'https://api.parlance.test/v1',
    fetch: async () => {
      sentAt.push(Date.now());
      return new Response(JSON.stringify({ created: 0, data: [{ b64_json: btoa('png') }] }), {
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  const pacer = new ImagePacer();
  const positions: number[][] = [];
  pacer.subscribe(() => positions.push(pacer.getSnapshot().queue.map((t) => t.position)));
  const all = Array.from({ length: 60 }, (_, i) =>
    generateImages({ prompt: `burst ${i}` }, { client, pacer }),
  );
  await vi.advanceTimersByTimeAsync(0);
  expect(sentAt).toHaveLength(50);
  expect(pacer.getSnapshot().queue).toHaveLength(10);
  expect(pacer.getSnapshot().queue.at(-1)).toMatchObject({ position: 10, waitMs: 12_000 });
  await vi.advanceTimersByTimeAsync(6_000);
  expect(sentAt).toHaveLength(55);
  await vi.advanceTimersByTimeAsync(6_000);
  const batches = await Promise.all(all);
  expect(sentAt).toHaveLength(60);
  expect(sentAt.slice(50)).toEqual([1200, 2400, 3600, 4800, 6000, 7200, 8400, 9600, 10800, 12000]);
  expect(batches.every((b) => b.images.length === 1)).toBe(true);
  expect(positions.some((p) => p.length === 10)).toBe(true);
  expect(pacer.getSnapshot().queue).toEqual([]);
});
