// @vitest-environment jsdom
// Pending writes reach storage when the page is hidden or closed, not only on the throttle timer.
import { chatStorageKey, createChatStore, createMemoryStorage } from 'parlance/core';
import { afterEach, expect, test } from 'vitest';

import { chunk, scriptedTransport, tick } from './scripted-transport';

let visibility: DocumentVisibilityState = 'visible';
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
afterEach(() => {
  visibility = 'visible';
});

async function streamingStore() {
  const storage = createMemoryStorage();
  const script = scriptedTransport();
  const store = createChatStore({
    id: 'life',
    storage,
    transport: script.transport,
    throttle: 0,
    persistThrottleMs: 60_000,
  });
  const unmount = store.mount();
  const stream = script.controlled();
  void store.send('Q');
  await stream.started;
  stream.push(chunk('saved on '), chunk('the way out'));
  await tick();
  const stored = () =>
    (storage.entries.get(chatStorageKey('life')) as { messages: Array<{ content: string; status: string }> })
      .messages[1];
  expect(stored()?.content).toBe(''); // only the pending placeholder so far: writes are batched
  return { stored, unmount, stream };
}

test('pagehide flushes the streaming reply', async () => {
  const { stored } = await streamingStore();
  window.dispatchEvent(new Event('pagehide'));
  expect(stored()).toMatchObject({ content: 'saved on the way out', status: 'streaming' });
});

test('visibilitychange to hidden flushes it; to visible does not', async () => {
  const { stored, stream } = await streamingStore();
  document.dispatchEvent(new Event('visibilitychange'));
  expect(stored()!.content).toBe('');
  visibility = 'hidden';
  document.dispatchEvent(new Event('visibilitychange'));
  expect(stored()!.content).toBe('saved on the way out');
  stream.end();
});

test('unmount flushes and stops listening', async () => {
  const { stored, unmount, stream } = await streamingStore();
  unmount();
  expect(stored()!.content).toBe('saved on the way out');
  stream.push(chunk(' and more'));
  await tick();
  window.dispatchEvent(new Event('pagehide'));
  expect(stored()!.content).toBe('saved on the way out');
});
