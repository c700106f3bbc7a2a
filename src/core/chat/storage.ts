import type * as IdbKeyval from 'idb-keyval';

import { ParlanceError } from '../errors';
import { brand, hasMarker } from '../internal/brand';

/**
 * Where conversations are kept between reloads: a small key-value interface, sync or async.
 * Parlance ships {@link createMemoryStorage}, {@link createLocalStorage} and
 * {@link createIndexedDBStorage}; any object with this shape works.
 *
 * `get` returns `undefined` for a missing key. Implementations throw {@link ChatStorageError}
 * (or any error) on failure; the chat store reports it through `onError` and never throws it
 * into render.
 */
export interface ChatStorage {
  get(key: string): Promise<unknown> | unknown;
  set(key: string, value: unknown): Promise<void> | void;
  remove(key: string): Promise<void> | void;
  /**
   * The keys that begin with `prefix`, in any order. Every storage Parlance ships has it; the
   * conversation list (`useConversations`) uses it to find conversations saved before its index
   * existed, or by another path. Optional so that a storage written for an older Parlance still
   * type-checks: without it, only conversations in the index are listed.
   */
  list?(prefix: string): Promise<string[]> | string[];
}

/** What went wrong with storage. */
export type ChatStorageErrorKind =
  /** The stored entry is not readable (broken JSON, wrong shape). It is left as it is. */
  | 'corrupt'
  /** The key holds something that is not a Parlance conversation. It is left as it is. */
  | 'foreign'
  /** The entry was written by a newer Parlance. It is left as it is. */
  | 'version'
  /** The storage is full. */
  | 'quota'
  /** Any other read or write failure. */
  | 'io';

/**
 * A storage problem: reported through `onError`, never thrown into render. When reading fails
 * (`corrupt`, `foreign`, `version`), the store does not write to that key, so nothing is wiped.
 */
export class ChatStorageError extends ParlanceError {
  override readonly name = 'ChatStorageError';
  readonly kind: ChatStorageErrorKind;
  /** The storage key concerned. */
  readonly key: string;

  constructor(kind: ChatStorageErrorKind, key: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.key = key;
  }

  static override isInstance(error: unknown): error is ChatStorageError {
    return hasMarker(error, STORAGE_MARKER);
  }
}
const STORAGE_MARKER = brand(ChatStorageError, 'ChatStorageError');

/**
 * A storage that lives as long as the page: for tests, SSR, and apps that persist elsewhere.
 * Values are cloned on the way in and out, as a real storage would.
 *
 * @example
 * ```ts
 * const store = createChatStore({ id: 'support', storage: createMemoryStorage() });
 * ```
 */
export function createMemoryStorage(initial?: Record<string, unknown>): ChatStorage & {
  /** The raw entries, for tests and debugging. */
  readonly entries: Map<string, unknown>;
} {
  const entries = new Map<string, unknown>(Object.entries(initial ?? {}));
  return {
    entries,
    get: (key) => (entries.has(key) ? structuredClone(entries.get(key)) : undefined),
    set: (key, value) => void entries.set(key, structuredClone(value)),
    remove: (key) => void entries.delete(key),
    list: (prefix) => [...entries.keys()].filter((key) => key.startsWith(prefix)),
  };
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/**
 * `window.localStorage`, as JSON: the browser default. Synchronous, so a conversation is back
 * before the first paint after mount. Where there is no `localStorage` (a server render, a
 * worker, privacy modes that forbid it) reads find nothing and writes do nothing. Nothing is
 * touched until the first call.
 *
 * @param target Default: `globalThis.localStorage`, looked up on each call.
 */
export function createLocalStorage(target?: () => Storage | undefined): ChatStorage {
  // One object for the page's own localStorage, so that every hook that falls back to it shares
  // one conversation index (and its listeners).
  if (!target) return (sharedLocalStorage ??= createLocalStorageFor(undefined));
  return createLocalStorageFor(target);
}

let sharedLocalStorage: ChatStorage | undefined;

function createLocalStorageFor(target: (() => Storage | undefined) | undefined): ChatStorage {
  const resolve = (): Storage | undefined => {
    try {
      return target ? target() : (globalThis as { localStorage?: Storage }).localStorage;
    } catch {
      return undefined; // Safari and sandboxed iframes throw on access
    }
  };
  return {
    get(key) {
      const raw = resolve()?.getItem(key);
      if (raw === null || raw === undefined) return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch (cause) {
        throw new ChatStorageError('corrupt', key, `The entry "${key}" is not valid JSON`, { cause });
      }
    },
    set(key, value) {
      const storage = resolve();
      if (!storage) return;
      try {
        storage.setItem(key, JSON.stringify(value));
      } catch (cause) {
        throw new ChatStorageError(
          isQuotaError(cause) ? 'quota' : 'io',
          key,
          isQuotaError(cause)
            ? `Storage is full: the conversation "${key}" could not be saved`
            : `The conversation "${key}" could not be saved`,
          { cause },
        );
      }
    },
    remove(key) {
      resolve()?.removeItem(key);
    },
    list(prefix) {
      const storage = resolve();
      if (!storage) return [];
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key !== null && key.startsWith(prefix)) keys.push(key);
      }
      return keys;
    },
  };
}

/**
 * IndexedDB through `idb-keyval`: for long conversations and images that outgrow
 * `localStorage`'s few megabytes. Asynchronous, so a conversation comes back just after mount.
 *
 * @param dbName Default `parlance`.
 * @param storeName Default `chats`.
 */
export function createIndexedDBStorage(dbName = 'parlance', storeName = 'chats'): ChatStorage {
  // Loaded on first use: importing parlance/core must not touch indexedDB (SSR, Node).
  let handle: Promise<{ lib: typeof IdbKeyval; store: IdbKeyval.UseStore }> | undefined;
  const open = () =>
    (handle ??= import('idb-keyval').then((lib) => ({ lib, store: lib.createStore(dbName, storeName) })));
  const wrap = async <T>(key: string, write: boolean, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new ChatStorageError(
        isQuotaError(cause) ? 'quota' : 'io',
        key,
        `IndexedDB could not ${write ? 'save' : 'read'} "${key}"`,
        { cause },
      );
    }
  };
  return {
    get: (key) => wrap(key, false, async () => ((h) => h.lib.get(key, h.store))(await open())),
    set: (key, value) => wrap(key, true, async () => ((h) => h.lib.set(key, value, h.store))(await open())),
    remove: (key) => wrap(key, true, async () => ((h) => h.lib.del(key, h.store))(await open())),
    // Only the keys in range are read (one `getAllKeys` over a key range), never the values.
    list: (prefix) =>
      wrap(prefix, false, async () => {
        const { lib, store } = await open();
        const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
        return store('readonly', (s) => lib.promisifyRequest(s.getAllKeys(range))).then((keys) =>
          keys.filter((key): key is string => typeof key === 'string'),
        );
      }),
  };
}
