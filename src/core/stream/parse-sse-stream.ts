import { createParser } from 'eventsource-parser';

import { StreamInterruptedError } from '../errors';
import { DONE, SKIP, decodeEvent, type SSEJsonStreamOptions } from './sse-json-stream';

/** Where {@link readSSE} pulls bytes from: a stream's reader, or the client's guarded body. */
export interface ByteSource {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
  /** Throws if reading has been stopped from outside (an abort), checked before each value. */
  throwIfAborted?(): void;
}

/**
 * Turns an SSE response body into a stream of parsed JSON events. Exact however the network
 * splits the bytes (inside a UTF-8 character, inside `data:`, between CR and LF); CRLF, LF and
 * CR line ends and `: comment` lines are handled by the parser (`eventsource-parser`), and a CR
 * that ends the body ends its line. Events with empty data are skipped.
 *
 * Errors with `ApiError` on an `error` event, `MalformedResponseError` on bad JSON and
 * `StreamInterruptedError` when the body ends before `[DONE]` (unless `isComplete` accepts what
 * arrived), always after delivering every earlier event. Errors of `body` itself pass through unchanged. `[DONE]` ends the output and
 * cancels the body, so a connection held open after it does not keep the reader waiting.
 *
 * @example
 * ```ts
 * for await (const chunk of iterateStream(parseSSEStream<ChatCompletionChunk>(res.body!))) { … }
 * ```
 */
export function parseSSEStream<T = unknown>(
  body: ReadableStream<Uint8Array>,
  options?: SSEJsonStreamOptions<T>,
): ReadableStream<T> {
  const reader = body.getReader();
  const values = readSSE<T>(reader, options);
  return new ReadableStream<T>(
    {
      async pull(controller) {
        const { done, value } = await values.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        // Cancel the body first: a read still pending would hold up `return()`.
        await reader.cancel(reason).catch(() => {});
        await values.return();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The loop behind {@link parseSSEStream} and `ChatCompletionStream`: one `TextDecoder` and one
 * `eventsource-parser` parser fed straight from `source`, so each read costs no stream stages.
 * Same events, order and errors as `TextDecoderStream` → `EventSourceParserStream` →
 * `SSEJsonStream`. Reads only when the values of the previous read are all taken. Leaving the
 * loop early cancels `source`. `readError` may replace an error of `source.read()`, given the
 * values yielded so far.
 */
export async function* readSSE<T>(
  source: ByteSource,
  options?: SSEJsonStreamOptions<T>,
  readError?: (error: unknown, received: T[]) => unknown,
): AsyncGenerator<T, void, undefined> {
  for await (const values of readSSEBatches(source, options, readError)) {
    for (const value of values) {
      source.throwIfAborted?.();
      yield value;
    }
  }
}

/**
 * {@link readSSE}, the values of each read yielded together: a reader that takes them all at once
 * (the chat store) then waits once per read of the body, not once per event.
 */
export async function* readSSEBatches<T>(
  source: ByteSource,
  { validate, isComplete }: SSEJsonStreamOptions<T> = {},
  readError?: (error: unknown, received: T[]) => unknown,
): AsyncGenerator<readonly T[], void, undefined> {
  const received: T[] = [];
  const decoder = new TextDecoder();
  let batch: T[] = [];
  let doneSeen = false;
  let failed = false;
  let failure: unknown;
  const parser = createParser({
    onEvent(event) {
      if (doneSeen || failed) return;
      try {
        const value = decodeEvent(event, validate);
        if (value === DONE) doneSeen = true;
        else if (value !== SKIP) batch.push(value);
      } catch (error) {
        failed = true;
        failure = error;
      }
    },
  });
  // Whether the body may still hold bytes: then leaving the loop cancels it.
  let open = true;
  // Whether the text so far ends with CR: the parser keeps it until it knows whether LF follows.
  let endsWithCR = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await source.read();
      } catch (error) {
        open = false;
        throw readError ? readError(error, received) : error;
      }
      if (result.done) {
        open = false;
        // No LF can follow a CR at the end of the body: it ended a line (with bare-CR line ends,
        // the blank line that dispatches the last event). Bytes of a character cut at the very
        // end cannot complete a line: nothing else to flush.
        if (endsWithCR) parser.feed('\n');
      } else {
        const text = decoder.decode(result.value, { stream: true });
        if (text !== '') {
          endsWithCR = text.charCodeAt(text.length - 1) === 13;
          parser.feed(text);
        }
      }
      if (batch.length > 0) {
        const values = batch;
        batch = [];
        source.throwIfAborted?.();
        for (const value of values) received.push(value);
        yield values;
      }
      if (failed) throw failure;
      if (doneSeen) return;
      if (!open) {
        if (isComplete?.(received)) return;
        throw new StreamInterruptedError<T>(received);
      }
    }
  } finally {
    if (open) {
      const cancelled = source.cancel().catch(() => {});
      // After [DONE] or a bad event, do not wait on a server that holds the connection open.
      if (!doneSeen && !failed) await cancelled;
    }
  }
}

/**
 * Iterates a `ReadableStream` (not every browser makes streams async-iterable). Leaving the loop
 * early cancels the stream.
 */
export async function* iterateStream<T>(stream: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
