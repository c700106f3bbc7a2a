import { ApiError } from '../errors';
import type { CompletionUsage } from '../wire/chat';
import type { ChatMessage, ChatMessageContent, ChatMessageError, ChatMessageInput } from './types';

/** The usage of a conversation before any request. */
export const ZERO_USAGE: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** The browser says it has no network (`navigator.onLine` is false); never true outside one. */
export function isOffline(): boolean {
  return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
}

/** A random id: `crypto.randomUUID()` where available. */
export function defaultId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** Content with nothing to send: blank text and no image or file. */
export function isBlank(content: ChatMessageContent): boolean {
  if (typeof content === 'string') return content.trim() === '';
  return !content.some((part) => part.type !== 'text' || part.text.trim() !== '');
}

/** An input that already has every field of a message (kept as it is, so its row need not re-render). */
export function isComplete(input: ChatMessageInput): input is ChatMessage {
  return (
    input.id !== undefined &&
    input.createdAt !== undefined &&
    input.status !== undefined &&
    input.finishReason !== undefined &&
    input.endState !== undefined &&
    input.usage !== undefined &&
    input.error !== undefined
  );
}

/** A message with the given fields and the defaults of a new one (no ending, usage or error). */
export function createMessage(
  fields: Pick<ChatMessage, 'role' | 'content' | 'status'> & Partial<ChatMessage>,
  newId: () => string,
): ChatMessage {
  return {
    id: fields.id ?? newId(),
    createdAt: fields.createdAt ?? Date.now(),
    finishReason: null,
    endState: null,
    usage: null,
    error: null,
    ...fields,
  };
}

/** Two usages summed (the second may be missing). */
export function addUsage(a: CompletionUsage, b: CompletionUsage | null): CompletionUsage {
  if (!b) return a;
  const sum: CompletionUsage = {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
  // Cached prompt tokens are priced apart (see `estimateCost`), so they are summed too.
  const cached =
    (a.prompt_tokens_details?.cached_tokens ?? 0) + (b.prompt_tokens_details?.cached_tokens ?? 0);
  if (cached > 0) sum.prompt_tokens_details = { cached_tokens: cached };
  return sum;
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A failure as plain data for a message (it survives storage). */
export function describeError(error: Error): ChatMessageError {
  const info: ChatMessageError = { name: error.name, message: error.message };
  if (ApiError.isInstance(error)) {
    if (error.status !== undefined) info.status = error.status;
    info.code = error.code;
  }
  return info;
}

/** `array.with(at, item)`, by `slice` (a plain copy V8 does fast; `with` is far slower on long arrays). */
export function replaceAt<T>(array: readonly T[], at: number, item: T): T[] {
  const copy = array.slice();
  copy[at] = item;
  return copy;
}
