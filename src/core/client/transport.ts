import { AbortError, ApiError, NetworkError, ParlanceError, TimeoutError } from '../errors';
import { sleep, toAbortError } from '../internal/sleep';
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

/** A 2xx response whose body is guarded by the idle timeout and the caller's signal. */
export interface Opened {
  response: Response;
  /** The body; errors are typed (`TimeoutError`, `AbortError`, `NetworkError`). */
  body: ReadableStream<Uint8Array>;
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

/** Reads a whole body as UTF-8 text. */
export async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
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
  // The timer runs only while we wait on the network (headers, then each read), so a consumer
  // that takes its time between chunks never trips it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waiting = (on: boolean) => {
    clearTimeout(timer);
    if (on) timer = setTimeout(() => attempt.abort(new TimeoutError(timeoutMs)), timeoutMs);
  };
  const done = () => {
    waiting(false);
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
    throw typed(error, attempt.signal);
  }

  waiting(false);
  const body = guardBody(response, attempt, waiting, done);
  if (!response.ok) {
    let text = '';
    try {
      text = await readAll(body);
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
 * Wraps the response body so each pending read is timed, aborts reject promptly even with a
 * fetch that ignores its signal, and errors come out typed.
 */
function guardBody(
  response: Response,
  attempt: AbortController,
  waiting: (on: boolean) => void,
  done: () => void,
): ReadableStream<Uint8Array> {
  const source = response.body;
  if (!source) {
    done();
    return new ReadableStream({ start: (c) => c.close() });
  }
  const reader = source.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        waiting(true);
        try {
          result = await raceSignal(reader.read(), attempt.signal);
          waiting(false);
        } catch (error) {
          done();
          const failure = typed(error, attempt.signal);
          if (bytes > 0) afterFirstByte.add(failure);
          reader.cancel(failure).catch(() => {});
          throw failure;
        }
        if (result.done) {
          done();
          controller.close();
          return;
        }
        bytes += result.value.byteLength;
        controller.enqueue(result.value);
      },
      cancel(reason) {
        done();
        attempt.abort(new AbortError('The stream was cancelled', { cause: reason }));
        return reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
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

/** The typed error for a failure: the abort reason if we aborted, else a network error. */
function typed(error: unknown, signal: AbortSignal): ParlanceError {
  if (signal.aborted && ParlanceError.isInstance(signal.reason)) return signal.reason;
  if (ParlanceError.isInstance(error)) return error;
  return new NetworkError(error instanceof Error ? error.message : 'Network request failed', {
    cause: error,
  });
}
