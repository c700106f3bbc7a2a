import { branchAt, replyBranchAt, selectVersion } from './branches';
import { ChatConfigError } from './config-error';
import { messageText } from './content';
import { messageActions } from './ending';
import { QUEUED, TurnRunner, type Turn, type TurnHost } from './lifecycle';
import { createMessage, defaultId, isBlank, isComplete, isOffline, toError } from './messages';
import { ChatPersistence, type PersistenceHost } from './persistence';
import { buildChatRequest, type ChatRequestDraft } from './request';
import { FlushScheduler } from './stream-buffer';
import { ToolRound, allSettled, toolRoundsSinceUser } from './tool-round';
import { transition } from './transitions';
import type {
  ChatMessage,
  ChatMessageContent,
  ChatMessageFeedback,
  ChatMessageInput,
  ChatOptions,
  ChatSnapshot,
  ChatTurnResult,
} from './types';

export { ChatConfigError };

/** Tool rounds after one user message when `maxToolRounds` is not given. */
const DEFAULT_MAX_TOOL_ROUNDS = 5;

/**
 * A conversation with an OpenAI-compatible chat model, independent of any UI framework:
 * messages, the request lifecycle (streaming, stop, retries, faults) and persistence, behind
 * `subscribe` and `getSnapshot` (the `useSyncExternalStore` contract).
 *
 * Snapshots are immutable. While a reply streams only that message and the array around it
 * change; every other message keeps its identity, so a memoised list re-renders one row.
 * Chunk bursts are coalesced (see {@link ChatOptions.throttle}); text is never dropped.
 *
 * Sending while a reply is in progress is refused (`{ type: 'not-sent', reason: 'busy' }`): the
 * caller keeps the text, and two replies never interleave.
 *
 * @example
 * ```ts
 * const chat = createChatStore({
 *   id: 'support',
 *   model: 'gpt-4o-mini',
 *   transport: createClientTransport({ baseUrl: '/v1' }),
 *   storage: createLocalStorage(),
 * });
 * const unmount = chat.mount(); // restore from storage, flush on pagehide
 * chat.subscribe(() => render(chat.getSnapshot()));
 * await chat.send('Hello');
 * ```
 */
export class ChatStore {
  #options: ChatOptions;
  readonly #id: string;
  #state: ChatSnapshot;
  readonly #initial: ChatSnapshot;
  #listeners = new Set<() => void>();
  /** The request lifecycle (the turn in progress, its stream buffer). */
  readonly #turns: TurnRunner;
  /** Folds buffered text into the snapshot while a reply streams, at most once per `throttle`. */
  readonly #flush = new FlushScheduler(() => this.#flushStream());
  readonly #persistence: ChatPersistence;
  /** The tool calls between a reply and the next request. */
  readonly #tools: ToolRound;
  /** The `send` calls whose messages wait in the outbox, by message id. */
  readonly #outbox = new Map<string, Array<(result: ChatTurnResult) => void>>();

  constructor(options: ChatOptions = {}) {
    this.#options = options;
    this.#id = options.id ?? this.#newId();
    // The React binding creates the store during render, where a clock or a random source must not
    // be read (prerendering refuses it, and the server's markup would not match the browser's):
    // an initial message's missing id comes from its position, and a missing time stays unknown (0).
    const messages = (options.initialMessages ?? []).map((input, index) =>
      isComplete(input)
        ? input
        : this.#message({
            status: 'done',
            ...input,
            id: input.id ?? `initial-${index}`,
            createdAt: input.createdAt ?? 0,
          }),
    );
    this.#state = this.#initial = transition.created(this.#id, messages, !!options.storage);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the store is the host of its parts
    const store = this;
    const host: TurnHost & PersistenceHost = {
      get id() {
        return store.#id;
      },
      get options() {
        return store.#options;
      },
      get state() {
        return store.#state;
      },
      get latest() {
        return store.#folded(store.#state);
      },
      commit: (next) => this.#commit(next),
      scheduleFlush: () => this.#flush.schedule(this.#options.throttle),
      persistNow: () => this.#persistence.saveNow(),
      call: (callback) => this.#call(callback),
      report: (error) => this.#call(() => this.#options.onError?.(toError(error))),
    };
    this.#turns = new TurnRunner(host);
    this.#persistence = new ChatPersistence(host);
    this.#tools = new ToolRound(host);
  }

  /** The conversation id. */
  get id(): string {
    return this.#id;
  }

  /** Replaces the options (the React binding pushes its latest props here). `id` is fixed. */
  setOptions(options: ChatOptions): void {
    this.#options = options;
  }

  /** Registers a listener called after every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The current state (the same object until something changes). */
  getSnapshot = (): ChatSnapshot => this.#state;

  /** The state as it was at creation: what a server render shows. */
  getServerSnapshot = (): ChatSnapshot => this.#initial;

  /**
   * Starts persistence: restores the conversation stored under `id` (once per store; a reply
   * that was streaming when the page closed comes back `interrupted`), and writes pending
   * changes when the page is hidden or closed. Returns the cleanup, which flushes pending writes.
   */
  mount(): () => void {
    this.#persistence.restore();
    const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
    const doc = (globalThis as { document?: Document }).document;
    const onPageHide = () => this.flush();
    const onOnline = () => void this.#sendOutbox();
    // Messages left in the outbox by an earlier page go out once restored, if the network is there.
    void Promise.resolve(this.#persistence.restoring).then(onOnline);
    const onVisibility = () => {
      if (doc?.visibilityState === 'hidden') this.flush();
    };
    target.addEventListener?.('pagehide', onPageHide);
    target.addEventListener?.('online', onOnline);
    doc?.addEventListener('visibilitychange', onVisibility);
    return () => {
      target.removeEventListener?.('pagehide', onPageHide);
      target.removeEventListener?.('online', onOnline);
      doc?.removeEventListener('visibilitychange', onVisibility);
      this.flush();
    };
  }

  /** Writes pending changes to storage now (also done on `pagehide` and when the page is hidden). */
  flush(): void {
    this.#persistence.flush();
  }

  // ——— actions ———

  /**
   * Sends a user message and streams the reply. Resolves when the reply has ended, whatever the
   * ending; blank input is not sent, and neither is anything while a reply is in progress.
   *
   * Offline (the browser says so, or the request finds no network before any byte), the message
   * waits in the outbox: it stays in the conversation as a `pending` user message, with no error,
   * and is sent once, by itself, when the `online` event fires (or when a later page restores it
   * online). `remove(id)` cancels it. The promise resolves when its reply has ended (or it was
   * cancelled: `nothing-to-do`).
   */
  send = async (content: ChatMessageContent): Promise<ChatTurnResult> => {
    if (isBlank(content)) return { type: 'not-sent', reason: 'empty' };
    await this.#persistence.restoring;
    if (this.#busy) return { type: 'not-sent', reason: 'busy' };
    const last = this.#state.messages.at(-1);
    if (last) this.#tools.declineWaiting(last, 'The user sent a new message instead.');
    const user = this.#message({ role: 'user', content, status: 'done' });
    if (isOffline()) return this.#enqueue(user);
    return this.#turn({
      kind: 'send',
      messages: [...this.#state.messages, user],
      placeholder: this.#reply(),
    });
  };

  /** Stops the reply in progress. Its text so far is kept as `stopped` and sent as context next time. */
  stop = (): void => {
    this.#turns.stop();
    this.#tools.stop();
  };

  /**
   * Approves tool call `toolCallId` (waiting as `awaiting-approval`): it runs when its tool has
   * `execute`, else it waits for `addToolResult`. Resolves when what it started has ended (the
   * call, and the next reply once every call is answered).
   */
  approveToolCall = async (toolCallId: string): Promise<void> => {
    const message = this.#tools.approve(toolCallId);
    if (message) await this.#answered(message.id);
  };

  /**
   * Declines tool call `toolCallId` (waiting for approval or for a result): `execute` never runs,
   * and the model is told the user declined, with `reason` when given.
   */
  rejectToolCall = async (toolCallId: string, reason?: string): Promise<void> => {
    const message = this.#tools.reject(toolCallId, reason);
    if (message) await this.#answered(message.id);
  };

  /**
   * Answers tool call `toolCallId` (waiting as `awaiting-result`) with `output`, sent to the model
   * as the tool message (`JSON.stringify` unless it is a string).
   */
  addToolResult = async (toolCallId: string, output: unknown): Promise<void> => {
    const message = this.#tools.addResult(toolCallId, output);
    if (message) await this.#answered(message.id);
  };

  /**
   * Asks again for the reply `messageId` (default: the last assistant message). The replaced
   * reply, and whatever followed it, stays reachable through `selectAlternative`.
   */
  regenerate = async (messageId?: string): Promise<ChatTurnResult> => {
    await this.#persistence.restoring;
    if (this.#busy) return { type: 'not-sent', reason: 'busy' };
    const { messages } = this.#state;
    let at = messageId
      ? messages.findIndex((m) => m.id === messageId)
      : messages.findLastIndex((m) => m.role === 'assistant');
    if (at >= 0 && messages[at]!.role === 'user') at += 1; // a user message's id: its reply
    if (at < 0 || (at < messages.length && messages[at]!.role !== 'assistant')) {
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    return this.#runFrom('regenerate', at);
  };

  /**
   * Asks the model to go on with the last reply, appending to the same message: after
   * `finish_reason: length`, an interruption or a stop.
   */
  continue = async (): Promise<ChatTurnResult> => {
    await this.#persistence.restoring;
    if (this.#busy) return { type: 'not-sent', reason: 'busy' };
    const target = this.#state.messages.at(-1);
    if (!target || target.role !== 'assistant' || messageText(target.content) === '') {
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    return this.#turn({ kind: 'continue', messages: this.#state.messages, target });
  };

  /**
   * Replaces a message's content. For a user message, the conversation is asked again from
   * there, and the replaced branch stays reachable as an alternative (see `selectAlternative`).
   * Other messages are corrected in place, with no request.
   */
  edit = async (messageId: string, content: ChatMessageContent): Promise<ChatTurnResult> => {
    if (isBlank(content)) return { type: 'not-sent', reason: 'empty' };
    await this.#persistence.restoring;
    if (this.#busy) return { type: 'not-sent', reason: 'busy' };
    const { messages } = this.#state;
    const at = messages.findIndex((m) => m.id === messageId);
    if (at < 0) return { type: 'not-sent', reason: 'nothing-to-do' };
    const target = messages[at]!;
    if (target.role !== 'user') {
      this.#commit(transition.messagesChanged(this.#state, messages.with(at, { ...target, content })));
      this.#persistence.saveNow();
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    const user = branchAt(messages, at, this.#message({ role: 'user', content, status: 'done' }));
    return this.#turn({
      kind: 'edit',
      messages: [...messages.slice(0, at), user],
      placeholder: this.#reply(),
    });
  };

  /**
   * Shows version `index` (0-based, `alternatives.length + 1` in all) of the conversation from
   * message `messageId` on. Returns false when there is no such version or a reply is in progress.
   */
  selectAlternative = (messageId: string, index: number): boolean => {
    if (this.#busy) return false;
    const next = selectVersion(this.#state.messages, messageId, index);
    if (!next) return false;
    this.#commit(transition.messagesChanged(this.#state, next));
    this.#persistence.saveNow();
    return true;
  };

  /** Removes a message (stopping it first if it is the reply in progress). */
  remove = (messageId: string): void => {
    if (this.#turns.active?.messageId === messageId) this.stop();
    this.#settleOutbox([messageId]);
    const messages = this.#state.messages.filter((m) => m.id !== messageId);
    if (messages.length === this.#state.messages.length) return;
    this.#commit(transition.messagesChanged(this.#state, messages));
    this.#persistence.saveNow();
  };

  /** Keeps the user's rating on reply `messageId` (`null` takes it back) and saves it. */
  setFeedback = (messageId: string, feedback: ChatMessageFeedback | null): boolean => {
    const at = this.#state.messages.findIndex((m) => m.id === messageId);
    if (at < 0) return false;
    const { feedback: _previous, ...message } = this.#state.messages[at]!;
    const next = feedback ? { ...message, feedback } : message;
    this.#commit(transition.messagesChanged(this.#state, this.#state.messages.with(at, next)));
    this.#persistence.saveNow();
    return true;
  };

  /** Stops any reply and empties the conversation (and its stored copy), usage included. */
  clear = (): void => {
    this.stop();
    this.#settleOutbox([...this.#outbox.keys()]);
    this.#commit(transition.cleared(this.#state));
    this.#persistence.saveNow();
  };

  /** Replaces the conversation (stopping any reply first). Missing fields are filled in. */
  setMessages = (next: ChatMessageInput[] | ((messages: ChatMessage[]) => ChatMessageInput[])): void => {
    this.stop();
    this.#settleOutbox([...this.#outbox.keys()]);
    const inputs = typeof next === 'function' ? next(this.#state.messages) : next;
    this.#commit(
      transition.messagesChanged(
        this.#state,
        inputs.map((m) => this.#normalize(m)),
      ),
    );
    this.#persistence.saveNow();
  };

  /**
   * Tries the last turn again: repeats a failed `continue`, asks again for a failed, interrupted
   * or stopped reply, or answers a last user message that has none.
   */
  retry = async (): Promise<ChatTurnResult> => {
    await this.#persistence.restoring;
    if (this.#busy) return { type: 'not-sent', reason: 'busy' };
    const { messages } = this.#state;
    const last = messages.at(-1);
    if (!last) return { type: 'not-sent', reason: 'nothing-to-do' };
    if (last.role === 'user') return this.#runFrom('retry', messages.length);
    if (last.role !== 'assistant' || !messageActions(last).canRetry) {
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    if (this.#turns.lastKind === 'continue' && messageText(last.content) !== '') return this.continue();
    return this.#runFrom('retry', messages.length - 1);
  };

  /** A reply or a tool round is in progress. */
  get #busy(): boolean {
    return this.#turns.active !== null || this.#tools.running;
  }

  /**
   * Runs a turn, then its tool rounds: the calls that run by themselves are run, and once every
   * call of the reply is answered the next reply is asked for, up to `maxToolRounds`. Resolves
   * with the last reply (which may be waiting for approval or for a result).
   */
  async #turn(turn: Turn): Promise<ChatTurnResult> {
    const result = await this.#turns.run(turn);
    if (result === QUEUED) return this.#waitInOutbox(turn.messages.at(-1)!.id);
    return this.#rounds(result);
  }

  /** Puts `user` in the outbox: shown `pending`, saved, sent when the connection is back. */
  #enqueue(user: ChatMessage): Promise<ChatTurnResult> {
    const messages = [...this.#state.messages, { ...user, status: 'pending' as const }];
    this.#commit(transition.queued(this.#state, messages));
    this.#persistence.saveNow();
    return this.#waitInOutbox(user.id);
  }

  #waitInOutbox(messageId: string): Promise<ChatTurnResult> {
    return new Promise((resolve) => {
      const waiting = this.#outbox.get(messageId) ?? [];
      waiting.push(resolve);
      this.#outbox.set(messageId, waiting);
    });
  }

  /** The `send` calls waiting for `ids` resolve as not sent (cancelled, or the conversation replaced). */
  #settleOutbox(ids: readonly string[]): void {
    for (const id of ids) {
      for (const resolve of this.#outbox.get(id) ?? [])
        resolve({ type: 'not-sent', reason: 'nothing-to-do' });
      this.#outbox.delete(id);
    }
  }

  /**
   * The connection is back: the messages waiting at the end of the conversation go out in one
   * request (once; if the network is gone again they wait again).
   */
  async #sendOutbox(): Promise<void> {
    if (this.#busy || isOffline()) return;
    const { messages } = this.#state;
    const last = messages.at(-1);
    if (last?.role !== 'user' || last.status !== 'pending') return;
    const ids = messages.filter((m) => m.role === 'user' && m.status === 'pending').map((m) => m.id);
    const waiting = ids.flatMap((id) => this.#outbox.get(id) ?? []);
    for (const id of ids) this.#outbox.delete(id);
    const sent = messages.map((m) =>
      m.role === 'user' && m.status === 'pending' ? { ...m, status: 'done' as const } : m,
    );
    const result = await this.#turn({ kind: 'send', messages: sent, placeholder: this.#reply() });
    for (const resolve of waiting) resolve(result);
  }

  /** The tool rounds that follow `result`, while its reply has calls and the round can go on. */
  async #rounds(result: ChatTurnResult): Promise<ChatTurnResult> {
    for (;;) {
      if (result.type !== 'finished' || !result.message.toolCalls?.length) return result;
      const next = await this.#nextRound(result.message.id);
      if (!next) return { ...result, message: this.#latest(result.message) };
      result = next;
    }
  }

  /** A call of message `messageId` was answered: the round goes on if it can. */
  async #answered(messageId: string): Promise<void> {
    if (this.#turns.active) return;
    const next = await this.#nextRound(messageId);
    if (next) await this.#rounds(next);
  }

  /**
   * Runs the running calls of reply `messageId`, then, when every call is answered and it is still
   * the last message, asks for the next reply. `null` when the round stops here.
   */
  async #nextRound(messageId: string): Promise<ChatTurnResult | null> {
    if (!(await this.#tools.execute(messageId))) return null; // stopped
    const { messages } = this.#state;
    const last = messages.at(-1);
    if (last?.id !== messageId || !allSettled(last) || this.#busy) return null;
    if (toolRoundsSinceUser(messages) >= (this.#options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS))
      return null;
    const result = await this.#turns.run({ kind: 'tools', messages, placeholder: this.#reply() });
    return result === QUEUED ? null : result;
  }

  /** `message` as the conversation has it now. */
  #latest(message: ChatMessage): ChatMessage {
    return this.#state.messages.find((m) => m.id === message.id) ?? message;
  }

  /** Asks for a new reply at position `at`, keeping what was there as an alternative. */
  #runFrom(kind: 'regenerate' | 'retry', at: number): Promise<ChatTurnResult> {
    const { messages } = this.#state;
    const placeholder = replyBranchAt(messages, at, this.#reply());
    return this.#turn({ kind, messages: messages.slice(0, at), placeholder });
  }

  /**
   * The request `send(content)` would make now, before any trimming: system message,
   * instructions, `max_tokens` and extra `body` fields included. Count it with `planChatRequest`
   * (or `useTokenBudget`) to show what the next request costs. Sends nothing.
   */
  previewRequest(content?: ChatMessageContent): ChatRequestDraft {
    return buildChatRequest(this.#options, this.#state.messages, content);
  }

  /** The options last given (by `createChatStore` or `setOptions`). */
  get options(): Readonly<ChatOptions> {
    return this.#options;
  }

  // ——— state ———

  /** The state with the stream buffer's text folded in. */
  #folded(state: ChatSnapshot): ChatSnapshot {
    return this.#turns.active?.fold(state) ?? state;
  }

  /** The one way the state changes: a transition's result, with buffered text folded in, then notify. */
  #commit(next: ChatSnapshot): void {
    this.#flush.cancel();
    this.#state = this.#folded(next);
    this.#notify();
  }

  /** A frame's worth of streamed text into the snapshot. */
  #flushStream(): void {
    const next = this.#folded(this.#state);
    if (next === this.#state) return;
    this.#state = next;
    this.#notify();
    this.#persistence.saveSoon();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  #call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      // An app callback that throws must not break the store; surface it asynchronously.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #newId(): string {
    return (this.#options.generateId ?? defaultId)();
  }

  #message(fields: Pick<ChatMessage, 'role' | 'content' | 'status'> & Partial<ChatMessage>): ChatMessage {
    return createMessage(fields, () => this.#newId());
  }

  #reply(): ChatMessage {
    return this.#message({ role: 'assistant', content: '', status: 'pending' });
  }

  /** Fills in missing fields; a complete message is kept as it is, so its row need not re-render. */
  #normalize(input: ChatMessageInput): ChatMessage {
    if (isComplete(input)) return input;
    return this.#message({ status: 'done', ...input, id: input.id ?? this.#newId() });
  }
}

/**
 * Creates a {@link ChatStore}: the framework-agnostic engine behind `useChat`.
 *
 * @example
 * ```ts
 * const chat = createChatStore({ model: 'gpt-4o-mini', transport: createClientTransport({ baseUrl: '/v1' }) });
 * await chat.send('Hello');
 * chat.getSnapshot().messages.at(-1)?.content;
 * ```
 */
export function createChatStore(options: ChatOptions = {}): ChatStore {
  return new ChatStore(options);
}
