/**
 * Writes one Server-Sent Event: `data: <json>\n\n`, or `data: [DONE]\n\n`. Shared by the reference
 * server, its offline mode and the tests, so all of them speak the same framing.
 *
 * @example
 * ```ts
 * controller.enqueue(encoder.encode(encodeSSE(chunk)));
 * controller.enqueue(encoder.encode(encodeSSE('[DONE]')));
 * ```
 */
export function encodeSSE(event: object | '[DONE]'): string {
  return `data: ${event === '[DONE]' ? '[DONE]' : JSON.stringify(event)}\n\n`;
}
