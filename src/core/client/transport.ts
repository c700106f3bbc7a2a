import { AbortError, ApiError, NetworkError, ParlanceError, TimeoutError } from '../errors';
import { ERROR_BODY_MAX_BYTES } from '../internal/body';
import { sleep, toAbortError } from '../internal/sleep';
import type { ByteSource } from '../stream/parse-sse-stream';
import type { ClientOptions, RequestOptions } from './options';
import { DEFAULT_TIMEOUT_MS, resolveRetry } from './options';
import { retryDelay } from './retry';

/** One HTTP call as the methods describe it. */
export interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: object | FormData;
  /** Expect `text/event-stream` and hand back the body unread. */
  stream?: boolean;
}

/**
 * The body of a response, read under the idle timeout and the caller's signal. Errors are typed
 * (`TimeoutError`, `AbortError`, `NetworkError`); aborts reject a pending read at once, even with
 * a fetch that ignores its signal.
 */
export interface BodyReader extends ByteSource {
  /** Throws the typed error if the attempt was aborted (timeout, caller's signal, cancel). */
  throwIfAborted(): void;
}

/** A 2xx response with its guarded body. */
export interface Opened {
  response: Response;
  body: BodyReader;
}

/** Errors that happened after body bytes arrived: never retried. */
const afterFirstByte = new WeakSet<object>();

/**
 * Sends `call`, retrying per the policy, then hands the 2xx response to `consume` (which reads
 * the body, or returns it unread for a stream). Retries happen only before any byte of a
 * successful body was read; every backoff wait is abortable.
 */
export async function request<T>(
  client: ClientOptions,
  call: Call,
  options: RequestOptions,
  consume: (opened: Opened) => Promise<T> | T,
): Promise<T> {
  const policy = resolveRetry(client.retry, options.retry);
  for (let attempt = 1; ; attempt++) {
    try {
      return await consume(await attemptOnce(client, call, options));
    } catch (error) {
      if (AbortError.isInstance(error) || afterFirstByte.has(error as object)) throw error;
      const delayMs = retryDelay(error, attempt, policy);
      if (delayMs === null) throw error;
      const event = { attempt, delayMs, error };
      client.onRetry?.(event);
      options.onRetry?.(event);
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * Reads a body as UTF-8 text: whole, or its first `maxBytes` bytes, after which the rest is
 * cancelled unread.
 */
export async function readAll(reader: ByteSource, maxBytes = Number.POSITIVE_INFINITY): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let left = maxBytes;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    if (value.byteLength >= left) {
      text += decoder.decode(value.subarray(0, left));
      await reader.cancel(new RangeError(`The body is longer than ${maxBytes} bytes.`));
      return text;
    }
    left -= value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}

async function attemptOnce(client: ClientOptions, call: Call, options: RequestOptions): Promise<Opened> {
  const signal = options.signal ?? undefined;
  if (signal?.aborted) throw toAbortError(signal);
  const timeoutMs = options.timeoutMs ?? client.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One controller per attempt; its reason is already the typed error to throw.
  const attempt = new AbortController();
  const onAbort = () => attempt.abort(toAbortError(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  // The timeout counts only while we wait on the network (headers, then each read), so a
  // consumer that takes its time between chunks never trips it. One timer serves every wait: a
  // wait records when it began, and the timer, when it fires, aborts if the current wait is old
  // enough and otherwise re-arms for the rest. A read costs a clock reading, not a new timer.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingSince = -1; // -1: not waiting
  let wait = 0; // counts the waits, so the timer knows whether the wait it was armed for goes on
  let armedFor = 0;
  const arm = (ms: number) => {
    armedFor = wait;
    timer = setTimeout(expire, ms);
  };
  const expire = () => {
    timer = undefined;
    if (waitingSince < 0) return; // re-armed by the next wait
    const left = timeoutMs - (performance.now() - waitingSince);
    // The same wait the timer was armed for has lasted the whole timeout, whatever the clock says.
    if (left <= 0 || armedFor === wait) attempt.abort(new TimeoutError(timeoutMs));
    else arm(left);
  };
  const waiting = (on: boolean) => {
    if (!on) {
      waitingSince = -1;
      return;
    }
    waitingSince = performance.now();
    wait++;
    if (timer === undefined) arm(timeoutMs);
  };
  const done = () => {
    waitingSince = -1;
    clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
  };

  let response: Response;
  waiting(true);
  try {
    const init = buildInit(client, call, options, attempt.signal);
    const url = `${client.baseUrl.replace(/\/+$/, '')}${call.path}`;
    const pending = client.fetch ? client.fetch(url, init) : globalThis.fetch(url, init);
    response = await raceSignal(pending, attempt.signal);
  } catch (error) {
    done();
    throw typed(error, attempt.signal, client.baseUrl);
  }

  waiting(false);
  const body = guardBody(response, attempt, waiting, done);
  if (!response.ok) {
    let text = '';
    try {
      text = await readAll(body, ERROR_BODY_MAX_BYTES);
    } catch (error) {
      if (AbortError.isInstance(error)) throw error;
    }
    throw ApiError.fromResponse(response, text);
  }
  return { response, body };
}

function buildInit(
  client: ClientOptions,
  call: Call,
  options: RequestOptions,
  signal: AbortSignal,
): RequestInit {
  const headers = new Headers({ accept: call.stream ? 'text/event-stream' : 'application/json' });
  if (client.apiKey) headers.set('authorization', `Bearer ${client.apiKey}`);
  let body: BodyInit | undefined;
  if (call.body instanceof FormData) {
    body = call.body; // fetch writes the multipart boundary into content-type itself
  } else if (call.body) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(call.body);
  }
  new Headers(client.headers).forEach((value, key) => headers.set(key, value));
  new Headers(options.headers).forEach((value, key) => headers.set(key, value));
  return { method: call.method, headers, body, signal };
}

/**
 * The guarded reader of the response body: each pending read is timed (`waiting`), an abort
 * rejects it promptly even with a fetch that ignores its signal, and errors come out typed.
 */
function guardBody(
  response: Response,
  attempt: AbortController,
  waiting: (on: boolean) => void,
  done: () => void,
): BodyReader {
  const signal = attempt.signal;
  const throwIfAborted = () => {
    if (signal.aborted) throw typed(undefined, signal);
  };
  const source = response.body;
  if (!source) {
    done();
    return {
      read: () => Promise.resolve({ done: true, value: undefined }),
      cancel: () => Promise.resolve(),
      throwIfAborted,
    };
  }
  const reader = source.getReader();
  let bytes = 0;
  // The reject of the pending read, for an abort to call: one listener for the whole body
  // instead of one per read.
  let rejectPending: ((error: unknown) => void) | undefined;
  signal.addEventListener('abort', () => rejectPending?.(signal.reason), { once: true });

  const fail = (error: unknown): never => {
    done();
    const failure = typed(error, signal);
    if (bytes > 0) afterFirstByte.add(failure);
    reader.cancel(failure).catch(() => {});
    throw failure;
  };
  const settle = (result: ReadableStreamReadResult<Uint8Array>) => {
    rejectPending = undefined;
    if (result.done) {
      done();
    } else {
      waiting(false);
      bytes += result.value.byteLength;
    }
    return result;
  };
  const failPending = (error: unknown) => {
    rejectPending = undefined;
    return fail(error);
  };

  return {
    read() {
      if (signal.aborted) {
        try {
          fail(undefined);
        } catch (failure) {
          return Promise.reject(failure as Error);
        }
      }
      waiting(true);
      return new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
        rejectPending = reject;
        reader.read().then(resolve, reject);
      }).then(settle, failPending);
    },
    cancel(reason) {
      done();
      attempt.abort(new AbortError('The stream was cancelled', { cause: reason }));
      return reader.cancel(reason).catch(() => {});
    },
    throwIfAborted,
  };
}

/** Rejects with the signal's reason as soon as it aborts, whatever `promise` does. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The typed error for a failure: the abort reason if we aborted, else a network error. Given the
 * `baseUrl` (the request got no response at all), its message says what could not be reached.
 */
function typed(error: unknown, signal: AbortSignal, baseUrl?: string): ParlanceError {
  if (signal.aborted && ParlanceError.isInstance(signal.reason)) return signal.reason;
  if (ParlanceError.isInstance(error)) return error;
  const detail = error instanceof Error ? error.message : 'Network request failed';
  return new NetworkError(baseUrl === undefined ? detail : unreachable(baseUrl, error, detail), {
    cause: error,
  });
}

/**
 * Why `fetch` rejected, for a person: browsers say only "Failed to fetch" (or "NetworkError when
 * attempting to fetch resource.") whether the server is down or refused the page's origin.
 */
function unreachable(baseUrl: string, error: unknown, detail: string): string {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const why = typeof code === 'string' ? `${detail}: ${code}` : detail;
  let message = `Could not reach ${baseUrl} (${why}). Check that the server is running there.`;
  const page = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  let target: string | undefined;
  try {
    target = typeof page === 'string' ? new URL(baseUrl, page).origin : undefined;
  } catch {
    target = undefined;
  }
  if (typeof page === 'string' && page !== 'null' && target !== undefined && target !== page) {
    message +=
      ` This page (${page}) is on another origin, so the server must also allow it: add it to` +
      ' PARLANCE_ALLOWED_ORIGINS (or allowedOrigins) on the Parlance server, or serve the API from' +
      " this page's origin (a route handler, or a dev-server proxy) and set baseUrl to that path.";
  }
  return message;
}
