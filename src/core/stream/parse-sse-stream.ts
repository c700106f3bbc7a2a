import { EventSourceParserStream } from 'eventsource-parser/stream';

import { SSEJsonStream, type SSEJsonStreamOptions } from './sse-json-stream';

/**
 * Turns an SSE response body into a stream of parsed JSON events:
 * bytes → `TextDecoderStream` → `EventSourceParserStream` → {@link SSEJsonStream}.
 * Exact however the network splits the bytes (inside a UTF-8 character, inside `data:`, between
 * CR and LF); CRLF and LF line ends and `: comment` lines are handled by the parser.
 *
 * Errors with `ApiError` on an `error` event, `MalformedResponseError` on bad JSON and
 * `StreamInterruptedError` when the body ends before `[DONE]`, always after delivering every
 * earlier event. Errors of `body` itself pass through unchanged.
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
  return body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(new SSEJsonStream<T>(options));
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
