import type { FetchFunction } from '../client/options';
import { AbortError, ApiError, MalformedResponseError, NetworkError, TimeoutError } from '../errors';
import { readErrorText } from '../internal/body';
import { sleep, toAbortError } from '../internal/sleep';
import type { TokenMessage } from './count';

/**
 * The tokenizer endpoints Parlance speaks. Both are served at the server's root, beside `/v1`:
 * - `llama.cpp`: llama.cpp server's `POST /tokenize` (`{"content"}` → `{"tokens": [...]}`), and
 *   for conversations `POST /apply-template` (`{"messages"}` → `{"prompt"}`) first.
 * - `vllm`: vLLM's `POST /tokenize` (`{"model", "prompt"}` or `{"model", "messages"}` →
 *   `{"count", "max_model_len", "tokens"}`). Parlance's reference server answers this shape.
 */
export type TokenizerEndpointKind = 'llama.cpp' | 'vllm';

/**
 * - `unknown`: not asked yet.
 * - `available`: the last request was answered.
 * - `unavailable`: the server has no such endpoint (404, 405, 501, not JSON, unreachable); asked
 *   again only after `retryAfterMs`.
 */
export type TokenizerEndpointStatus = 'unknown' | 'available' | 'unavailable';

/** Options of {@link createTokenizerEndpoint}. */
export interface TokenizerEndpointOptions {
  /**
   * The backend: an OpenAI-style base URL (`http://127.0.0.1:8080/v1`), or its root. A trailing
   * `/v1` is removed, since llama.cpp and vLLM serve `/tokenize` at the root.
   */
  baseUrl: string;
  /** Which endpoint the backend has. Default `auto`: told from the first answer's shape. */
  kind?: 'auto' | TokenizerEndpointKind;
  /** A `fetch` to use instead of the global one. */
  fetch?: FetchFunction;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** The longest wait for an answer, in ms. Default 10,000. */
  timeoutMs?: number;
  /** How many counts to remember (least recently used dropped first). Default 500. */
  cacheSize?: number;
  /** After the endpoint was found missing, how long to wait before asking again, in ms. Default 60,000. */
  retryAfterMs?: number;
}

/** Options of one count. */
export interface RemoteCountOptions {
  /** The model to count for (vLLM checks it against the model it serves; llama.cpp ignores it). */
  model?: string | null;
  /** Cancels the request: the promise rejects with an `AbortError`. */
  signal?: AbortSignal | null;
}

/** A count the backend made with the model's own tokenizer: exact. */
export interface RemoteTokenCount {
  /** Number of tokens. For a conversation, its whole prompt as the model's chat template renders it. */
  tokens: number;
  /** The endpoint that answered. */
  kind: TokenizerEndpointKind;
  /** The context window the backend reports (vLLM's `max_model_len`), else `null`. */
  maxModelLen: number | null;
}

/** A backend's tokenizer endpoint; see {@link createTokenizerEndpoint}. */
export interface TokenizerEndpoint {
  /** The URL of its `/tokenize`. */
  readonly url: string;
  /** Whether it answered last time. */
  readonly status: TokenizerEndpointStatus;
  /** The endpoint's kind, once known. */
  readonly kind: TokenizerEndpointKind | null;
  /**
   * The exact count of `text` alone, without the BOS or other special tokens a prompt would add.
   * Rejects with `ApiError`, `NetworkError`, `TimeoutError`, `AbortError` or
   * `MalformedResponseError`; right away, with the last error, while the endpoint is unavailable.
   */
  count(text: string, options?: RemoteCountOptions): Promise<RemoteTokenCount>;
  /** The exact prompt tokens of a conversation, chat template and reply primer included. */
  countChat(messages: readonly TokenMessage[], options?: RemoteCountOptions): Promise<RemoteTokenCount>;
  /** A count already known (asked before and still cached); never sends a request. */
  peek(input: string | readonly TokenMessage[], model?: string | null): RemoteTokenCount | undefined;
  /** Forgets cached counts and what was learned about the endpoint. */
  reset(): void;
}

/**
 * The server root of an OpenAI-style base URL: `http://host:8080/v1` → `http://host:8080`,
 * `/api/parlance/v1` → `/api/parlance`. Other URLs lose only trailing slashes.
 */
export function tokenizerRootUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** Whether a failure means the backend has no such endpoint (as opposed to a passing fault). */
function meansMissing(error: unknown): boolean {
  if (ApiError.isInstance(error)) return error.status === 404 || error.status === 405 || error.status === 501;
  return NetworkError.isInstance(error) || MalformedResponseError.isInstance(error);
}

class LruCache<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly size: number) {}

  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.size) this.#map.delete(this.#map.keys().next().value!);
  }

  clear(): void {
    this.#map.clear();
  }
}

function cacheKey(input: string | readonly TokenMessage[], model: string | null | undefined): string {
  return `${model ?? ''}\u0000${typeof input === 'string' ? `t${input}` : `m${JSON.stringify(input)}`}`;
}

function readCount(
  body: unknown,
  text: string,
): { tokens: number; maxModelLen: number | null; kind: TokenizerEndpointKind } {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof record.count === 'number' && Number.isInteger(record.count) && record.count >= 0) {
    const max = record.max_model_len;
    return { tokens: record.count, maxModelLen: typeof max === 'number' ? max : null, kind: 'vllm' };
  }
  if (Array.isArray(record.tokens))
    return { tokens: record.tokens.length, maxModelLen: null, kind: 'llama.cpp' };
  throw new MalformedResponseError('The tokenizer endpoint answered without "count" or "tokens".', text);
}

/**
 * Counts tokens through a backend's own tokenizer endpoint — llama.cpp server's or vLLM's
 * `POST /tokenize` — so that models Parlance's tables do not know are counted exactly. Counts
 * are cached (LRU), every request can be cancelled, and a backend without the endpoint is asked
 * again only after a while. Use {@link debounceTokenCount} to count a draft as the user types.
 *
 * @example
 * ```ts
 * const endpoint = createTokenizerEndpoint({ baseUrl: 'http://127.0.0.1:8080/v1' });
 * const { tokens } = await endpoint.count('Hello there', { model: 'qwen2.5-7b-instruct' });
 * ```
 */
export function createTokenizerEndpoint(options: TokenizerEndpointOptions): TokenizerEndpoint {
  if (typeof options.baseUrl !== 'string' || options.baseUrl.trim() === '') {
    throw new TypeError('createTokenizerEndpoint: baseUrl must be a non-empty URL.');
  }
  const root = tokenizerRootUrl(options.baseUrl.trim());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryAfterMs = options.retryAfterMs ?? 60_000;
  const cache = new LruCache<RemoteTokenCount>(Math.max(1, options.cacheSize ?? 500));
  let kind: TokenizerEndpointKind | null = options.kind && options.kind !== 'auto' ? options.kind : null;
  let status: TokenizerEndpointStatus = 'unknown';
  let missing: { error: unknown; until: number } | null = null;

  async function post(path: string, body: unknown, signal: AbortSignal | null | undefined): Promise<unknown> {
    if (signal?.aborted) throw toAbortError(signal);
    if (missing && Date.now() < missing.until) throw missing.error;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    try {
      let response: Response;
      try {
        response = await (options.fetch ?? globalThis.fetch)(`${root}${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (cause) {
        if (signal?.aborted) throw toAbortError(signal);
        if (timedOut) throw new TimeoutError(timeoutMs);
        throw new NetworkError(`The tokenizer endpoint ${root}${path} could not be reached`, { cause });
      }
      let text: string;
      try {
        text = response.ok ? await response.text() : await readErrorText(response);
      } catch (cause) {
        if (signal?.aborted) throw toAbortError(signal);
        if (timedOut) throw new TimeoutError(timeoutMs);
        throw new NetworkError('The tokenizer endpoint broke off its answer', { cause });
      }
      if (!response.ok) throw ApiError.fromResponse(response, text);
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new MalformedResponseError(`The tokenizer endpoint ${root}${path} did not answer JSON.`, text, {
          cause,
        });
      }
    } catch (error) {
      if (meansMissing(error)) {
        status = 'unavailable';
        missing = { error, until: Date.now() + retryAfterMs };
      }
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  function remember(key: string, result: RemoteTokenCount): RemoteTokenCount {
    status = 'available';
    missing = null;
    kind = result.kind;
    cache.set(key, result);
    return result;
  }

  function modelField(model: string | null | undefined): { model?: string } {
    return model ? { model } : {};
  }

  async function count(text: string, opts: RemoteCountOptions = {}): Promise<RemoteTokenCount> {
    if (typeof text !== 'string') throw new TypeError('TokenizerEndpoint.count: text must be a string.');
    const key = cacheKey(text, opts.model);
    const hit = cache.get(key);
    if (hit) return hit;
    const llamaBody = { content: text, add_special: false };
    const vllmBody = { ...modelField(opts.model), prompt: text, add_special_tokens: false };
    let raw: unknown;
    if (kind !== null)
      raw = await post('/tokenize', kind === 'llama.cpp' ? llamaBody : vllmBody, opts.signal);
    else {
      // llama.cpp and current vLLM ignore fields they do not know, so while the kind is unknown
      // one body serves either and the answer's shape tells which replied. Servers that refuse
      // unknown fields (older vLLM, TensorRT-LLM: 400/422) get vLLM's own body instead.
      try {
        raw = await post('/tokenize', { ...vllmBody, ...llamaBody }, opts.signal);
      } catch (error) {
        if (!(ApiError.isInstance(error) && (error.status === 400 || error.status === 422))) throw error;
        raw = await post('/tokenize', vllmBody, opts.signal);
      }
    }
    const read = readCount(raw, JSON.stringify(raw));
    return remember(key, { ...read, kind: kind ?? read.kind });
  }

  async function countChat(
    messages: readonly TokenMessage[],
    opts: RemoteCountOptions = {},
  ): Promise<RemoteTokenCount> {
    if (!Array.isArray(messages))
      throw new TypeError('TokenizerEndpoint.countChat: messages must be an array.');
    const key = cacheKey(messages, opts.model);
    const hit = cache.get(key);
    if (hit) return hit;
    if (kind === null) await count('', opts);
    let result: RemoteTokenCount;
    if (kind === 'llama.cpp') {
      // What llama.cpp's chat route does: render the template, then tokenize with special tokens.
      const rendered = await post('/apply-template', { messages }, opts.signal);
      const prompt = (rendered as { prompt?: unknown } | null)?.prompt;
      if (typeof prompt !== 'string') {
        throw new MalformedResponseError(
          '/apply-template answered without a "prompt".',
          JSON.stringify(rendered),
        );
      }
      const raw = await post(
        '/tokenize',
        { content: prompt, add_special: true, parse_special: true },
        opts.signal,
      );
      result = { ...readCount(raw, JSON.stringify(raw)), kind: 'llama.cpp' };
    } else {
      const raw = await post(
        '/tokenize',
        { ...modelField(opts.model), messages, add_generation_prompt: true },
        opts.signal,
      );
      result = { ...readCount(raw, JSON.stringify(raw)), kind: 'vllm' };
    }
    return remember(key, result);
  }

  return {
    url: `${root}/tokenize`,
    get status() {
      return status === 'unavailable' && missing !== null && Date.now() >= missing.until ? 'unknown' : status;
    },
    get kind() {
      return kind;
    },
    count,
    countChat,
    peek: (input, model) => cache.get(cacheKey(input, model)),
    reset() {
      cache.clear();
      status = 'unknown';
      missing = null;
      kind = options.kind && options.kind !== 'auto' ? options.kind : null;
    },
  };
}

/** Options of {@link debounceTokenCount}. */
export interface DebounceTokenCountOptions {
  /** How long the input must stay unchanged before it is sent, in ms. Default 250. */
  delayMs?: number;
}

/** A debounced counter; see {@link debounceTokenCount}. */
export interface DebouncedTokenCount {
  /**
   * Counts `input` (a text, or a conversation) once it has been left alone for the delay. A cached
   * count resolves at once. A newer call, `cancel()` or `signal` rejects the pending one with an
   * `AbortError`.
   */
  count(input: string | readonly TokenMessage[], options?: RemoteCountOptions): Promise<RemoteTokenCount>;
  /** Cancels the pending count, if any. */
  cancel(): void;
}

/**
 * Wraps an endpoint for counting as the user types: only the input that stays for `delayMs` is
 * sent, and each call cancels the one before it.
 *
 * @example
 * ```ts
 * const counter = debounceTokenCount(endpoint, { delayMs: 300 });
 * textarea.addEventListener('input', () => {
 *   counter.count(textarea.value, { model }).then(
 *     ({ tokens }) => (meter.textContent = String(tokens)),
 *     (error) => { if (!AbortError.isInstance(error)) meter.textContent = '≈'; },
 *   );
 * });
 * ```
 */
export function debounceTokenCount(
  endpoint: TokenizerEndpoint,
  options: DebounceTokenCountOptions = {},
): DebouncedTokenCount {
  const delayMs = options.delayMs ?? 250;
  let current: AbortController | null = null;
  const cancel = () => {
    current?.abort(new AbortError('A newer input replaced this count'));
    current = null;
  };
  return {
    cancel,
    async count(input, opts = {}) {
      cancel();
      const controller = new AbortController();
      current = controller;
      const outer = opts.signal;
      const onAbort = () => controller.abort(outer?.reason);
      if (outer?.aborted) onAbort();
      outer?.addEventListener('abort', onAbort, { once: true });
      try {
        const cached = endpoint.peek(input, opts.model);
        if (cached) return cached;
        await sleep(delayMs, controller.signal);
        const signalled = { model: opts.model ?? null, signal: controller.signal };
        return await (typeof input === 'string'
          ? endpoint.count(input, signalled)
          : endpoint.countChat(input, signalled));
      } finally {
        outer?.removeEventListener('abort', onAbort);
        if (current === controller) current = null;
      }
    },
  };
}
