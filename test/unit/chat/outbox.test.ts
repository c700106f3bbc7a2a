// @vitest-environment jsdom
/** Offline, honestly: a message sent without a network waits, with no error, and goes out once when it is back. */
import { createChatStore, createMemoryStorage, NetworkError, type ChatOptions } from 'parlance/core';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { reply, scriptedTransport, sequentialIds } from './scripted-transport';

let online = true;
vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);

afterEach(() => {
  online = true;
});

function goOnline() {
  online = true;
  window.dispatchEvent(new Event('online'));
}

function setup(options: ChatOptions = {}) {
  const script = scriptedTransport();
  const onError = vi.fn();
  const store = createChatStore({
    id: 'outbox',
    model: 'gpt-test',
    transport: script.transport,
    generateId: sequentialIds(),
    throttle: 0,
    retry: { baseDelayMs: 1, jitter: false },
    onError,
    ...options,
  });
  const unmount = store.mount();
  return { store, script, onError, unmount };
}

describe('the outbox', () => {
  test('offline, a message waits with no request and no error, then goes out once when online', async () => {
    const { store, script, onError, unmount } = setup();
    online = false;
    let settled = false;
    const sent = store.send('Hello from the train').then((r) => ((settled = true), r));
    await Promise.resolve();
    expect(script.requests).toHaveLength(0);
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', error: null });
    expect(store.getSnapshot().messages).toMatchObject([
      { role: 'user', content: 'Hello from the train', status: 'pending' },
    ]);

    script.stream(reply(['Welcome back.']));
    goOnline();
    const result = await sent;
    expect(settled).toBe(true);
    expect(result).toMatchObject({ type: 'finished', reason: 'stop' });
    expect(script.requests).toHaveLength(1);
    expect(script.requests[0]!.messages).toEqual([{ role: 'user', content: 'Hello from the train' }]);
    expect(store.getSnapshot().messages.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'done', 'Hello from the train'],
      ['assistant', 'done', 'Welcome back.'],
    ]);
    // A second `online` sends nothing more.
    goOnline();
    await Promise.resolve();
    expect(script.requests).toHaveLength(1);
    expect(onError).not.toHaveBeenCalled();
    unmount();
  });

  test('a request that finds no network before any byte waits too (no retries, no error)', async () => {
    const { store, script, onError, unmount } = setup();
    const request = script.controlled();
    const sent = store.send('Are you there?');
    await request.started;
    // The network drops while the request is out, before any byte.
    online = false;
    request.fail(new NetworkError('Failed to fetch'));
    await vi.waitFor(() =>
      expect(store.getSnapshot().messages).toMatchObject([{ role: 'user', status: 'pending' }]),
    );
    expect(store.getSnapshot().messages).toHaveLength(1);
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', error: null });
    expect(script.requests).toHaveLength(1);
    expect(onError).not.toHaveBeenCalled();

    script.stream(reply(['Yes.']));
    goOnline();
    expect(await sent).toMatchObject({ type: 'finished', message: { content: 'Yes.' } });
    expect(script.requests).toHaveLength(2);
    unmount();
  });

  test('two messages sent offline go out together, in order, in one request', async () => {
    const { store, script, unmount } = setup();
    online = false;
    const first = store.send('One');
    const second = store.send('Two');
    await Promise.resolve();
    script.stream(reply(['Both received.']));
    goOnline();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(b);
    expect(script.requests).toHaveLength(1);
    expect(script.requests[0]!.messages.map((m) => m.content)).toEqual(['One', 'Two']);
    unmount();
  });

  test('removing a waiting message cancels it: nothing is sent', async () => {
    const { store, script, unmount } = setup();
    online = false;
    const sent = store.send('Never mind');
    await Promise.resolve();
    const id = store.getSnapshot().messages[0]!.id;
    store.remove(id);
    expect(await sent).toEqual({ type: 'not-sent', reason: 'nothing-to-do' });
    goOnline();
    await Promise.resolve();
    expect(script.requests).toHaveLength(0);
    expect(store.getSnapshot().messages).toEqual([]);
    unmount();
  });

  test('a waiting message survives a reload and is sent by the next page once online', async () => {
    const storage = createMemoryStorage();
    const first = setup({ storage });
    online = false;
    void first.store.send('Saved while offline');
    await Promise.resolve();
    first.unmount();

    const second = setup({ storage });
    await vi.waitFor(() => expect(second.store.getSnapshot().restore).toBe('ready'));
    expect(second.store.getSnapshot().messages).toMatchObject([
      { status: 'pending', content: 'Saved while offline' },
    ]);
    expect(second.script.requests).toHaveLength(0);
    second.script.stream(reply(['Got it.']));
    goOnline();
    await vi.waitFor(() => expect(second.store.getSnapshot().messages.at(-1)?.content).toBe('Got it.'));
    expect(second.script.requests).toHaveLength(1);
    second.unmount();
  });
});
