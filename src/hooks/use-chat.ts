import {
  createChatStore,
  createClientTransport,
  createLocalStorage,
  messageActions,
  type ChatMessage,
  type ChatOptions,
  type ChatSnapshot,
  type ChatStorage,
  type ChatStore,
  type ChatTransport,
} from '../core';
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';

import { requireBaseUrl } from './internal/require-base-url';
import { useLatest } from './internal/use-latest';
import { useParlanceConfig, type ParlanceConfig } from './parlance-provider';

/** Options of {@link useChat}: the chat store's options plus the provider's fields, which they override. */
export interface UseChatOptions
  extends Omit<ChatOptions, 'storage' | 'transport'>, Pick<ParlanceConfig, 'baseUrl' | 'apiKey' | 'fetch'> {
  /**
   * Where the conversation persists, under `parlance:chat:<id>`. Default: the provider's
   * `storage`, else `localStorage` in the browser; only when an `id` is given (an anonymous
   * conversation is not stored). `null` turns persistence off.
   */
  storage?: ChatStorage | null;
  /**
   * How to reach the model. Default: `createClientTransport` with the effective `baseUrl`,
   * `apiKey`, `headers` and `fetch` (read on each request, so changes apply to the next message).
   */
  transport?: ChatTransport;
  /**
   * An existing conversation to bind to instead of creating one: a `useChat` result (or its
   * `store`), or a store from `createChatStore`. Its owner configures and mounts it; this hook
   * only subscribes, so the other options are ignored. Fixed for the life of the component.
   */
  chat?: UseChatResult | ChatStore;
}

/**
 * A selector for {@link useChat}: the component subscribes to a part of the state and re-renders
 * only when that part changes (by `isEqual`, default `Object.is`); `useChat` then returns the part.
 */
export interface UseChatSelector<T> {
  /**
   * Picks what the component shows from the conversation's state, such as one message:
   * `(s) => s.messages.find((m) => m.id === id)`. Unchanged messages keep their identity between
   * snapshots, so a row subscribed this way does not re-render while another reply streams.
   */
  select?: (snapshot: ChatSnapshot) => T;
  /**
   * Whether two selections are the same (then the component keeps the previous one). Without
   * `select` it compares whole snapshots (a {@link ChatSnapshot} each), and the result is built
   * from the one kept.
   */
  isEqual?: (a: T, b: T) => boolean;
}

/**
 * What {@link useChat} returns for a selection of type `T`: `T` with a `select`, else the whole
 * {@link UseChatResult} (also what `ReturnType<typeof useChat>` names).
 */
export type UseChatSelected<T> = unknown extends T ? UseChatResult : T;

/** What {@link useChat} returns: the state, derived flags, and the actions (stable across renders). */
export type UseChatResult = ChatSnapshot & {
  /** `status` is `submitted` or `streaming`: a reply is in progress (new requests are refused). */
  isBusy: boolean;
  /**
   * The last message is a reply that can be continued (cut by `length`, interrupted or stopped):
   * `messageActions(last).canContinue`, the rule the message list reads too.
   */
  canContinue: boolean;
  send: ChatStore['send'];
  stop: ChatStore['stop'];
  regenerate: ChatStore['regenerate'];
  continue: ChatStore['continue'];
  edit: ChatStore['edit'];
  selectAlternative: ChatStore['selectAlternative'];
  remove: ChatStore['remove'];
  clear: ChatStore['clear'];
  setMessages: ChatStore['setMessages'];
  retry: ChatStore['retry'];
  approveToolCall: ChatStore['approveToolCall'];
  rejectToolCall: ChatStore['rejectToolCall'];
  addToolResult: ChatStore['addToolResult'];
  /** Keeps the user's rating (`'up'`, `'down'`, or `null` to take it back) on a reply. */
  setFeedback: ChatStore['setFeedback'];
  /** The underlying store, for advanced uses (a shared transcript, non-React consumers). */
  store: ChatStore;
};

/** The rule of `messageActions` (the core's), applied to the last message. */
function lastCanContinue(messages: readonly ChatMessage[]): boolean {
  const last = messages.at(-1);
  return last !== undefined && messageActions(last).canContinue;
}

const useIsomorphicLayoutEffect = typeof document !== 'undefined' ? useLayoutEffect : useEffect;

/**
 * A conversation with an OpenAI-compatible chat model: messages, streaming, stop, retries and
 * faults, persistence. The state lives in a framework-agnostic store (`createChatStore` in
 * `parlance/core`) created once per mount and recreated only when `id` changes; this hook
 * subscribes to it, so while a reply streams only the streaming message changes identity and a
 * memoised list re-renders one row.
 *
 * Sending while a reply is in progress is refused (`send` resolves to `{ type: 'not-sent',
 * reason: 'busy' }`); keep the text in the composer until `isBusy` turns false.
 *
 * Safe for server rendering and prerendering: nothing reads storage, `window`, the clock or a
 * random source during render; the stored conversation is restored in an effect.
 *
 * Needs a `baseUrl`, from the options or a `ParlanceProvider`, unless a `transport` is given:
 * without one it throws a `ConfigurationError` while rendering (rather than posting to a path
 * relative to the page).
 *
 * @example
 * ```tsx
 * import { useChat } from 'parlance';
 *
 * export function Support({ text }: { text: string }) {
 *   const chat = useChat({ id: 'support', baseUrl: '/api/v1', system: 'You are helpful.' });
 *   return (
 *     <>
 *       {chat.messages.map((m) => <p key={m.id}>{typeof m.content === 'string' ? m.content : ''}</p>)}
 *       <button onClick={() => void chat.send(text)} disabled={chat.isBusy}>Send</button>
 *       {chat.isBusy && <button onClick={chat.stop}>Stop</button>}
 *     </>
 *   );
 * }
 * ```
 */
export function useChat<T = UseChatResult>(
  options: UseChatOptions & UseChatSelector<T> = {},
): UseChatSelected<T> {
  const config = useParlanceConfig({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch,
    headers: options.headers,
    model: options.model,
  });
  // A conversation bound to an existing store, or with its own transport, needs no URL; any other
  // has to know where to send.
  const given = options.chat ? storeOf(options.chat) : null;
  if (!given && !options.transport) requireBaseUrl(config.baseUrl, 'useChat');
  const latest = useLatest({ options, config });
  // One default transport per hook: it reads the latest config on each request, so it never
  // needs rebuilding (the options are re-applied on every render, streamed frames included).
  const [defaultTransport] = useState(() =>
    createClientTransport(() => {
      const now = latest.current.config;
      const baseUrl = requireBaseUrl(now.baseUrl, 'useChat');
      return { baseUrl, apiKey: now.apiKey, headers: now.headers, fetch: now.fetch };
    }),
  );

  // An anonymous conversation (no `id`) is never stored; its id only names it in the snapshot.
  // From useId rather than a random source: the store is created during render, where
  // prerendering forbids randomness, and the id is then the same on the server and in the browser.
  const anonymousId = `anonymous${useId()}`;

  const resolveOptions = (
    { chat: _chat, select: _select, isEqual: _isEqual, ...o }: UseChatOptions & UseChatSelector<T>,
    c: ParlanceConfig,
  ): ChatOptions => {
    const explicit = o.storage;
    const storage =
      o.id === undefined || explicit === null ? null : (explicit ?? c.storage ?? createLocalStorage());
    return {
      ...o,
      id: o.id ?? anonymousId,
      model: c.model,
      prices: o.prices ?? c.prices,
      headers: o.headers,
      storage,
      transport: o.transport ?? defaultTransport,
      // Callbacks read the latest props, so they never go stale and never recreate the store.
      onFinish: (event) => latest.current.options.onFinish?.(event),
      onError: (error) => latest.current.options.onError?.(error),
    };
  };

  // The store this hook owns; none when it binds to a given one.
  const [holder, setHolder] = useState(() =>
    given ? null : { id: options.id, store: createChatStore(resolveOptions(options, config)) },
  );
  let store: ChatStore;
  if (given) {
    store = given;
  } else if (holder && holder.id === options.id) {
    store = holder.store;
  } else {
    // A different conversation: a new store, created during render as React allows for derived state.
    store = createChatStore(resolveOptions(options, config));
    setHolder({ id: options.id, store });
  }

  useIsomorphicLayoutEffect(() => {
    if (!given) store.setOptions(resolveOptions(latest.current.options, latest.current.config));
  });
  useEffect(() => (given ? undefined : store.mount()), [store, given]);

  const { select } = options;
  const selected = useChatSelection<unknown>(
    store,
    select ?? selectAll,
    options.isEqual as ((a: unknown, b: unknown) => boolean) | undefined,
  );
  const snapshot = select ? store.getSnapshot() : (selected as ChatSnapshot);

  const result = useMemo(
    () => ({
      ...snapshot,
      isBusy: snapshot.status === 'submitted' || snapshot.status === 'streaming',
      canContinue: lastCanContinue(snapshot.messages),
      send: store.send,
      stop: store.stop,
      regenerate: store.regenerate,
      continue: store.continue,
      edit: store.edit,
      selectAlternative: store.selectAlternative,
      remove: store.remove,
      clear: store.clear,
      setMessages: store.setMessages,
      retry: store.retry,
      approveToolCall: store.approveToolCall,
      rejectToolCall: store.rejectToolCall,
      addToolResult: store.addToolResult,
      setFeedback: store.setFeedback,
      store,
    }),
    [snapshot, store],
  );
  return (select ? selected : result) as UseChatSelected<T>;
}

function storeOf(chat: UseChatResult | ChatStore): ChatStore {
  return 'store' in chat ? chat.store : chat;
}

const selectAll = (snapshot: ChatSnapshot) => snapshot;

/** The last selection, kept per component so `getSnapshot` returns the same value until it changes. */
class Selection<T> {
  #snapshot: ChatSnapshot | null = null;
  #select: ((snapshot: ChatSnapshot) => T) | null = null;
  #value: T | undefined;

  read(snapshot: ChatSnapshot, select: (snapshot: ChatSnapshot) => T, isEqual: (a: T, b: T) => boolean): T {
    if (this.#snapshot === snapshot && this.#select === select) return this.#value as T;
    const value = select(snapshot);
    const same = this.#snapshot !== null && isEqual(this.#value as T, value);
    this.#snapshot = snapshot;
    this.#select = select;
    if (!same) this.#value = value;
    return this.#value as T;
  }
}

/**
 * `select(store.getSnapshot())`, subscribed: recomputed only when the snapshot (or the selector)
 * changes, and the previous selection kept while `isEqual` says it is the same, so the
 * component re-renders only when its part changed.
 */
function useChatSelection<T>(
  store: ChatStore,
  select: (snapshot: ChatSnapshot) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const [memo] = useState(() => new Selection<T>());
  // Stable while the store and the selector are: a new `getSnapshot` on every render would make
  // React re-check the store in a passive effect after each streamed frame.
  const getSnapshot = useCallback(
    () => memo.read(store.getSnapshot(), select, isEqual),
    [memo, store, select, isEqual],
  );
  const getServerSnapshot = useCallback(
    () => memo.read(store.getServerSnapshot(), select, isEqual),
    [memo, store, select, isEqual],
  );
  return useSyncExternalStore(store.subscribe, getSnapshot, getServerSnapshot);
}
