import type { ByteSource } from '../stream/parse-sse-stream';

/**
 * The most bytes of an error body the client reads: enough for any API's error JSON or HTML
 * page; past it the body is cancelled, so an endless error body still settles as an `ApiError`.
 */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

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

/**
 * The text of a failed response's body, at most `maxBytes` of it (64 KB by default): the rest is
 * cancelled unread, so an endless error body still settles.
 */
export async function readErrorText(response: Response, maxBytes = ERROR_BODY_MAX_BYTES): Promise<string> {
  return response.body ? readAll(response.body.getReader(), maxBytes) : '';
}
