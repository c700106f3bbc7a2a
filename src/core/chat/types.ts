import type { RetryPolicy } from '../client/options';
import type { MessageEndState } from '../wire/finish-reason';
import type {
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionRequest,
  CompletionUsage,
  FinishReason,
} from '../wire/chat';
import type { ModelPrices } from '../tokens/cost';
import type { ContextPolicy } from '../tokens/plan';
import type { ChatStorage } from './storage';
import type { ChatTools } from './tools';

export type { ChatStorage };

/** A user's rating of a reply. */
export type ChatMessageFeedback = 'up' | 'down';

/** Who wrote a message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** A message's text, or parts (text and images) for vision models. */
export type ChatMessageContent = string | ChatCompletionContentPart[];

/**
 * Where a message is in its life.
 * - `pending`: the reply was asked for and no byte has arrived yet.
 * - `streaming`: text is arriving.
 * - `done`: the reply ended properly; `finishReason` says how (`stop`, `length`, `content_filter`).
 * - `stopped`: the user stopped it; the partial text is kept and sent as context next time.
 * - `interrupted`: the connection broke, or the page closed, mid-reply; the partial text is kept.
 * - `error`: the turn failed; `error` says why (an empty reply when it failed before any byte;
 *   the user's message stays as it was, for editing and retry).
 */
export type ChatMessageStatus = 'pending' | 'streaming' | 'done' | 'stopped' | 'interrupted' | 'error';

/** A failure kept on a message: plain data, so it survives storage. */
export interface ChatMessageError {
  /** The error class's name, such as `ApiError` or `StreamInterruptedError`. */
  name: string;
  /** A human-readable explanation. */
  message: string;
  /** The HTTP status, when the server answered with one. */
  status?: number;
  /** OpenAI's `error.code`, when present. */
  code?: string | null;
}

/**
 * Where a tool call is.
 * - `awaiting-approval`: the tool needs the user's yes (`approveToolCall`) or no (`rejectToolCall`).
 * - `awaiting-result`: the tool has no `execute`; the app answers with `addToolResult`.
 * - `running`: `execute` is running.
 * - `done`: the call has its `output`.
 * - `error`: `execute` failed; `error` says why.
 * - `rejected`: the user declined; `error` holds the reason given, if any.
 */
export type ChatToolCallStatus =
  'awaiting-approval' | 'awaiting-result' | 'running' | 'done' | 'error' | 'rejected';

/** A tool call the model made, kept on the assistant message that made it. */
export interface ChatToolCall<Input = unknown, Output = unknown> {
  /** The wire's `tool_call_id`. */
  id: string;
  /** The function's name. */
  name: string;
  /** The arguments as the model wrote them: the joined JSON string. */
  arguments: string;
  /** `arguments`, parsed. */
  input: Input;
  status: ChatToolCallStatus;
  /** The result, once `done`. */
  output?: Output;
  /** Why the call failed (`error`), or the reason the user gave for declining it (`rejected`). */
  error?: string;
}

/**
 * A source a search-enabled model cited (the wire's `url_citation` annotation): `start_index` and
 * `end_index` are the cited span of the message's text.
 */
export interface ChatUrlCitation {
  type: 'url_citation';
  url_citation: { url: string; title: string; start_index: number; end_index: number };
}

/** One message of a conversation. */
export interface ChatMessage {
  id: string;
  role: ChatRole;
  content: ChatMessageContent;
  /**
   * When the message was created, in ms since the epoch; `0` for an initial message given
   * without one (see {@link ChatOptions.initialMessages}).
   */
  createdAt: number;
  status: ChatMessageStatus;
  /** The wire `finish_reason` of an assistant reply; `null` until (and unless) it arrives. */
  finishReason: FinishReason;
  /**
   * How the reply ended, mirroring `finishReason` (`length` and `content-filter` are
   * `incomplete`), or `null` while it is still going and for user messages.
   */
  endState: MessageEndState | null;
  /** Token usage of the request that produced this reply, when the server sent it. */
  usage: CompletionUsage | null;
  /** Why the turn failed, when `status` is `error` (or a `continue` failed). */
  error: ChatMessageError | null;
  /**
   * Other versions of the conversation from this message on (after `edit` or `regenerate`),
   * each a list of messages starting at this position. The current version is not in the list.
   */
  alternatives?: ChatMessage[][];
  /** This version's place among all versions (`alternatives.length + 1` in all). */
  alternativeIndex?: number;
  /** The tool calls of an assistant reply that called tools, in the wire's order. */
  toolCalls?: ChatToolCall[];
  /** What the model thought before answering (shown folded; never sent back). */
  reasoning?: string;
  /** How long the model thought, in ms, when known. */
  reasoningMs?: number;
  /** The model's refusal, in place of content. */
  refusal?: string;
  /** The user's rating of an assistant reply (thumbs up or down), kept with the conversation. */
  feedback?: ChatMessageFeedback;
  /** Sources the reply cited (`url_citation` annotations). */
  annotations?: ChatUrlCitation[];
}

/** What `initialMessages` and `setMessages` accept: a role and content, the rest filled in. */
export type ChatMessageInput = Pick<ChatMessage, 'role' | 'content'> & Partial<ChatMessage>;

/** Overall request status: one value, with booleans derived from it. */
export type ChatStatus = 'idle' | 'submitted' | 'streaming' | 'error';

/** Why a reply ended, as {@link ChatOptions.onFinish} reports it. */
export type ChatFinishReason = MessageEndState['reason'];

/** A back-off wait before the next attempt (after a 429, a 5xx or a network error before any byte). */
export interface ChatRetryWait {
  /** 1 for the first retry, 2 for the second… */
  attempt: number;
  /** How long the wait is, in ms. */
  delayMs: number;
  /** When the next attempt is sent, in ms since the epoch (for a countdown). */
  retryAt: number;
  /** Why the previous attempt failed. */
  error: Error;
}

/** The messages a context policy left out of the last request, so the UI can say so. */
export interface ChatDroppedContext {
  /** The turn the request was for (the assistant message's id). */
  messageId: string;
  /** Ids of the messages that were not sent. */
  droppedIds: string[];
}

interface ChatSnapshotBase {
  /** The conversation id (the storage key's suffix). */
  id: string;
  /** The visible conversation; unchanged messages keep their identity between snapshots. */
  messages: ChatMessage[];
  /** Token usage summed over every request of this conversation. */
  usage: CompletionUsage;
  /** The back-off wait in progress, or `null`. */
  retryWait: ChatRetryWait | null;
  /**
   * Restoring from storage: `none` (no storage or no `id`), `loading`, `ready`, or `failed`
   * (reported through `onError`; the stored entry is left as it is and not overwritten).
   */
  restore: 'none' | 'loading' | 'ready' | 'failed';
  /** What the `context` policy left out of the latest request, or `null` when nothing was. */
  dropped: ChatDroppedContext | null;
}

/**
 * The store's state. `error` is non-null exactly when `status` is `error`.
 */
export type ChatSnapshot = ChatSnapshotBase &
  ({ status: 'idle' | 'submitted' | 'streaming'; error: null } | { status: 'error'; error: Error });

/** The request a {@link ChatTransport} sends: the wire body without `stream`. */
export type ChatTransportRequest = Omit<ChatCompletionRequest, 'stream' | 'stream_options'> &
  Record<string, unknown>;

/** Per-request options a {@link ChatTransport} receives. */
export interface ChatTransportOptions {
  /** Fires when the user stops the reply; the transport should end the request. */
  signal: AbortSignal;
  /** Extra request headers (the `headers` option). */
  headers?: Record<string, string>;
}

/**
 * How the store reaches a model. `send` returns (or resolves to) the reply's
 * `chat.completion.chunk` objects, and throws typed errors from `parlance/core` on faults
 * (`ApiError`, `NetworkError`, `StreamInterruptedError`, `MalformedResponseError`…). The store
 * retries failures before the first chunk itself, so a transport should not.
 *
 * @example
 * ```ts
 * const echo: ChatTransport = {
 *   async *send(request) {
 *     yield { id: 'x', object: 'chat.completion.chunk', created: 0, model: request.model,
 *       choices: [{ index: 0, delta: { content: 'echo' }, finish_reason: 'stop' }] };
 *   },
 * };
 * ```
 */
export interface ChatTransport {
  send(
    request: ChatTransportRequest,
    options: ChatTransportOptions,
  ): AsyncIterable<ChatCompletionChunk> | Promise<AsyncIterable<ChatCompletionChunk>>;
}

/** What `onFinish` receives when a reply ends, whatever the ending. */
export interface ChatFinishEvent {
  /** The reply (or, when the turn failed before any reply, the user's message). */
  message: ChatMessage;
  reason: ChatFinishReason;
}

/**
 * What `send` (and the other request actions) resolve to, once the reply has ended: `finished`
 * whatever the ending, or `not-sent` with why: `empty` (blank input), `busy` (a reply is in
 * progress: sending while streaming is refused, so two replies never interleave) or
 * `nothing-to-do` (no reply to regenerate, continue or retry).
 */
export type ChatTurnResult =
  | ({ type: 'finished' } & ChatFinishEvent)
  | { type: 'not-sent'; reason: 'empty' | 'busy' | 'nothing-to-do' }
  | {
      type: 'not-sent';
      reason: 'budget';
      /** `BudgetExceededError` with the figures, or `ChatConfigError` when the model has no price. */
      error: Error;
    };

/**
 * Spending caps, in the currency of the model's price (see {@link ChatOptions.prices}). A request
 * whose estimated cost would pass one is not sent: the status turns `error` with a
 * `BudgetExceededError`, the message is not added, and the action resolves to
 * `{ type: 'not-sent', reason: 'budget' }`. A request is estimated at its most: prompt tokens ×
 * input price plus the reply room (at most `max_tokens`) × output price.
 */
export interface ChatBudget {
  /** The most one request may cost. */
  maxCostPerRequest?: number;
  /** The most the conversation may cost: spent so far (each reply's `usage`) plus the next request. */
  maxCost?: number;
}

/**
 * Fitting a long conversation into the model's context window before it is sent, with
 * `planContext` from `parlance/core`: system messages and the newest turn are always kept, older
 * turns are dropped whole by `policy`, and the snapshot's `dropped` says which were left out.
 */
export interface ChatContextOptions {
  /** Which turns to drop. Default `'dropOldest'`; `keepFirstLast({ first, last })` keeps both ends. */
  policy?: 'dropOldest' | ContextPolicy<ChatMessage>;
  /** Tokens kept free on top of `maxTokens` (the reply's room). Default 0. */
  reserve?: number;
  /** Overrides the model table's context window. */
  contextWindow?: number;
}

/**
 * The model asked when neither the chat nor the provider names one: OpenAI's small current chat
 * model, which OpenAI-compatible servers (and the reference server offline) accept.
 */
export const DEFAULT_CHAT_MODEL = 'gpt-4o-mini';

/** Options of {@link createChatStore}; `useChat` takes the same (camelCase) options. */
export interface ChatOptions {
  /**
   * Conversation id, also the storage key (`parlance:chat:<id>`). Default: a random id
   * (`generateId`). `useChat` gives an anonymous conversation an id from React's `useId` instead
   * and stores nothing for it.
   */
  id?: string;
  /** The model to ask. Default {@link DEFAULT_CHAT_MODEL}. */
  model?: string;
  /** A system message put before the conversation on every request (not stored as a message). */
  system?: string;
  /**
   * Standing instructions prepended to the latest user turn on every request, for models that
   * pay the system message little attention. Not shown in `messages`.
   */
  instructions?: string;
  /** Sampling temperature, 0–2. */
  temperature?: number;
  /** Sent as `max_tokens`. */
  maxTokens?: number;
  /**
   * The conversation to start from when nothing is stored under `id`. A message given without
   * `id` gets `initial-<index>`, one without `createdAt` gets `0` (its time is not known):
   * creating a store reads no clock and no random source, so the React binding can create it
   * during render (prerendering allows neither).
   */
  initialMessages?: ChatMessageInput[];
  /**
   * Where the conversation persists. Nothing is stored when omitted (the React binding defaults
   * to `localStorage` in the browser when an `id` is given).
   */
  storage?: ChatStorage | null;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Extra fields merged into every request body (wire names, e.g. `{ top_p: 0.9 }`). */
  body?: Record<string, unknown>;
  /** How to reach the model. Use {@link createClientTransport} for an OpenAI-compatible URL. */
  transport?: ChatTransport;
  /**
   * Retries before the first chunk (429 honouring `Retry-After`, 5xx, network errors).
   * Default: the client's policy (2 retries, exponential backoff with jitter); `false` never.
   */
  retry?: Partial<RetryPolicy> | false;
  /**
   * How a streaming reply's chunks are coalesced: a number notifies at most once per that many ms,
   * in an animation frame where the page has them (default 32: about 30 times a second, which
   * halves the rendering of a reply next to every frame and reads the same); `'frame'` once per
   * animation frame (a 16 ms timer where there is none); `0` on every chunk. Text is never
   * dropped, only batched; lifecycle changes notify at once.
   */
  throttle?: 'frame' | number;
  /** During streaming, storage is written at most once per this many ms. Default 1000. */
  persistThrottleMs?: number;
  /** The user turn `continue()` sends to ask for the rest of a cut reply. */
  continuePrompt?: string;
  /**
   * Trims the conversation to the model's context window before each request (see
   * {@link ChatContextOptions}). Default: off, every message is sent. A turn that cannot fit even
   * alone fails with `ContextOverflowError` before anything is sent.
   */
  context?: ChatContextOptions;
  /**
   * Prices per model, per million tokens (`{ 'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 } }`),
   * for `budget` and cost estimates. `useChat` defaults to the provider's `prices`. None are built in.
   */
  prices?: ModelPrices;
  /**
   * Caps on spending (see {@link ChatBudget}). Needs a price for the model: without one, requests
   * are refused with a `ChatConfigError` rather than sent unpriced.
   */
  budget?: ChatBudget;
  /**
   * Functions the model may call, by name (see {@link ChatTool}): sent as the request's `tools`.
   * Calls run by themselves through `execute` (after `approveToolCall` when `needsApproval`), or
   * wait for `addToolResult`; once every call of a reply is answered the next request is sent.
   */
  tools?: ChatTools;
  /**
   * The most tool rounds (replies that call tools, each answered and followed by a request)
   * after one user message. Default 5. The reply that reaches it keeps its answered calls and no
   * further request is sent.
   */
  maxToolRounds?: number;
  /** Called when a reply ends, whatever the ending. */
  onFinish?: (event: ChatFinishEvent) => void;
  /** Called on request failures and storage problems (never thrown into render). */
  onError?: (error: Error) => void;
  /**
   * Makes message ids (and the conversation id when none is given), called in actions, never
   * while creating the store with an `id`. Default: `crypto.randomUUID()` where available.
   */
  generateId?: () => string;
}
