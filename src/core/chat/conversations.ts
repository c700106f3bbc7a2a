import { messageText } from './content';
import { defaultId, ZERO_USAGE } from './messages';
import { chatStorageKey, toPersisted } from './persisted';
import type { ChatStorage } from './storage';
import type { ChatMessage } from './types';

/** One conversation as the list shows it: no messages, only what names and orders it. */
export interface ConversationSummary {
  id: string;
  /** From the first user message until renamed; `''` while the conversation is empty. */
  title: string;
  /** When the conversation started, in ms since the epoch. */
  createdAt: number;
  /** When it was last saved, in ms since the epoch (the list is newest first by this). */
  updatedAt: number;
  /** The start of the last message's text. */
  preview: string;
}

/** Where the conversation index is: `loading` until first read, then `ready`, or `error`. */
export type ConversationIndexStatus = 'loading' | 'ready' | 'error';

/** What the index holds now: every conversation, newest `updatedAt` first. */
export interface ConversationIndexSnapshot {
  status: ConversationIndexStatus;
  conversations: readonly ConversationSummary[];
  /** Why the index could not be read or written, when it could not. */
  error: Error | null;
}

/** A conversation removed by {@link ConversationIndex.remove}: what {@link ConversationIndex.restore} puts back. */
export interface RemovedConversation {
  readonly id: string;
  readonly summary: ConversationSummary;
  /** The stored conversation, as it was (`undefined` when nothing was stored yet). */
  readonly data: unknown;
  /** The stored draft, as it was. */
  readonly draft: unknown;
}

/** The storage key of the conversation index (titles, times and previews of every conversation). */
export const CONVERSATION_INDEX_KEY = 'parlance:conversations';
const INDEX_FORMAT = 'parlance.conversations';
const INDEX_VERSION = 1;
const CHAT_PREFIX = chatStorageKey('');

/** The storage key of conversation `id`'s unsent draft. */
export function draftStorageKey(id: string): string {
  return `parlance:draft:${id}`;
}

/** A summary as stored: `renamed` once the user chose the title. */
interface StoredSummary extends ConversationSummary {
  renamed?: boolean;
}

const TITLE_LENGTH = 80;
const PREVIEW_LENGTH = 120;

function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1).trimEnd()}…` : flat;
}

/**
 * The title a conversation gets from its first user message (whitespace folded, at most 80
 * characters); `''` while there is none.
 */
export function conversationTitle(messages: readonly Pick<ChatMessage, 'role' | 'content'>[]): string {
  const first = messages.find((m) => m.role === 'user' && messageText(m.content).trim() !== '');
  return first ? clip(messageText(first.content, ' '), TITLE_LENGTH) : '';
}

function summarize(
  id: string,
  messages: readonly ChatMessage[],
  previous: StoredSummary | undefined,
  now: number,
): StoredSummary {
  const last = messages.findLast((m) => messageText(m.content).trim() !== '');
  const started = messages.find((m) => m.createdAt > 0)?.createdAt;
  return {
    id,
    title: previous?.renamed ? previous.title : conversationTitle(messages),
    createdAt: previous?.createdAt ?? started ?? now,
    updatedAt: now,
    preview: last ? clip(messageText(last.content, ' '), PREVIEW_LENGTH) : '',
    ...(previous?.renamed ? { renamed: true } : {}),
  };
}

function sameSummary(a: StoredSummary | undefined, b: StoredSummary): boolean {
  return (
    a !== undefined &&
    a.title === b.title &&
    a.preview === b.preview &&
    a.createdAt === b.createdAt &&
    !!a.renamed === !!b.renamed
  );
}

/** A stored summary, if it is one (records from elsewhere or a broken write are dropped). */
function readSummary(value: unknown): StoredSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || v.id === '') return undefined;
  const time = (t: unknown) => (typeof t === 'number' && Number.isFinite(t) ? t : 0);
  return {
    id: v.id,
    title: typeof v.title === 'string' ? v.title : '',
    createdAt: time(v.createdAt),
    updatedAt: time(v.updatedAt),
    preview: typeof v.preview === 'string' ? v.preview : '',
    ...(v.renamed === true ? { renamed: true } : {}),
  };
}

/** The summaries of a stored index; `undefined` when the entry is missing or not an index. */
function readIndex(value: unknown): Map<string, StoredSummary> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as { format?: unknown; version?: unknown; conversations?: unknown };
  if (entry.format !== INDEX_FORMAT || entry.version !== INDEX_VERSION) return undefined;
  if (!Array.isArray(entry.conversations)) return undefined;
  const items = new Map<string, StoredSummary>();
  for (const raw of entry.conversations) {
    const summary = readSummary(raw);
    if (summary) items.set(summary.id, summary);
  }
  return items;
}

/** A summary rebuilt from a conversation stored before the index existed (or by another path). */
function summaryOfStored(id: string, value: unknown): StoredSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as { messages?: unknown; savedAt?: unknown };
  if (!Array.isArray(entry.messages)) return undefined;
  // Tolerant on purpose: a title and a preview need only roles and text, whatever else is broken.
  const messages = entry.messages.filter(
    (m): m is ChatMessage =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as ChatMessage).role === 'string' &&
      (typeof (m as ChatMessage).content === 'string' || Array.isArray((m as ChatMessage).content)),
  );
  const times = messages.map((m) => (typeof m.createdAt === 'number' ? m.createdAt : 0));
  const savedAt = typeof entry.savedAt === 'number' ? entry.savedAt : Math.max(0, ...times);
  const summary = summarize(id, messages, undefined, savedAt);
  const firstTime = times.find((t) => t > 0);
  return { ...summary, createdAt: firstTime ?? savedAt };
}

type Maybe<T> = T | Promise<T>;

function then<T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** `run()`, with a synchronous throw turned into the same failure an asynchronous one is. */
function attempt<T>(run: () => Maybe<T>, fallback: (error: unknown) => Maybe<T>): Maybe<T> {
  try {
    const value = run();
    return value instanceof Promise ? value.catch(fallback) : value;
  } catch (error) {
    return fallback(error);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const LOADING: ConversationIndexSnapshot = { status: 'loading', conversations: [], error: null };

/**
 * The conversations kept in one storage, listed without reading their messages: the titles,
 * times and previews live in one entry of their own (`parlance:conversations`), which the chat
 * store updates each time it saves a conversation. Conversations stored before the index existed
 * (only `parlance:chat:<id>` keys) are found with `storage.list` and added to it once.
 *
 * Works the same on synchronous storages (memory, `localStorage`: every change is visible at
 * once) and asynchronous ones (IndexedDB: changes are applied in order, one at a time).
 * Get the one for a storage with {@link conversationIndex}.
 */
export class ConversationIndex {
  readonly storage: ChatStorage;
  #items: Map<string, StoredSummary> | null = null;
  #snapshot: ConversationIndexSnapshot = LOADING;
  #listeners = new Set<() => void>();
  /** The operation in progress on an asynchronous storage; the next one waits for it. */
  #tail: Promise<unknown> | null = null;
  /** Stored conversations that could not be read: not read again in this page. */
  #unreadable = new Set<string>();

  constructor(storage: ChatStorage) {
    this.storage = storage;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): ConversationIndexSnapshot => this.#snapshot;

  getServerSnapshot = (): ConversationIndexSnapshot => LOADING;

  /**
   * Reads the index again from storage (another tab may have changed it), adding conversations
   * it does not know and dropping those whose messages are gone.
   */
  refresh(): Maybe<void> {
    return this.#run(() => this.#read());
  }

  /** Called by the chat store after it saved conversation `id`: its summary follows the messages. */
  saved(id: string, messages: readonly ChatMessage[]): Maybe<void> {
    return this.#withItems((items) => {
      const previous = items.get(id);
      const next = summarize(id, messages, previous, Date.now());
      if (sameSummary(previous, next)) return;
      items.set(id, next);
      this.#publish();
      return this.#write();
    });
  }

  /**
   * Starts an empty conversation and returns its id at once; it is stored (and listed) right
   * after, so that opening it with `useChat({ id })` finds it. A new id is random, after
   * `idPrefix` when given.
   */
  create(options: { id?: string; idPrefix?: string; title?: string } = {}): string {
    const id = options.id ?? `${options.idPrefix ?? ''}${defaultId()}`;
    const title = options.title?.trim() ?? '';
    void this.#withItems((items) => {
      if (items.has(id)) return;
      const now = Date.now();
      items.set(id, {
        id,
        title,
        createdAt: now,
        updatedAt: now,
        preview: '',
        ...(title ? { renamed: true } : {}),
      });
      this.#publish();
      return then(
        attempt(
          () => this.storage.set(chatStorageKey(id), toPersisted(id, [], ZERO_USAGE)),
          (error) => this.#fail(error),
        ),
        () => this.#write(),
      );
    });
    return id;
  }

  /** Gives conversation `id` a title of the user's; it no longer follows the first message. `''` gives that back. */
  rename(id: string, title: string): Maybe<void> {
    return this.#withItems((items) => {
      const previous = items.get(id);
      if (!previous) return;
      const chosen = clip(title, TITLE_LENGTH);
      const next: StoredSummary = chosen
        ? { ...previous, title: chosen, renamed: true }
        : { ...previous, title: '', renamed: false };
      if (!chosen) delete next.renamed;
      items.set(id, next);
      this.#publish();
      return this.#write();
    });
  }

  /**
   * Removes conversation `id`: its messages, its draft and its place in the list. Resolves to
   * what was removed, for {@link ConversationIndex.restore} (an "Undo"), or `undefined` when there
   * was no such conversation.
   */
  remove(id: string): Maybe<RemovedConversation | undefined> {
    return this.#withItems((items) => {
      const summary = items.get(id);
      const read = (key: string) =>
        attempt(
          () => this.storage.get(key),
          () => undefined,
        );
      return then(read(chatStorageKey(id)), (data) =>
        then(read(draftStorageKey(id)), (draft) => {
          if (!summary && data === undefined) return undefined;
          items.delete(id);
          this.#publish();
          const removed: RemovedConversation = {
            id,
            summary: summary ?? { id, title: '', createdAt: 0, updatedAt: 0, preview: '' },
            data,
            draft,
          };
          const drop = (key: string) =>
            attempt(
              () => this.storage.remove(key),
              (error) => this.#fail(error),
            );
          return then(drop(chatStorageKey(id)), () =>
            then(drop(draftStorageKey(id)), () => then(this.#write(), () => removed)),
          );
        }),
      );
    });
  }

  /** Puts back a conversation that {@link ConversationIndex.remove} removed, as it was. */
  restore(removed: RemovedConversation): Maybe<void> {
    return this.#withItems((items) => {
      items.set(removed.id, { ...removed.summary });
      this.#publish();
      const put = (key: string, value: unknown) =>
        value === undefined
          ? undefined
          : attempt(
              () => this.storage.set(key, value),
              (error) => this.#fail(error),
            );
      return then(put(chatStorageKey(removed.id), removed.data), () =>
        then(put(draftStorageKey(removed.id), removed.draft), () => this.#write()),
      );
    });
  }

  // ——— internals ———

  /** Runs `operation` now on a synchronous storage, or after the one in progress on an asynchronous one. */
  #run<T>(operation: () => Maybe<T>): Maybe<T> {
    if (this.#tail) {
      const result = this.#tail.then(operation);
      this.#track(result);
      return result;
    }
    const result = operation();
    if (result instanceof Promise) this.#track(result);
    return result;
  }

  #track(result: Promise<unknown>): void {
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tail = tail;
    void tail.then(() => {
      if (this.#tail === tail) this.#tail = null;
    });
  }

  /** `operation` with the summaries, read first if they are not yet. */
  #withItems<T>(operation: (items: Map<string, StoredSummary>) => Maybe<T>): Maybe<T> {
    return this.#run(() => then(this.#items ? undefined : this.#read(), () => operation(this.#items!)));
  }

  #read(): Maybe<void> {
    const storage = this.storage;
    return then(
      attempt(
        () => storage.get(CONVERSATION_INDEX_KEY),
        () => undefined, // unreadable (broken JSON): rebuilt from the conversations themselves
      ),
      (raw) => {
        const stored = readIndex(raw);
        const items = stored ?? new Map<string, StoredSummary>();
        let dirty = stored === undefined && raw !== undefined;
        return then(
          attempt(
            () => (storage.list ? storage.list(CHAT_PREFIX) : undefined),
            (error) => {
              this.#fail(error);
              return undefined;
            },
          ),
          (keys) => {
            if (!keys) return this.#loaded(items, dirty);
            const ids = new Set(keys.map((key) => key.slice(CHAT_PREFIX.length)));
            for (const id of items.keys()) {
              if (!ids.has(id)) {
                items.delete(id);
                dirty = true;
              }
            }
            const missing = [...ids].filter((id) => !items.has(id) && !this.#unreadable.has(id));
            const found = missing.map((id) =>
              then(
                attempt(
                  () => storage.get(chatStorageKey(id)),
                  () => undefined,
                ),
                (value) => {
                  const summary = summaryOfStored(id, value);
                  if (summary) {
                    items.set(id, summary);
                    dirty = true;
                  } else {
                    this.#unreadable.add(id);
                  }
                },
              ),
            );
            const pending = found.filter((f): f is Promise<void> => f instanceof Promise);
            return pending.length > 0
              ? Promise.all(pending).then(() => this.#loaded(items, dirty))
              : this.#loaded(items, dirty);
          },
        );
      },
    );
  }

  #loaded(items: Map<string, StoredSummary>, dirty: boolean): Maybe<void> {
    this.#items = items;
    this.#publish();
    return dirty ? this.#write() : undefined;
  }

  #write(): Maybe<void> {
    const items = this.#items;
    if (!items) return;
    const conversations = [...items.values()];
    return attempt(
      () =>
        this.storage.set(CONVERSATION_INDEX_KEY, {
          format: INDEX_FORMAT,
          version: INDEX_VERSION,
          conversations,
        }),
      (error) => this.#fail(error),
    );
  }

  #fail(error: unknown): void {
    this.#snapshot = { ...this.#snapshot, status: this.#items ? 'ready' : 'error', error: toError(error) };
    this.#notify();
  }

  #publish(): void {
    const items = this.#items;
    if (!items) return;
    const conversations = [...items.values()]
      .map(({ renamed: _renamed, ...summary }) => summary)
      .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
    this.#snapshot = { status: 'ready', conversations, error: this.#snapshot.error };
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

const indexes = new WeakMap<ChatStorage, ConversationIndex>();

/**
 * The conversation index of `storage`: one per storage object, shared by every chat store and
 * list that uses it, so a list follows the conversations saved in the same page at once.
 *
 * @example
 * ```ts
 * const storage = createIndexedDBStorage();
 * const index = conversationIndex(storage);
 * await index.refresh();
 * index.getSnapshot().conversations.map((c) => c.title);
 * ```
 */
export function conversationIndex(storage: ChatStorage): ConversationIndex {
  let index = indexes.get(storage);
  if (!index) indexes.set(storage, (index = new ConversationIndex(storage)));
  return index;
}
