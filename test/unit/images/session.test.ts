import { describe, expect, test, vi } from 'vitest';

import type { ChatStorageError } from 'parlance/core';
import {
  AbortError,
  ConfigurationError,
  ImagePacer,
  createImageSession,
  createMemoryStorage,
  isImageExpired,
} from 'parlance/core';
import { EmptyPromptError } from '../../../src/core/images/errors';

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const HOUR = 60 * 60 * 1000;

describe('createImageSession', () => {
  test('keeps one history across generate, edit and vary, newest first, with per-operation status', async () => {
    const fetch = vi.fn(async (url: RequestInfo | URL) =>
      json({ created: 1, data: [{ url: `https://img.example/${String(url).split('/').pop()}.png` }] }),
    );
    const session = createImageSession({ baseUrl: 'http://x/v1', fetch, pacer: null });
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.getSnapshot().requests.generate.status));
    await session.generate({ prompt: 'a lighthouse' });
    const image = new Blob([new Uint8Array([1])], { type: 'image/png' });
    await expect(session.vary({ image })).rejects.toBeDefined(); // jsdom-free Node cannot decode images
    const snapshot = session.getSnapshot();
    expect(snapshot.history.map((e) => e.operation)).toEqual(['variation', 'generate']);
    expect(snapshot.history[1]).toMatchObject({ status: 'success', prompt: 'a lighthouse', n: 1 });
    expect(snapshot.history[1]!.images[0]!.src).toBe('https://img.example/generations.png');
    expect(snapshot.requests.generate.status).toBe('success');
    expect(snapshot.requests.generate.data?.images).toHaveLength(1);
    expect(snapshot.requests.variation.status).toBe('error');
    expect(snapshot.requests.edit.status).toBe('idle');
    expect(seen).toContain('pending');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('validation errors are typed, nothing is sent, the entry and the status are error', async () => {
    const fetch = vi.fn(async () => json({}));
    const session = createImageSession({ baseUrl: 'http://x/v1', fetch, pacer: null });
    await expect(session.generate({ prompt: '' })).rejects.toSatisfy(EmptyPromptError.isInstance);
    expect(fetch).not.toHaveBeenCalled();
    expect(session.getSnapshot().history[0]!.status).toBe('error');
    expect(EmptyPromptError.isInstance(session.getSnapshot().requests.generate.error)).toBe(true);
    session.reset('generate');
    expect(session.getSnapshot().requests.generate).toMatchObject({ status: 'idle', error: null });
    expect(session.getSnapshot().history).toHaveLength(1);
  });

  test('without baseUrl or client a request fails with a ConfigurationError', async () => {
    const session = createImageSession({ pacer: null });
    await expect(session.generate({ prompt: 'x' })).rejects.toSatisfy(ConfigurationError.isInstance);
  });

  test('cancel aborts queued requests of one operation: the entry is cancelled, the status idle', async () => {
    const pacer = new ImagePacer({ imagesPerMinute: 1, burst: 1 });
    await pacer.acquire(1);
    const session = createImageSession({ baseUrl: 'http://x/v1', fetch: async () => json({}), pacer });
    const unsubscribe = session.subscribe(() => {});
    const done = session.generate({ prompt: 'x' }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(session.getSnapshot().requests.generate.status).toBe('queued'));
    expect(session.getSnapshot().requests.generate.queue).toMatchObject({ position: 1, images: 1 });
    expect(session.getSnapshot().history[0]!.status).toBe('queued');
    session.cancel('generate');
    expect(AbortError.isInstance(await done)).toBe(true);
    expect(session.getSnapshot().history[0]!.status).toBe('cancelled');
    expect(session.getSnapshot().requests.generate).toMatchObject({ status: 'idle', queue: null });
    unsubscribe();
  });

  test('keep swaps the kept image into the history and the latest batch', async () => {
    const fetch = async (url: RequestInfo | URL) =>
      String(url).startsWith('https://img.example')
        ? new Response(new Blob([new Uint8Array([1, 2])], { type: 'image/png' }))
        : json({ created: 1, data: [{ url: 'https://img.example/a.png' }] });
    const session = createImageSession({ baseUrl: 'http://x/v1', fetch, pacer: null });
    const batch = await session.generate({ prompt: 'x' });
    const kept = await session.keep(batch.images[0]!);
    expect(kept.blob).toBeInstanceOf(Blob);
    expect(session.getSnapshot().history[0]!.images[0]).toBe(kept);
    expect(session.getSnapshot().requests.generate.data?.images[0]).toBe(kept);
  });

  test('the history limit keeps the newest requests', async () => {
    const fetch = async () => json({ created: 1, data: [{ url: 'https://img.example/a.png' }] });
    const session = createImageSession({ baseUrl: 'http://x/v1', fetch, pacer: null, historyLimit: 2 });
    for (const prompt of ['one', 'two', 'three']) await session.generate({ prompt });
    expect(session.getSnapshot().history.map((e) => e.prompt)).toEqual(['three', 'two']);
  });
});

describe('image session persistence', () => {
  test('a reload (a new session over the same storage) restores the history, expired URLs marked', async () => {
    const storage = createMemoryStorage();
    let created = Math.floor(Date.now() / 1000);
    const fetch = async () =>
      json({ created, data: [{ url: 'https://img.example/a.png', revised_prompt: 'A calm sea' }] });
    const first = createImageSession({ id: 'studio', storage, baseUrl: 'http://x/v1', fetch, pacer: null });
    first.mount();
    // An hour and a bit ago: its URL has expired by now.
    created = Math.floor((Date.now() - HOUR - 60_000) / 1000);
    await first.generate({ prompt: 'old sea' });
    created = Math.floor(Date.now() / 1000);
    await first.generate({ prompt: 'new sea' });
    await expect(first.generate({ prompt: '' })).rejects.toSatisfy(EmptyPromptError.isInstance);
    expect(storage.entries.has('parlance:images:studio')).toBe(true);

    const second = createImageSession({ id: 'studio', storage, baseUrl: 'http://x/v1', fetch, pacer: null });
    expect(second.getSnapshot().restore).toBe('loading');
    second.mount();
    const { history, restore } = second.getSnapshot();
    expect(restore).toBe('ready');
    expect(history.map((e) => [e.prompt, e.status])).toEqual([
      ['', 'error'],
      ['new sea', 'success'],
      ['old sea', 'success'],
    ]);
    const [failed, fresh, old] = history;
    expect(failed!.error).toBeInstanceOf(Error);
    expect((failed!.error as Error).name).toBe('EmptyPromptError');
    expect(fresh!.images[0]).toMatchObject({ src: 'https://img.example/a.png', revisedPrompt: 'A calm sea' });
    expect(fresh!.images[0]!.expired).toBeUndefined();
    expect(isImageExpired(fresh!.images[0]!)).toBe(false);
    expect(old!.images[0]!.expired).toBe(true);
    expect(isImageExpired(old!.images[0]!)).toBe(true);
  });

  test('an image whose bytes the storage lost comes back expired; running requests come back cancelled', async () => {
    const savedAt = Date.now() - 1000;
    const storage = createMemoryStorage({
      'parlance:images:lab': {
        format: 'parlance.images',
        version: 1,
        id: 'lab',
        savedAt,
        history: [
          {
            id: 'b',
            operation: 'edit',
            prompt: 'flamingo',
            n: 2,
            status: 'pending',
            images: [],
            error: null,
            createdAt: 2,
            reduced: null,
          },
          {
            id: 'a',
            operation: 'generate',
            prompt: 'sea',
            n: 1,
            status: 'success',
            // A Blob written to localStorage as JSON becomes `{}`.
            images: [{ src: 'blob:http://x/1', blob: {} }],
            error: null,
            createdAt: 1,
            reduced: null,
          },
        ],
      },
    });
    const session = createImageSession({ id: 'lab', storage });
    session.mount();
    const [running, held] = session.getSnapshot().history;
    expect(running).toMatchObject({ id: 'b', status: 'cancelled', operation: 'edit' });
    expect(held!.images[0]).toMatchObject({ src: 'blob:http://x/1', expired: true, expiresAt: savedAt });
    expect(held!.images[0]!.blob).toBeUndefined();
  });

  test('an unreadable entry is reported and never overwritten', async () => {
    const storage = createMemoryStorage({ 'parlance:images:x': { something: 'else' } });
    const errors: ChatStorageError[] = [];
    const session = createImageSession({
      id: 'x',
      storage,
      baseUrl: 'http://x/v1',
      fetch: async () => json({ created: 1, data: [{ url: 'https://img.example/a.png' }] }),
      pacer: null,
      onStorageError: (e) => errors.push(e),
    });
    session.mount();
    expect(session.getSnapshot().restore).toBe('failed');
    expect(errors.map((e) => e.kind)).toEqual(['foreign']);
    await session.generate({ prompt: 'x' });
    expect(storage.entries.get('parlance:images:x')).toEqual({ something: 'else' });
  });

  test('an asynchronous storage restores after mount; requests made before it stay on top', async () => {
    const memory = createMemoryStorage();
    const fetch = async () => json({ created: 1, data: [{ url: 'https://img.example/a.png' }] });
    const first = createImageSession({
      id: 'slow',
      storage: memory,
      baseUrl: 'http://x/v1',
      fetch,
      pacer: null,
    });
    first.mount();
    await first.generate({ prompt: 'stored' });
    const slow = {
      get: async (key: string) => memory.get(key),
      set: async (key: string, value: unknown) => memory.set(key, value),
      remove: async (key: string) => memory.remove(key),
    };
    const second = createImageSession({
      id: 'slow',
      storage: slow,
      baseUrl: 'http://x/v1',
      fetch,
      pacer: null,
    });
    second.mount();
    const early = second.generate({ prompt: 'early' });
    await second.ready();
    await early;
    expect(second.getSnapshot().history.map((e) => e.prompt)).toEqual(['early', 'stored']);
    await vi.waitFor(() =>
      expect(
        (memory.entries.get('parlance:images:slow') as { history: { prompt: string }[] }).history.map(
          (e) => e.prompt,
        ),
      ).toEqual(['early', 'stored']),
    );
  });
});
