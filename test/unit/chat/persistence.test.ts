import 'fake-indexeddb/auto';

import {
  ChatStorageError,
  chatStorageKey,
  createChatStore,
  createIndexedDBStorage,
  createLocalStorage,
  createMemoryStorage,
  type ChatOptions,
  type ChatStorage,
} from 'parlance/core';
import { CHAT_FORMAT, CHAT_FORMAT_VERSION } from '../../../src/core/chat/persisted';
import { describe, expect, test, vi } from 'vitest';

import { chunk, reply, scriptedTransport, sequentialIds, tick } from './scripted-transport';

function open(storage: ChatStorage, options: ChatOptions = {}) {
  const script = scriptedTransport();
  const onError = vi.fn<(error: Error) => void>();
  const store = createChatStore({
    id: 'support',
    model: 'gpt-test',
    transport: script.transport,
    storage,
    throttle: 0,
    generateId: sequentialIds(),
    onError,
    ...options,
  });
  const unmount = store.mount();
  return { store, script, onError, unmount };
}

/** A fake window.localStorage (Node has none). */
function fakeLocalStorage(limit = Infinity) {
  const map = new Map<string, string>();
  const storage = {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > limit) {
        throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      }
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
  } as unknown as Storage;
  return { map, storage };
}

describe('restore and save', () => {
  test('a conversation survives a new store (a reload), with its usage', async () => {
    const storage = createMemoryStorage();
    const first = open(storage);
    first.script.stream(
      reply(['Hello'], 'stop', { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 }),
    );
    await first.store.send('Hi');
    first.unmount();

    const second = open(storage);
    expect(second.store.getSnapshot()).toMatchObject({
      restore: 'ready',
      usage: { total_tokens: 6 },
      messages: [
        { role: 'user', content: 'Hi', status: 'done' },
        { role: 'assistant', content: 'Hello', status: 'done', finishReason: 'stop' },
      ],
    });
    const stored = storage.entries.get(chatStorageKey('support')) as Record<string, unknown>;
    expect(stored).toMatchObject({ format: CHAT_FORMAT, version: CHAT_FORMAT_VERSION, id: 'support' });
  });

  test('several conversations by id are kept apart', async () => {
    const storage = createMemoryStorage();
    for (const id of ['a', 'b']) {
      const { store, script } = open(storage, { id });
      script.stream(reply([`reply ${id}`]));
      await store.send(`question ${id}`);
    }
    expect(open(storage, { id: 'a' }).store.getSnapshot().messages[1]!.content).toBe('reply a');
    expect(open(storage, { id: 'b' }).store.getSnapshot().messages[1]!.content).toBe('reply b');
    expect(open(storage, { id: 'c' }).store.getSnapshot().messages).toEqual([]);
  });

  test('initialMessages are used only when nothing is stored', async () => {
    const storage = createMemoryStorage();
    const initialMessages = [{ role: 'assistant' as const, content: 'Welcome!' }];
    const { store, script } = open(storage, { initialMessages });
    expect(store.getSnapshot().messages[0]!.content).toBe('Welcome!');
    script.stream(reply(['Sure']));
    await store.send('Help');
    const again = open(storage, { initialMessages });
    expect(again.store.getSnapshot().messages.map((m) => m.content)).toEqual(['Welcome!', 'Help', 'Sure']);
  });

  test('what the user typed is saved before any byte of the reply', async () => {
    const storage = createMemoryStorage();
    const { store, script } = open(storage);
    const stream = script.controlled();
    void store.send('Do not lose me');
    await stream.started;
    const stored = storage.entries.get(chatStorageKey('support')) as { messages: Array<{ content: string }> };
    expect(stored.messages[0]!.content).toBe('Do not lose me');
  });

  test('a reply streaming when the page closed comes back interrupted, its text kept', async () => {
    const storage = createMemoryStorage();
    const set = vi.spyOn(storage, 'set');
    const { store, script } = open(storage, { persistThrottleMs: 10_000 });
    const stream = script.controlled();
    void store.send('Write a poem');
    await stream.started;
    stream.push(chunk('Roses'), chunk(' are'));
    await tick();
    const writesBefore = set.mock.calls.length;
    stream.push(chunk(' red'));
    await tick();
    expect(set.mock.calls.length).toBe(writesBefore); // batched: no write per chunk
    globalThis.dispatchEvent?.(new Event('pagehide'));
    store.flush(); // what pagehide does (Node has no window events)

    const reloaded = open(storage);
    const [user, partial] = reloaded.store.getSnapshot().messages;
    expect(user!.content).toBe('Write a poem');
    expect(partial).toMatchObject({
      content: 'Roses are red',
      status: 'interrupted',
      endState: { type: 'incomplete', reason: 'interrupted' },
    });
    // and continue/retry work on it
    reloaded.script.stream(reply([', violets are blue']));
    await reloaded.store.continue();
    expect(reloaded.store.getSnapshot().messages[1]!.content).toBe('Roses are red, violets are blue');
  });

  test('during streaming, writes happen at most once per persistThrottleMs', async () => {
    vi.useFakeTimers();
    try {
      const storage = createMemoryStorage();
      const set = vi.spyOn(storage, 'set');
      const { store, script } = open(storage, { persistThrottleMs: 1000 });
      const stream = script.controlled();
      void store.send('Q');
      await vi.advanceTimersByTimeAsync(0);
      const start = set.mock.calls.length;
      for (let i = 0; i < 100; i++) {
        stream.push(chunk(`${i} `));
        await vi.advanceTimersByTimeAsync(20); // 2 s of streaming in all
      }
      const during = set.mock.calls.length - start;
      expect(during).toBeGreaterThanOrEqual(1);
      expect(during).toBeLessThanOrEqual(3);
      stream.end();
      await vi.advanceTimersByTimeAsync(0);
      expect(store.getSnapshot().status).toBe('idle');
    } finally {
      vi.useRealTimers();
    }
  });

  test('the stored alternatives come back and can be navigated', async () => {
    const storage = createMemoryStorage();
    const first = open(storage);
    first.script.stream(reply(['one']));
    await first.store.send('Q');
    first.script.stream(reply(['two']));
    await first.store.regenerate();
    const second = open(storage);
    const a = second.store.getSnapshot().messages[1]!;
    expect(a).toMatchObject({ content: 'two', alternativeIndex: 1 });
    second.store.selectAlternative(a.id, 0);
    expect(second.store.getSnapshot().messages[1]!.content).toBe('one');
  });
});

describe('bad entries are reported and left as they are', () => {
  test.each([
    ['foreign', { hello: 'world' }],
    ['version', { format: CHAT_FORMAT, version: 99, messages: [] }],
    ['corrupt', { format: CHAT_FORMAT, version: 1, messages: [{ nope: true }] }],
  ])('%s entry', async (kind, value) => {
    const key = chatStorageKey('support');
    const storage = createMemoryStorage({ [key]: value });
    const { store, script, onError } = open(storage);
    expect(onError).toHaveBeenCalledOnce();
    const error = onError.mock.calls[0]![0];
    expect(ChatStorageError.isInstance(error) && error.kind).toBe(kind);
    expect(store.getSnapshot().restore).toBe('failed');
    // The conversation still works, and the entry is never overwritten.
    script.stream(reply(['ok']));
    await store.send('Hi');
    expect(store.getSnapshot().messages).toHaveLength(2);
    expect(storage.entries.get(key)).toEqual(value);
  });

  test('broken JSON in localStorage is reported as corrupt and left untouched', async () => {
    const { map, storage } = fakeLocalStorage();
    const key = chatStorageKey('support');
    map.set(key, '{"format":"parlance.chat", trunc');
    const { store, script, onError } = open(createLocalStorage(() => storage));
    expect((onError.mock.calls[0]![0] as ChatStorageError).kind).toBe('corrupt');
    script.stream(reply(['ok']));
    await store.send('Hi');
    expect(map.get(key)).toBe('{"format":"parlance.chat", trunc');
  });

  test('a full storage is reported through onError, never thrown', async () => {
    const { storage } = fakeLocalStorage(200);
    const { store, script, onError } = open(createLocalStorage(() => storage));
    script.stream(reply(['x'.repeat(500)]));
    await expect(store.send('Hi')).resolves.toMatchObject({ type: 'finished', reason: 'stop' });
    const quota = onError.mock.calls.map(([e]) => e).find((e) => ChatStorageError.isInstance(e));
    expect(quota).toMatchObject({ kind: 'quota', key: chatStorageKey('support') });
    expect(store.getSnapshot().messages[1]!.content).toHaveLength(500);
  });

  test('an async storage that rejects is reported too', async () => {
    const storage: ChatStorage = {
      get: async () => undefined,
      set: async () => {
        throw new Error('disk on fire');
      },
      remove: async () => {},
    };
    const { store, script, onError } = open(storage);
    script.stream(reply(['ok']));
    await store.send('Hi');
    await tick();
    expect(onError.mock.calls.some(([e]) => ChatStorageError.isInstance(e) && e.kind === 'io')).toBe(true);
  });
});

describe('adapters', () => {
  test('localStorage: JSON round trip; no localStorage (SSR, Node) reads nothing and writes nothing', () => {
    const { map, storage } = fakeLocalStorage();
    const adapter = createLocalStorage(() => storage);
    adapter.set('k', { a: 1 });
    expect(map.get('k')).toBe('{"a":1}');
    expect(adapter.get('k')).toEqual({ a: 1 });
    adapter.remove('k');
    expect(adapter.get('k')).toBeUndefined();

    const absent = createLocalStorage();
    expect(absent.get('k')).toBeUndefined();
    expect(() => absent.set('k', 1)).not.toThrow();
  });

  test('IndexedDB (idb-keyval): a conversation restores asynchronously, and send waits for it', async () => {
    const storage = createIndexedDBStorage('parlance-test', 'chats');
    const first = open(storage);
    expect(first.store.getSnapshot().restore).toBe('loading');
    first.script.stream(reply(['from idb']));
    await first.store.send('Q');
    await tick(20);

    const second = open(storage);
    expect(second.store.getSnapshot().restore).toBe('loading');
    second.script.stream(reply(['second']));
    // send before the restore finished: it waits, so the stored turns are not overwritten
    await second.store.send('Q2');
    expect(second.store.getSnapshot().messages.map((m) => m.content)).toEqual([
      'Q',
      'from idb',
      'Q2',
      'second',
    ]);
    expect(second.script.requests[0]!.messages).toHaveLength(3);
  });

  test('memory storage clones values, like a real storage', () => {
    const storage = createMemoryStorage();
    const value = { list: [1] };
    storage.set('k', value);
    value.list.push(2);
    expect(storage.get('k')).toEqual({ list: [1] });
  });
});

describe('no storage', () => {
  test('without storage nothing is restored or written and restore is none', () => {
    const store = createChatStore({ id: 'x' });
    store.mount();
    expect(store.getSnapshot().restore).toBe('none');
  });
});
