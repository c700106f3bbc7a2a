import { HttpApiError, invalidRequest } from './errors';
type Json = Record<string, unknown>;

/**
 * The most characters one tokenizer request may carry (the text, or every message's text
 * together), so that counting stays bounded work per request. Default of the server's
 * `bodyLimits.tokenizeChars`.
 */
export const TOKENIZE_MAX_CHARS = 200_000;

/** The most messages one tokenizer request may carry. */
export const TOKENIZE_MAX_MESSAGES = 2_000;

/** A checked tokenizer request: a text, or a conversation. */
export type TokenizeInput =
  | { kind: 'text'; text: string; model: string | null }
  | { kind: 'messages'; messages: Json[]; model: string | null };

function textLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content as unknown[]) {
    const text = (part as { text?: unknown } | null)?.text;
    if (typeof text === 'string') n += text.length;
  }
  return n;
}

function tooLong(length: number, maxChars: number): HttpApiError {
  return new HttpApiError({
    status: 413,
    message: `The text to tokenize has ${length} characters; this server counts at most ${maxChars} per request.`,
    code: 'text_too_long',
  });
}

/**
 * Checks the body of `POST /tokenize` (vLLM's `{model?, prompt}` or `{model?, messages}`, or
 * llama.cpp's `{content}`) or, with `route` `/apply-template`, llama.cpp's `{messages}`:
 * a 400 for a wrong shape, a 413 past `maxChars` characters.
 */
export function validateTokenizeRequest(
  body: Json,
  route: '/tokenize' | '/apply-template',
  maxChars = TOKENIZE_MAX_CHARS,
): TokenizeInput {
  const model = body.model;
  if (model !== undefined && model !== null && typeof model !== 'string') {
    throw invalidRequest("'model' must be a string.", 'model', 'invalid_type');
  }
  const text = body.prompt ?? body.content;
  if (route === '/tokenize' && body.messages === undefined) {
    if (typeof text !== 'string') {
      throw invalidRequest(
        "Send the text to count as 'prompt' (vLLM) or 'content' (llama.cpp), or a conversation as 'messages'.",
        'prompt',
        'invalid_type',
      );
    }
    if (text.length > maxChars) throw tooLong(text.length, maxChars);
    return { kind: 'text', text, model: (model as string | null | undefined) ?? null };
  }
  const messages = body.messages;
  if (!Array.isArray(messages))
    throw invalidRequest("'messages' must be an array.", 'messages', 'invalid_type');
  if (messages.length > TOKENIZE_MAX_MESSAGES) {
    throw invalidRequest(
      `'messages' has ${messages.length} items; at most ${TOKENIZE_MAX_MESSAGES} are counted per request.`,
      'messages',
      'array_above_max_length',
    );
  }
  let length = 0;
  for (const [i, message] of (messages as unknown[]).entries()) {
    if (typeof message !== 'object' || message === null || typeof (message as Json).role !== 'string') {
      throw invalidRequest(
        `'messages[${i}]' must be an object with a string 'role'.`,
        `messages[${i}]`,
        'invalid_type',
      );
    }
    const m = message as Json;
    length += textLength(m.content) + (typeof m.name === 'string' ? m.name.length : 0);
  }
  if (length > maxChars) throw tooLong(length, maxChars);
  return {
    kind: 'messages',
    messages: messages as Json[],
    model: (model as string | null | undefined) ?? null,
  };
}
