/** Fetch as the client calls it. Any WHATWG-compatible implementation works. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** When and how often the client sends a failed request again. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `2` means at most 3 requests). Default `2`. */
  maxRetries: number;
  /** The first backoff ceiling, doubled on each retry. Default `500` ms. */
  baseDelayMs: number;
  /** The largest backoff ceiling. Default `8000` ms. */
  maxDelayMs: number;
  /**
   * Full jitter: wait a random time between 0 and the ceiling, so clients that failed together
   * do not retry together. Default `true`; `false` waits the whole ceiling.
   */
  jitter: boolean;
  /**
   * A server-asked wait (`Retry-After`, `retry-after-ms`) longer than this is not waited out:
   * the `ApiError` is thrown with its `retryAfterMs` so the app can tell the user. Default `60000`.
   */
  maxRetryAfterMs: number;
}

/** What an `onRetry` hook receives before each backoff wait. */
export interface RetryEvent {
  /** 1 for the first retry, 2 for the second… */
  attempt: number;
  /** How long the client will wait before sending again. */
  delayMs: number;
  /** Why the previous attempt failed. */
  error: unknown;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * An OpenAI-style base URL including the version, such as `https://api.openai.com/v1` or
   * `http://127.0.0.1:8787/v1`.
   */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Keep it on a server when you can. */
  apiKey?: string;
  /** Headers sent with every request (a request's own `headers` win). */
  headers?: HeadersInit;
  /** The fetch to use. Default: `globalThis.fetch`, looked up when each request is sent. */
  fetch?: FetchFunction;
  /**
   * Per attempt, the longest wait on the network: for the response headers, then for each
   * chunk of the body (the server's silence while the stream waits for it; time the caller
   * spends between chunks does not count, so a slow caller never trips it).
   * A long stream that keeps sending never times out. Exceeding it throws `TimeoutError`.
   * Default `600000` (10 minutes, as in the `openai` SDK).
   */
  timeoutMs?: number;
  /** The retry policy, merged over the defaults; `false` never retries. */
  retry?: Partial<RetryPolicy> | false;
  /** Called before each backoff wait, for "retrying in N s" notices. */
  onRetry?: (event: RetryEvent) => void;
}

/** Per-request options, the second argument of every method. */
export interface RequestOptions {
  /** Aborting rejects (or ends the iteration) with `AbortError`, during waits too. */
  signal?: AbortSignal | null;
  /** Extra headers for this request. */
  headers?: HeadersInit;
  /** Overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Overrides the client's retry policy. */
  retry?: Partial<RetryPolicy> | false;
  /** Called before each backoff wait of this request (after the client's own `onRetry`). */
  onRetry?: (event: RetryEvent) => void;
}

export const DEFAULT_TIMEOUT_MS = 600_000;

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  jitter: true,
  maxRetryAfterMs: 60_000,
};

export function resolveRetry(...layers: Array<Partial<RetryPolicy> | false | undefined>): RetryPolicy {
  let policy = DEFAULT_RETRY;
  for (const layer of layers) {
    if (layer === false) policy = { ...policy, maxRetries: 0 };
    else if (layer) policy = { ...policy, ...layer };
  }
  return policy;
}
