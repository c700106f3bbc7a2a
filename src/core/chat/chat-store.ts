import { DEFAULT_RETRY, resolveRetry } from '../client/options';
import { withRetry } from '../client/retry';
import {
  AbortError,
  ApiError,
  BudgetExceededError,
  ConfigurationError,
  MalformedResponseError,
  NetworkError,
  StreamInterruptedError,
  TimeoutError,
} from '../errors';
import { brand, hasMarker } from '../internal/brand';
import { raceAbort } from '../internal/abort';
import { estimateCost, estimateRequestCost, findModelPrice } from '../tokens/cost';
import type { MaybePromise } from '../tokens/tokenizer';
import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '../wire/chat';
import { mapErrorToEndState, mapFinishReason } from '../wire/finish-reason';
import { chatStorageKey, fromPersisted, toPersisted } from './persisted';
import { ChatStorageError } from './storage';
import { buildChatRequest, planChatRequest, type ChatRequestDraft } from './request';
import { DEFAULT_CHAT_MODEL } from './types';
import type {
  ChatFinishEvent,
  ChatFinishReason,
  ChatMessage,
  ChatMessageContent,
  ChatMessageError,
  ChatMessageInput,
  ChatOptions,
  ChatSnapshot,
  ChatTransportRequest,
  ChatTurnResult,
} from './types';
import { messageText } from './content';
import { endingOf, messageActions } from './ending';

const ZERO_USAGE: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
const FRAME_MS = 16;

/** The store cannot send: no transport (set `baseUrl`, or pass a `transport`). Shown as `error`. */
export class ChatConfigError extends ConfigurationError {
  override readonly name = 'ChatConfigError';

  static override isInstance(error: unknown): error is ChatConfigError {
    return hasMarker(error, CHAT_CONFIG_MARKER);
  }
}
const CHAT_CONFIG_MARKER = brand(ChatConfigError, 'ChatConfigError');

/** The reply being received. Text goes into `text` at once and into the snapshot at the next flush. */
interface ActiveStream {
  controller: AbortController;
  messageId: string;
  /** The reply's text before this request (for `continue`). */
  base: string;
  text: string;
  finishReason: FinishReason;
  usage: CompletionUsage | null;
  received: boolean;
  /** Text added since the last flush into the snapshot. */
  dirty: boolean;
}

type Turn =
  | { kind: 'send' | 'regenerate' | 'edit' | 'retry'; messages: ChatMessage[]; placeholder: ChatMessage }
  | { kind: 'continue'; messages: ChatMessage[]; target: ChatMessage };

function defaultId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function isBlank(content: ChatMessageContent): boolean {
  if (typeof content === 'string') return content.trim() === '';
  return !content.some((part) => part.type === 'image_url' || part.text.trim() !== '');
}

function isComplete(input: ChatMessageInput): input is ChatMessage {
  return (
    input.id !== undefined &&
    input.createdAt !== undefined &&
    input.status !== undefined &&
    input.finishReason !== undefined &&
    input.endState !== undefined &&
    input.usage !== undefined &&
    input.error !== undefined
  );
}

function addUsage(a: CompletionUsage, b: CompletionUsage | null): CompletionUsage {
  if (!b) return a;
  const sum: CompletionUsage = {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
  // Cached prompt tokens are priced apart (see `estimateCost`), so they are summed too.
  const cached =
    (a.prompt_tokens_details?.cached_tokens ?? 0) + (b.prompt_tokens_details?.cached_tokens ?? 0);
  if (cached > 0) sum.prompt_tokens_details = { cached_tokens: cached };
  return sum;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(error: Error): ChatMessageError {
  const info: ChatMessageError = { name: error.name, message: error.message };
  if (ApiError.isInstance(error)) {
    if (error.status !== undefined) info.status = error.status;
    info.code = error.code;
  }
  return info;
}

/** A tail kept as an alternative: its head carries no group fields (they live on the current head). */
function stripGroup(tail: ChatMessage[]): ChatMessage[] {
  const [head, ...rest] = tail;
  if (!head) return tail;
  const { alternatives: _a, alternativeIndex: _i, ...plain } = head;
  return [plain, ...rest];
}

/** Every version at the position of `tail[0]`, the current one in its place. */
function versionsAt(tail: ChatMessage[]): ChatMessage[][] {
  const head = tail[0]!;
  const others = head.alternatives ?? [];
  const at = Math.min(head.alternativeIndex ?? others.length, others.length);
  return [...others.slice(0, at), stripGroup(tail), ...others.slice(at)];
}

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
  #active: ActiveStream | null = null;
  #cancelFlush: (() => void) | null = null;
  #lastTurn: Turn['kind'] | null = null;
  // persistence
  #restoreStarted = false;
  #restoring: Promise<void> | null = null;
  #persistTimer: ReturnType<typeof setTimeout> | null = null;
  #persistPending = false;

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
    this.#state = this.#initial = {
      id: this.#id,
      messages,
      usage: ZERO_USAGE,
      retryWait: null,
      restore: options.storage ? 'loading' : 'none',
      dropped: null,
      status: 'idle',
      error: null,
    };
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
    this.#restore();
    const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
    const doc = (globalThis as { document?: Document }).document;
    const onPageHide = () => this.flush();
    const onVisibility = () => {
      if (doc?.visibilityState === 'hidden') this.flush();
    };
    target.addEventListener?.('pagehide', onPageHide);
    doc?.addEventListener('visibilitychange', onVisibility);
    return () => {
      target.removeEventListener?.('pagehide', onPageHide);
      doc?.removeEventListener('visibilitychange', onVisibility);
      this.flush();
    };
  }

  /** Writes pending changes to storage now (also done on `pagehide` and when the page is hidden). */
  flush(): void {
    if (this.#persistPending) this.#writeNow();
  }

  // ——— actions ———

  /**
   * Sends a user message and streams the reply. Resolves when the reply has ended, whatever the
   * ending; blank input is not sent, and neither is anything while a reply is in progress.
   */
  send = async (content: ChatMessageContent): Promise<ChatTurnResult> => {
    if (isBlank(content)) return { type: 'not-sent', reason: 'empty' };
    await this.#restoring;
    if (this.#active) return { type: 'not-sent', reason: 'busy' };
    const user = this.#message({ role: 'user', content, status: 'done' });
    return this.#run({ kind: 'send', messages: [...this.#state.messages, user], placeholder: this.#reply() });
  };

  /** Stops the reply in progress. Its text so far is kept as `stopped` and sent as context next time. */
  stop = (): void => {
    this.#active?.controller.abort(new AbortError('Stopped by the user'));
  };

  /**
   * Asks again for the reply `messageId` (default: the last assistant message). The replaced
   * reply, and whatever followed it, stays reachable through `selectAlternative`.
   */
  regenerate = async (messageId?: string): Promise<ChatTurnResult> => {
    await this.#restoring;
    if (this.#active) return { type: 'not-sent', reason: 'busy' };
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
    await this.#restoring;
    if (this.#active) return { type: 'not-sent', reason: 'busy' };
    const target = this.#state.messages.at(-1);
    if (!target || target.role !== 'assistant' || messageText(target.content) === '') {
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    return this.#run({ kind: 'continue', messages: this.#state.messages, target });
  };

  /**
   * Replaces a message's content. For a user message, the conversation is asked again from
   * there, and the replaced branch stays reachable as an alternative (see `selectAlternative`).
   * Other messages are corrected in place, with no request.
   */
  edit = async (messageId: string, content: ChatMessageContent): Promise<ChatTurnResult> => {
    if (isBlank(content)) return { type: 'not-sent', reason: 'empty' };
    await this.#restoring;
    if (this.#active) return { type: 'not-sent', reason: 'busy' };
    const { messages } = this.#state;
    const at = messages.findIndex((m) => m.id === messageId);
    if (at < 0) return { type: 'not-sent', reason: 'nothing-to-do' };
    const target = messages[at]!;
    if (target.role !== 'user') {
      this.#commit({ messages: messages.with(at, { ...target, content }) });
      this.#persistNow();
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    const versions = versionsAt(messages.slice(at));
    const user = this.#message({
      role: 'user',
      content,
      status: 'done',
      alternatives: versions,
      alternativeIndex: versions.length,
    });
    return this.#run({
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
    if (this.#active) return false;
    const { messages } = this.#state;
    const at = messages.findIndex((m) => m.id === messageId);
    const head = messages[at];
    if (!head?.alternatives || index === (head.alternativeIndex ?? head.alternatives.length)) return false;
    const versions = versionsAt(messages.slice(at));
    const chosen = versions[index];
    if (!chosen?.[0]) return false;
    const others = versions.filter((_, i) => i !== index);
    const next = [...messages.slice(0, at), { ...chosen[0], alternatives: others, alternativeIndex: index }];
    this.#commit({ messages: next.concat(chosen.slice(1)) });
    this.#persistNow();
    return true;
  };

  /** Removes a message (stopping it first if it is the reply in progress). */
  remove = (messageId: string): void => {
    if (this.#active?.messageId === messageId) this.#abortNow();
    const messages = this.#state.messages.filter((m) => m.id !== messageId);
    if (messages.length === this.#state.messages.length) return;
    this.#commit({ messages });
    this.#persistNow();
  };

  /** Stops any reply and empties the conversation (and its stored copy), usage included. */
  clear = (): void => {
    this.#abortNow();
    this.#commit({
      messages: [],
      usage: ZERO_USAGE,
      status: 'idle',
      error: null,
      retryWait: null,
      dropped: null,
    });
    this.#persistNow();
  };

  /** Replaces the conversation (stopping any reply first). Missing fields are filled in. */
  setMessages = (next: ChatMessageInput[] | ((messages: ChatMessage[]) => ChatMessageInput[])): void => {
    this.#abortNow();
    const inputs = typeof next === 'function' ? next(this.#state.messages) : next;
    this.#commit({ messages: inputs.map((m) => this.#normalize(m)) });
    this.#persistNow();
  };

  /**
   * Tries the last turn again: repeats a failed `continue`, asks again for a failed, interrupted
   * or stopped reply, or answers a last user message that has none.
   */
  retry = async (): Promise<ChatTurnResult> => {
    await this.#restoring;
    if (this.#active) return { type: 'not-sent', reason: 'busy' };
    const { messages } = this.#state;
    const last = messages.at(-1);
    if (!last) return { type: 'not-sent', reason: 'nothing-to-do' };
    if (last.role === 'user') return this.#runFrom('retry', messages.length);
    if (last.role !== 'assistant' || !messageActions(last).canRetry) {
      return { type: 'not-sent', reason: 'nothing-to-do' };
    }
    if (this.#lastTurn === 'continue' && messageText(last.content) !== '') return this.continue();
    return this.#runFrom('retry', messages.length - 1);
  };

  // ——— the request lifecycle ———

  /** Asks for a new reply at position `at`, keeping what was there as an alternative. */
  #runFrom(kind: 'regenerate' | 'retry', at: number): Promise<ChatTurnResult> {
    const { messages } = this.#state;
    let placeholder = this.#reply();
    if (at < messages.length) {
      const versions = versionsAt(messages.slice(at));
      // A failed attempt with no text is not worth keeping as a version.
      const kept = versions.filter((tail) => !(tail.length === 1 && messageText(tail[0]!.content) === ''));
      if (kept.length > 0)
        placeholder = { ...placeholder, alternatives: kept, alternativeIndex: kept.length };
    }
    return this.#run({ kind, messages: messages.slice(0, at), placeholder });
  }

  /** The budget's refusal of `turn`, or `null` when it may be sent (or no cap is set). */
  #checkBudget(turn: Turn): MaybePromise<Error | null> {
    const options = this.#options;
    const { maxCost, maxCostPerRequest } = options.budget ?? {};
    if (maxCost === undefined && maxCostPerRequest === undefined) return null;
    const model = options.model || DEFAULT_CHAT_MODEL;
    const price = findModelPrice(options.prices, model);
    if (!price) {
      return new ChatConfigError(
        `A budget is set but there is no price for ${model}: add it to \`prices\` (per million tokens).`,
        { option: 'prices' },
      );
    }
    const draft = buildChatRequest(
      options,
      turn.messages,
      turn.kind === 'continue' ? { continue: true } : undefined,
    );
    let plan;
    try {
      plan = planChatRequest(draft, options.context);
    } catch {
      return null; // cannot fit at all: the request fails the same way when it is built
    }
    return mapPlan(plan, (p) => {
      const cost = estimateRequestCost(p, price).total;
      const spent = estimateCost(this.#state.usage, price).total;
      const figures = {
        spent,
        currency: price.currency ?? 'USD',
        model,
        promptTokens: p.promptTokens,
        maxReplyTokens: p.maxReplyTokens,
      };
      if (maxCostPerRequest !== undefined && cost > maxCostPerRequest) {
        return new BudgetExceededError({
          limit: 'request',
          cap: maxCostPerRequest,
          estimatedCost: cost,
          ...figures,
        });
      }
      if (maxCost !== undefined && spent + cost > maxCost) {
        return new BudgetExceededError({
          limit: 'conversation',
          cap: maxCost,
          estimatedCost: spent + cost,
          ...figures,
        });
      }
      return null;
    });
  }

  async #run(turn: Turn): Promise<ChatTurnResult> {
    const check = this.#checkBudget(turn);
    const refusal = check instanceof Promise ? await check.catch(() => null) : check;
    if (refusal) {
      // Nothing was sent and nothing is added: the caller keeps the draft.
      this.#commit({ status: 'error', error: refusal, retryWait: null });
      this.#report(refusal);
      return { type: 'not-sent', reason: 'budget', error: refusal };
    }
    if (check instanceof Promise && this.#active) return { type: 'not-sent', reason: 'busy' };
    const transport = this.#options.transport;
    const controller = new AbortController();
    const { signal } = controller;
    const target = turn.kind === 'continue' ? turn.target : turn.placeholder;
    const stream: ActiveStream = {
      controller,
      messageId: target.id,
      base: turn.kind === 'continue' ? messageText(target.content) : '',
      text: '',
      finishReason: null,
      usage: null,
      received: false,
      dirty: false,
    };
    this.#active = stream;
    this.#lastTurn = turn.kind;

    const history = turn.messages;
    const pending: ChatMessage = { ...target, status: 'pending', error: null };
    this.#commit({
      messages: turn.kind === 'continue' ? history.with(-1, pending) : [...history, pending],
      status: 'submitted',
      error: null,
      retryWait: null,
      dropped: null,
    });
    this.#persistNow(); // what the user typed is saved before any byte of the reply

    let reason: ChatFinishReason;
    let failure: Error | null = null;
    try {
      if (!transport)
        throw new ChatConfigError('No transport: set `baseUrl` (or pass a `transport`)', {
          option: 'transport',
        });
      // Token counting may wait for the tokenizer's ranks to load; stop() still ends the turn at once.
      const request = await raceAbort(
        Promise.resolve(this.#buildRequest(history, target.id, turn.kind === 'continue')),
        signal,
      );
      if (request.dropped) this.#commit({ dropped: request.dropped });
      await withRetry(
        () => this.#consume(transport.send(request.body, { signal, headers: this.#options.headers }), stream),
        {
          policy: resolveRetry(DEFAULT_RETRY, this.#options.retry),
          signal,
          isFinal: () => signal.aborted || stream.received,
          // A stream that broke before its first chunk showed nothing: as safe to resend as a network error.
          judgeAs: (error) => (StreamInterruptedError.isInstance(error) ? new NetworkError() : error),
          onWait: ({ attempt, delayMs, error }) =>
            this.#commit({
              retryWait: { attempt, delayMs, retryAt: Date.now() + delayMs, error: toError(error) },
            }),
          onWaited: () => this.#commit({ retryWait: null }),
        },
      );
      reason = mapFinishReason(stream.finishReason ?? undefined).reason;
    } catch (error) {
      if (signal.aborted || AbortError.isInstance(error)) {
        reason = 'cancelled';
      } else {
        failure = toError(error);
        const interrupted =
          stream.received && (NetworkError.isInstance(error) || TimeoutError.isInstance(error));
        reason = interrupted ? 'interrupted' : mapErrorToEndState(error).reason;
      }
    }
    return this.#finish(turn, stream, reason, failure);
  }

  async #consume(
    source: ReturnType<NonNullable<ChatOptions['transport']>['send']>,
    stream: ActiveStream,
  ): Promise<void> {
    const { signal } = stream.controller;
    const iterable = await raceAbort(Promise.resolve(source), signal);
    const iterator = iterable[Symbol.asyncIterator]();
    // One abort listener per turn rejects whichever step is pending, so `stop()` ends the turn at
    // once even with a transport that ignores its signal (cheaper than racing every chunk).
    let rejectStep: ((reason: unknown) => void) | null = null;
    const onAbort = () => rejectStep?.(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal.aborted) throw signal.reason;
        const step = await new Promise<IteratorResult<ChatCompletionChunk>>((resolve, reject) => {
          rejectStep = reject;
          iterator.next().then(resolve, reject);
        });
        if (step.done) return;
        this.#apply(step.value, stream);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) Promise.resolve(iterator.return?.()).catch(() => {});
    }
  }

  #apply(chunk: ChatCompletionChunk, stream: ActiveStream): void {
    if (typeof chunk !== 'object' || chunk === null) {
      throw new MalformedResponseError('A chunk of the reply has an unexpected shape', safeJson(chunk));
    }
    // A usage-only chunk may leave out `choices` (some servers do).
    const choices: unknown = chunk.choices;
    if (!Array.isArray(choices) && (choices !== undefined || !chunk.usage)) {
      throw new MalformedResponseError('A chunk of the reply has an unexpected shape', safeJson(chunk));
    }
    if (chunk.usage) stream.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content;
    if (typeof text === 'string' && text !== '') {
      stream.text += text;
      stream.dirty = true;
    }
    if (choice?.finish_reason) stream.finishReason = choice.finish_reason;
    if (!stream.received) {
      stream.received = true;
      this.#commit({ status: 'streaming', retryWait: null }); // folds the first text in, as `streaming`
    } else if (stream.dirty) {
      this.#scheduleFlush();
    }
  }

  #finish(turn: Turn, stream: ActiveStream, reason: ChatFinishReason, failure: Error | null): ChatTurnResult {
    this.#active = null;
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    const { messages } = this.#state;
    const at = messages.findLastIndex((m) => m.id === stream.messageId);
    const current = messages[at] ?? (turn.kind === 'continue' ? turn.target : turn.placeholder);
    const previous = turn.kind === 'continue' ? turn.target : null;

    let message: ChatMessage;
    if (previous && !stream.received) {
      // A `continue` that got nothing back leaves the reply as it was (with the error, if any).
      message = failure ? { ...previous, error: describe(failure) } : previous;
    } else {
      message = {
        ...current,
        content: stream.base + stream.text,
        ...endingOf(reason),
        finishReason: stream.finishReason,
        usage:
          previous?.usage && stream.usage
            ? addUsage(previous.usage, stream.usage)
            : (stream.usage ?? previous?.usage ?? null),
        error: failure ? describe(failure) : null,
      };
    }

    let next: ChatMessage[];
    if (at < 0) {
      next = messages; // removed (or cleared) while it streamed
    } else if (!previous && !stream.received && reason === 'cancelled' && !current.alternatives) {
      next = messages.toSpliced(at, 1); // stopped before any byte: nothing to show
    } else {
      next = replaceAt(messages, at, message);
    }
    const usage = addUsage(this.#state.usage, stream.usage);
    if (failure) this.#commit({ messages: next, usage, retryWait: null, status: 'error', error: failure });
    else this.#commit({ messages: next, usage, retryWait: null, status: 'idle', error: null });
    this.#persistNow();

    const shown = next.includes(message) ? message : (next.at(-1) ?? message);
    const event: ChatFinishEvent = { message: shown, reason };
    if (failure) this.#call(() => this.#options.onError?.(failure));
    this.#call(() => this.#options.onFinish?.(event));
    return { type: 'finished', ...event };
  }

  #buildRequest(history: ChatMessage[], replyId: string, isContinue: boolean): MaybePromise<BuiltRequest> {
    const options = this.#options;
    const draft = buildChatRequest(options, history, isContinue ? { continue: true } : undefined);
    const context = options.context;
    if (!context) return { body: draft.body, dropped: null };
    // The same plan a token meter shows: system message and instructions counted, never dropped.
    return mapPlan(planChatRequest(draft, context), (p) => ({
      body: p.body,
      dropped: p.droppedIds.length > 0 ? { messageId: replyId, droppedIds: p.droppedIds } : null,
    }));
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

  /** Moves streamed text into the snapshot (one new message object, one new array). */
  #foldStream(state: ChatSnapshot): ChatSnapshot {
    const stream = this.#active;
    if (!stream || !stream.received) return state;
    const { messages } = state;
    const last = messages.length - 1;
    const at =
      messages[last]?.id === stream.messageId
        ? last
        : messages.findLastIndex((m) => m.id === stream.messageId);
    const current = messages[at];
    if (!current) return state;
    const content = stream.base + stream.text;
    if (current.status === 'streaming' && current.content === content) return state;
    stream.dirty = false;
    return { ...state, messages: replaceAt(messages, at, { ...current, content, status: 'streaming' }) };
  }

  #commit(patch: Partial<ChatSnapshotBase> & Partial<Pick<ChatSnapshot, 'status' | 'error'>>): void {
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    this.#state = this.#foldStream({ ...this.#state, ...patch } as ChatSnapshot);
    this.#notify();
  }

  #scheduleFlush(): void {
    const throttle = this.#options.throttle ?? 'frame';
    if (throttle === 0) return this.#flushStream();
    if (this.#cancelFlush) return;
    const run = () => {
      this.#cancelFlush = null;
      this.#flushStream();
    };
    const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
    if (throttle === 'frame' && raf) {
      const handle = raf(run);
      this.#cancelFlush = () =>
        (globalThis as { cancelAnimationFrame?: (h: number) => void }).cancelAnimationFrame?.(handle);
    } else {
      const timer = setTimeout(run, throttle === 'frame' ? FRAME_MS : throttle);
      this.#cancelFlush = () => clearTimeout(timer);
    }
  }

  #flushStream(): void {
    const next = this.#foldStream(this.#state);
    if (next === this.#state) return;
    this.#state = next;
    this.#notify();
    this.#persistSoon();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  #abortNow(): void {
    this.stop();
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

  #report(error: unknown): void {
    const failure = toError(error);
    this.#call(() => this.#options.onError?.(failure));
  }

  #newId(): string {
    return (this.#options.generateId ?? defaultId)();
  }

  #message(fields: Pick<ChatMessage, 'role' | 'content' | 'status'> & Partial<ChatMessage>): ChatMessage {
    return {
      id: fields.id ?? this.#newId(),
      createdAt: fields.createdAt ?? Date.now(),
      finishReason: null,
      endState: null,
      usage: null,
      error: null,
      ...fields,
    };
  }

  #reply(): ChatMessage {
    return this.#message({ role: 'assistant', content: '', status: 'pending' });
  }

  /** Fills in missing fields; a complete message is kept as it is, so its row need not re-render. */
  #normalize(input: ChatMessageInput): ChatMessage {
    if (isComplete(input)) return input;
    return this.#message({ status: 'done', ...input, id: input.id ?? this.#newId() });
  }

  // ——— persistence ———

  get #key(): string {
    return chatStorageKey(this.#id);
  }

  #restore(): void {
    const storage = this.#options.storage;
    if (!storage || this.#restoreStarted) return;
    this.#restoreStarted = true;
    const apply = (value: unknown) => {
      const stored = fromPersisted(this.#key, value);
      if (stored) this.#commit({ messages: stored.messages, usage: stored.usage, restore: 'ready' });
      else this.#commit({ restore: 'ready' });
      if (this.#persistPending) this.#writeNow();
    };
    const fail = (error: unknown) => {
      // Never overwrite what could not be read: the entry stays for the app (or a newer version).
      this.#report(
        ChatStorageError.isInstance(error)
          ? error
          : new ChatStorageError('io', this.#key, `Could not read "${this.#key}"`, { cause: error }),
      );
      this.#commit({ restore: 'failed' });
    };
    try {
      const value = storage.get(this.#key);
      if (value instanceof Promise) {
        this.#restoring = value.then(apply).catch(fail);
      } else {
        apply(value);
      }
    } catch (error) {
      fail(error);
    }
  }

  #canWrite(): boolean {
    return this.#state.restore === 'ready' && !!this.#options.storage;
  }

  #persistNow(): void {
    this.#persistPending = true;
    if (this.#canWrite()) this.#writeNow();
  }

  /** During streaming: at most one write per `persistThrottleMs`. */
  #persistSoon(): void {
    this.#persistPending = true;
    if (this.#persistTimer || !this.#canWrite()) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = null;
      this.flush();
    }, this.#options.persistThrottleMs ?? 1000);
  }

  #writeNow(): void {
    if (this.#persistTimer) clearTimeout(this.#persistTimer);
    this.#persistTimer = null;
    const storage = this.#options.storage;
    if (!storage || !this.#canWrite()) return;
    this.#persistPending = false;
    const state = this.#foldStream(this.#state);
    const onFail = (error: unknown) =>
      this.#report(
        ChatStorageError.isInstance(error)
          ? error
          : new ChatStorageError('io', this.#key, `Could not save "${this.#key}"`, { cause: error }),
      );
    try {
      const done = storage.set(this.#key, toPersisted(this.#id, state.messages, state.usage));
      if (done instanceof Promise) done.catch(onFail);
    } catch (error) {
      onFail(error);
    }
  }
}

type ChatSnapshotBase = Omit<ChatSnapshot, 'status' | 'error'>;

interface BuiltRequest {
  body: ChatTransportRequest;
  dropped: ChatSnapshot['dropped'];
}

function mapPlan<T, U>(value: MaybePromise<T>, map: (value: T) => U): MaybePromise<U> {
  return value instanceof Promise ? value.then(map) : map(value);
}

/** `array.with(at, item)`, by `slice` (a plain copy V8 does fast; `with` is far slower on long arrays). */
function replaceAt<T>(array: readonly T[], at: number, item: T): T[] {
  const copy = array.slice();
  copy[at] = item;
  return copy;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
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
