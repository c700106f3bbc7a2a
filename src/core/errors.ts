import type { ErrorEnvelope } from './wire/error';
import { brand, hasMarker } from './internal/brand';
import { readErrorFields } from './internal/error-fields';
import { parseRetryAfter } from './internal/retry-after';
import { describeNonJsonBody, snippet, statusLine } from './internal/text';

/**
 * Base class of every error `parlance/core` throws. Check with {@link ParlanceError.isInstance}
 * rather than `instanceof`, which fails when two copies of the package are loaded.
 */
export class ParlanceError extends Error {
  override readonly name: string = 'ParlanceError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** True for any Parlance error, from this copy of the package or another one. */
  static isInstance(error: unknown): error is ParlanceError {
    return hasMarker(error, BASE_MARKER);
  }
}
const BASE_MARKER = brand(ParlanceError, 'ParlanceError');

/**
 * Parlance was not given a setting it needs, so it refuses to guess: most often no `baseUrl`
 * (a request would otherwise go to a path relative to the page). `option` names the setting.
 * Thrown where the developer notices it first, such as the render of a hook with no `baseUrl`.
 *
 * @example
 * ```ts
 * if (ConfigurationError.isInstance(error)) console.error(`Set ${error.option}:`, error.message);
 * ```
 */
export class ConfigurationError extends ParlanceError {
  override readonly name: string = 'ConfigurationError';
  /** The setting that is missing or wrong, such as `baseUrl`; `null` when not one setting. */
  readonly option: string | null;

  constructor(message: string, options?: { option?: string; cause?: unknown }) {
    super(message, options);
    this.option = options?.option ?? null;
  }

  static override isInstance(error: unknown): error is ConfigurationError {
    return hasMarker(error, CONFIGURATION_MARKER);
  }
}
const CONFIGURATION_MARKER = brand(ConfigurationError, 'ConfigurationError');

/** Fields of an {@link ApiError}; everything but `status` and `message` is optional. */
export interface ApiErrorInit {
  /** HTTP status; `undefined` when the error arrived as an event inside a 200 stream. */
  status: number | undefined;
  /** The server's message, shown as is. */
  message: string;
  /** OpenAI's `error.type`. Default `null`. */
  type?: string | null;
  /** OpenAI's `error.code`. Default `null`. */
  code?: string | null;
  /** OpenAI's `error.param`. Default `null`. */
  param?: string | null;
  /** The `x-request-id` header. Default `null`. */
  requestId?: string | null;
  /** The server-asked wait in ms. Default `null`. */
  retryAfterMs?: number | null;
  /** The parsed body, or its text. */
  body?: unknown;
  /** The underlying error, if any. */
  cause?: unknown;
}

const RETRYABLE_STATUS = new Set([408, 409, 429]);

/**
 * The server answered with an error: a non-2xx status with OpenAI's `{"error": {...}}` envelope
 * (or any other body), or an `error` event inside a stream.
 *
 * @example
 * ```ts
 * try { await client.chat.completions.create(body) }
 * catch (e) { if (ApiError.isInstance(e) && e.status === 401) showKeyPrompt() }
 * ```
 */
export class ApiError extends ParlanceError {
  override readonly name = 'ApiError';
  /** HTTP status; `undefined` when the error arrived as an event inside a 200 stream. */
  readonly status: number | undefined;
  /** OpenAI's `error.type`, such as `invalid_request_error` or `server_error`. */
  readonly type: string | null;
  /** OpenAI's `error.code`, such as `model_not_found` or `rate_limit_exceeded`. */
  readonly code: string | null;
  /** OpenAI's `error.param`: the request field at fault, if any. */
  readonly param: string | null;
  /** The `x-request-id` response header, for support requests. */
  readonly requestId: string | null;
  /** How long the server asked us to wait (`retry-after-ms` or `Retry-After`), in ms. */
  readonly retryAfterMs: number | null;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;

  constructor(init: ApiErrorInit) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.type = init.type ?? null;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.requestId = init.requestId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.body = init.body;
  }

  /**
   * Whether sending the same request again may succeed: 408, 409, 429 and 5xx. The client only
   * retries before any byte of a successful body was read, whatever this says.
   */
  get isRetryable(): boolean {
    return this.status !== undefined && (RETRYABLE_STATUS.has(this.status) || this.status >= 500);
  }

  /**
   * Builds an error from a failed response and its body text. Reads OpenAI's envelope
   * `{"error": {"message", "type", "param", "code"}}`; any other body (an HTML page from a proxy,
   * an empty body, other JSON) still gives a readable message that names the status.
   */
  static fromResponse(response: Response, bodyText: string): ApiError {
    const headers = response.headers;
    const common = {
      status: response.status,
      requestId: headers.get('x-request-id'),
      retryAfterMs: parseRetryAfter(headers),
    };
    let body: unknown = bodyText;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return new ApiError({ ...common, body, message: describeNonJsonBody(response, bodyText) });
    }
    const fields = readErrorFields(body);
    const message = fields.message ?? `${statusLine(response)}: ${snippet(bodyText)}`;
    return new ApiError({ ...common, ...fields, body, message });
  }

  /** Builds an error from an `{"error": {...}}` event that arrived inside a stream. */
  static fromEvent(envelope: ErrorEnvelope): ApiError {
    const fields = readErrorFields(envelope);
    return new ApiError({
      status: undefined,
      ...fields,
      message: fields.message ?? 'Stream error',
      body: envelope,
    });
  }

  static override isInstance(error: unknown): error is ApiError {
    return hasMarker(error, API_MARKER);
  }
}
const API_MARKER = brand(ApiError, 'ApiError');

/** The request failed before a response arrived, or the connection broke while reading it. */
export class NetworkError extends ParlanceError {
  override readonly name = 'NetworkError';

  constructor(message = 'Network request failed', options?: { cause?: unknown }) {
    super(message, options);
  }

  static override isInstance(error: unknown): error is NetworkError {
    return hasMarker(error, NETWORK_MARKER);
  }
}
const NETWORK_MARKER = brand(NetworkError, 'NetworkError');

/** No response headers, or no new body bytes, within the client's `timeoutMs`. */
export class TimeoutError extends ParlanceError {
  override readonly name = 'TimeoutError';
  /** The limit that was exceeded, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message = `Request timed out after ${timeoutMs} ms`) {
    super(message);
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(error: unknown): error is TimeoutError {
    return hasMarker(error, TIMEOUT_MARKER);
  }
}
const TIMEOUT_MARKER = brand(TimeoutError, 'TimeoutError');

/**
 * The caller cancelled (its `AbortSignal` fired). A cancellation, not a failure: keep what was
 * received and go back to idle. `name` is `'AbortError'`, like the DOM's.
 */
export class AbortError extends ParlanceError {
  override readonly name = 'AbortError';

  constructor(message = 'The request was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }

  static override isInstance(error: unknown): error is AbortError {
    return hasMarker(error, ABORT_MARKER);
  }
}
const ABORT_MARKER = brand(AbortError, 'AbortError');

/**
 * A stream's body ended without `data: [DONE]` (for a chat completion stream: before every
 * choice had a `finish_reason`), or its connection broke after the stream began (then `cause` is
 * the {@link NetworkError}). Everything that arrived before was already delivered; `chunks` holds
 * it too.
 */
export class StreamInterruptedError<T = unknown> extends ParlanceError {
  override readonly name = 'StreamInterruptedError';
  /** The parsed events that arrived before the break, in order. */
  readonly chunks: readonly T[];

  constructor(
    chunks: readonly T[],
    message = 'The stream ended before [DONE]',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.chunks = chunks;
  }

  static override isInstance(error: unknown): error is StreamInterruptedError {
    return hasMarker(error, INTERRUPTED_MARKER);
  }
}
const INTERRUPTED_MARKER = brand(StreamInterruptedError, 'StreamInterruptedError');

/** A 2xx body that is not JSON, or JSON of the wrong shape. */
export class MalformedResponseError extends ParlanceError {
  override readonly name = 'MalformedResponseError';
  /** The start of the offending text (at most 500 characters). */
  readonly text: string;

  constructor(message: string, text: string, options?: { cause?: unknown }) {
    super(message, options);
    this.text = snippet(text, 500);
  }

  static override isInstance(error: unknown): error is MalformedResponseError {
    return hasMarker(error, MALFORMED_MARKER);
  }
}
const MALFORMED_MARKER = brand(MalformedResponseError, 'MalformedResponseError');

/**
 * A request was not sent because its estimated cost would pass a cap of `useChat({ budget })`
 * (or `createChatStore({ budget })`): `limit` says which. The message is not added to the
 * conversation, so the draft can be kept; amounts are in `currency` (the price's).
 *
 * @example
 * ```ts
 * if (BudgetExceededError.isInstance(chat.error)) show(`${chat.error.estimatedCost} > ${chat.error.cap}`);
 * ```
 */
export class BudgetExceededError extends ParlanceError {
  override readonly name = 'BudgetExceededError';
  /** `request`: `maxCostPerRequest`; `conversation`: `maxCost` (spent so far plus this request). */
  readonly limit: 'request' | 'conversation';
  /** The cap that would be passed. */
  readonly cap: number;
  /** The estimate compared with it: the request's most (prompt plus the longest reply), plus what was spent for `conversation`. */
  readonly estimatedCost: number;
  /** The cost of the conversation so far (from each reply's `usage`). */
  readonly spent: number;
  /** ISO 4217 code of the amounts. */
  readonly currency: string;
  /** The model the request was for. */
  readonly model: string;
  /** Prompt tokens of the request. */
  readonly promptTokens: number;
  /** The most reply tokens priced (the reply room, at most `max_tokens`). */
  readonly maxReplyTokens: number;

  constructor(init: {
    limit: 'request' | 'conversation';
    cap: number;
    estimatedCost: number;
    spent: number;
    currency: string;
    model: string;
    promptTokens: number;
    maxReplyTokens: number;
  }) {
    super(
      init.limit === 'request'
        ? `Not sent: the request to ${init.model} could cost up to ${init.estimatedCost.toPrecision(3)} ${init.currency} ` +
            `(${init.promptTokens} prompt tokens, up to ${init.maxReplyTokens} reply tokens), over maxCostPerRequest ${init.cap} ${init.currency}.`
        : `Not sent: with this request the conversation could cost ${init.estimatedCost.toPrecision(3)} ${init.currency} ` +
            `(${init.spent.toPrecision(3)} spent so far), over maxCost ${init.cap} ${init.currency}.`,
    );
    this.limit = init.limit;
    this.cap = init.cap;
    this.estimatedCost = init.estimatedCost;
    this.spent = init.spent;
    this.currency = init.currency;
    this.model = init.model;
    this.promptTokens = init.promptTokens;
    this.maxReplyTokens = init.maxReplyTokens;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return hasMarker(error, BUDGET_MARKER);
  }
}
const BUDGET_MARKER = brand(BudgetExceededError, 'BudgetExceededError');
