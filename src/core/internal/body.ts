/**
 * The most bytes of an error body the client reads: enough for any API's error JSON or HTML
 * page; past it the body is cancelled, so an endless error body still settles as an `ApiError`.
 */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/**
 * The text of a failed response's body, at most `maxBytes` of it (64 KB by default): the rest is
 * cancelled unread, so an endless error body still settles.
 */
export async function readErrorText(response: Response, maxBytes = ERROR_BODY_MAX_BYTES): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let left = maxBytes;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    if (value.byteLength >= left) {
      await reader.cancel().catch(() => undefined);
      return text + decoder.decode(value.subarray(0, left));
    }
    left -= value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}
