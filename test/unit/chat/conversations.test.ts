import 'fake-indexeddb/auto';

import {
  CONVERSATION_INDEX_KEY,
  chatStorageKey,
  conversationIndex,
  createChatStore,
  createIndexedDBStorage,
  createLocalStorage,
  createMemoryStorage,
  draftStorageKey,
  type ChatStorage,
} from 'parlance/core';
import { describe, expect, test } from 'vitest';

import { reply, scriptedTransport, sequentialIds } from './scripted-transport';
import { storedConversation } from '../../support/stored-conversation';

/** A Web Storage in memory (Node has none), with `length` and `key` as browsers have them. */
function webStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

/** A conversation as `useChat` stored it before the index existed. */
function oldConversation(id: string, first: string, last: string, savedAt = 1_700_000_000_000) {
  return storedConversation(id, first, last, savedAt, savedAt - 1000);
}

const storages: Array<[string, () => ChatStorage]> = [
  ['memory', () => createMemoryStorage()],
  [
    'localStorage',
    () => {
      const target = webStorage();
      return createLocalStorage(() => target);
    },
  ],
  ['IndexedDB', () => createIndexedDBStorage(`parlance-list-${Math.random()}`, 'chats')],
];

describe.each(storages)('list(prefix) on %s', (_name, make) => {
  test('returns exactly the keys that begin with the prefix', async () => {
    const storage = make();
    await storage.set('parlance:chat:a', { x: 1 });
    await storage.set('parlance:chat:b', 'broken');
    await storage.set('parlance:draft:a', 'hi');
    await storage.set('other', 1);
    expect([...(await storage.list!('parlance:chat:'))].sort()).toEqual([
      'parlance:chat:a',
      'parlance:chat:b',
    ]);
    expect(await storage.list!('nothing:')).toEqual([]);
  });

  test('lists conversations saved before the index existed, and skips broken entries', async () => {
    const storage = make();
    await storage.set(
      chatStorageKey('old-1'),
      oldConversation('old-1', 'How do I bake bread?', 'Knead it.', 1000),
    );
    await storage.set(chatStorageKey('old-2'), oldConversation('old-2', 'Tides', 'The moon.', 2000));
    await storage.set(chatStorageKey('broken'), { format: 'something-else' });
    await storage.set(chatStorageKey('half'), { format: 'parlance.chat', version: 1, messages: 'no' });
    const index = conversationIndex(storage);
    await index.refresh();
    const { conversations, status } = index.getSnapshot();
    expect(status).toBe('ready');
    expect(conversations.map((c) => [c.id, c.title, c.preview, c.updatedAt])).toEqual([
      ['old-2', 'Tides', 'The moon.', 2000],
      ['old-1', 'How do I bake bread?', 'Knead it.', 1000],
    ]);
    // The index is written once, so the next listing reads no conversation.
    expect(await storage.get(CONVERSATION_INDEX_KEY)).toMatchObject({ format: 'parlance.conversations' });
  });

  test('a corrupt index is rebuilt from the conversations; bad records in it are dropped', async () => {
    const storage = make();
    await storage.set(chatStorageKey('a'), oldConversation('a', 'Alpha', 'one'));
    await storage.set(CONVERSATION_INDEX_KEY, {
      format: 'parlance.conversations',
      version: 1,
      conversations: [null, { id: 42 }, 'x', { id: 'gone', title: 'Deleted elsewhere' }],
    });
    const index = conversationIndex(storage);
    await index.refresh();
    expect(index.getSnapshot().conversations.map((c) => c.title)).toEqual(['Alpha']);
  });

  test('create, rename, remove and restore', async () => {
    const storage = make();
    const index = conversationIndex(storage);
    await index.refresh();
    const id = index.create();
    expect(typeof id).toBe('string');
    await index.refresh(); // waits for the creation on an asynchronous storage
    expect(index.getSnapshot().conversations.map((c) => c.id)).toEqual([id]);
    expect(await storage.get(chatStorageKey(id))).toMatchObject({ format: 'parlance.chat', messages: [] });

    await index.rename(id, '  Trip   plans ');
    expect(index.getSnapshot().conversations[0]!.title).toBe('Trip plans');

    await storage.set(draftStorageKey(id), 'half a thought');
    const removed = await index.remove(id);
    expect(index.getSnapshot().conversations).toEqual([]);
    expect(await storage.get(chatStorageKey(id))).toBeUndefined();
    expect(await storage.get(draftStorageKey(id))).toBeUndefined();

    await index.restore(removed!);
    expect(index.getSnapshot().conversations.map((c) => [c.id, c.title])).toEqual([[id, 'Trip plans']]);
    expect(await storage.get(draftStorageKey(id))).toBe('half a thought');
    await index.refresh(); // the messages are back too, so a new read keeps it
    expect(index.getSnapshot().conversations).toHaveLength(1);
  });
});

describe('the chat store keeps the index', () => {
  test('every saved conversation is listed, titled by its first user message, without a list call reading messages', async () => {
    const storage = createMemoryStorage();
    for (const id of ['first', 'second']) {
      const script = scriptedTransport();
      const store = createChatStore({
        id,
        transport: script.transport,
        storage,
        throttle: 0,
        generateId: sequentialIds(),
      });
      const unmount = store.mount();
      script.stream(reply([`Answer in ${id}`]));
      await store.send(`Question   for\n${id}`);
      unmount();
    }
    const index = conversationIndex(storage);
    const snapshot = index.getSnapshot();
    expect(snapshot.conversations.map((c) => [c.id, c.title, c.preview])).toEqual([
      ['second', 'Question for second', 'Answer in second'],
      ['first', 'Question for first', 'Answer in first'],
    ]);

    // A fresh page (a new index over the same entries) lists them from the index alone.
    const reads: string[] = [];
    const spy: ChatStorage = {
      get: (key) => (reads.push(key), storage.get(key)),
      set: (key, value) => storage.set(key, value),
      remove: (key) => storage.remove(key),
      list: (prefix) => storage.list!(prefix),
    };
    const fresh = conversationIndex(spy);
    await fresh.refresh();
    expect(fresh.getSnapshot().conversations).toHaveLength(2);
    expect(reads).toEqual([CONVERSATION_INDEX_KEY]);
  });

  test('a renamed conversation keeps its title when it is saved again', async () => {
    const storage = createMemoryStorage();
    const script = scriptedTransport();
    const store = createChatStore({
      id: 'c',
      transport: script.transport,
      storage,
      throttle: 0,
      generateId: sequentialIds(),
    });
    store.mount();
    script.stream(reply(['one']));
    await store.send('Hello');
    await conversationIndex(storage).rename('c', 'Greetings');
    script.stream(reply(['two']));
    await store.send('Again');
    const [c] = conversationIndex(storage).getSnapshot().conversations;
    expect([c!.title, c!.preview]).toEqual(['Greetings', 'two']);
  });

  test('feedback is kept on the message and survives a reload', async () => {
    const storage = createMemoryStorage();
    const script = scriptedTransport();
    const store = createChatStore({
      id: 'f',
      transport: script.transport,
      storage,
      throttle: 0,
      generateId: sequentialIds(),
    });
    store.mount();
    script.stream(reply(['Sure.']));
    await store.send('Help');
    const replyId = store.getSnapshot().messages.at(-1)!.id;
    expect(store.setFeedback(replyId, 'down')).toBe(true);
    expect(store.setFeedback('missing', 'up')).toBe(false);
    const again = createChatStore({ id: 'f', transport: script.transport, storage });
    again.mount();
    expect(again.getSnapshot().messages.at(-1)!.feedback).toBe('down');
    store.setFeedback(replyId, null);
    expect('feedback' in store.getSnapshot().messages.at(-1)!).toBe(false);
  });
});

test('1,000 stored conversations list from one read of the index', async () => {
  const storage = createMemoryStorage();
  const conversations = Array.from({ length: 1000 }, (_, i) => ({
    id: `c${i}`,
    title: `Conversation ${i}`,
    createdAt: i,
    updatedAt: i,
    preview: 'p',
  }));
  for (const c of conversations) await storage.set(chatStorageKey(c.id), oldConversation(c.id, c.title, 'p'));
  await storage.set(CONVERSATION_INDEX_KEY, { format: 'parlance.conversations', version: 1, conversations });
  let reads = 0;
  const counting: ChatStorage = { ...storage, get: (key) => (reads++, storage.get(key)), list: storage.list };
  const index = conversationIndex(counting);
  await index.refresh();
  expect(index.getSnapshot().conversations).toHaveLength(1000);
  expect(index.getSnapshot().conversations[0]!.id).toBe('c999');
  expect(reads).toBe(1);
});
