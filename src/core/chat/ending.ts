import type { MessageEndState } from '../wire/finish-reason';
import { messageText } from './content';
import type { ChatFinishReason, ChatMessage, ChatMessageStatus } from './types';

const STATUS_BY_REASON: Partial<Record<ChatFinishReason, ChatMessageStatus>> = {
  cancelled: 'stopped',
  interrupted: 'interrupted',
  error: 'error',
};

const COMPLETE: ReadonlySet<ChatFinishReason> = new Set(['stop', 'tool-calls', 'unknown']);

/**
 * How a reply ended, as one value: the {@link ChatFinishReason} of its turn (`stop`, `length`,
 * `content-filter`, `tool-calls`, `unknown`, `cancelled`, `interrupted`, `error`). A message's
 * `status` and `endState` are both derived from it here, so they never disagree; its
 * `finishReason` stays the wire's own value.
 *
 * @example
 * ```ts
 * endingOf('cancelled'); // { status: 'stopped', endState: { type: 'incomplete', reason: 'cancelled' } }
 * ```
 */
export function endingOf(reason: ChatFinishReason): Pick<ChatMessage, 'status'> & {
  endState: MessageEndState;
} {
  const endState = (
    COMPLETE.has(reason) ? { type: 'complete', reason } : { type: 'incomplete', reason }
  ) as MessageEndState;
  return { status: STATUS_BY_REASON[reason] ?? 'done', endState };
}

/** What may follow a message, by the rules the chat store applies. */
export interface ChatMessageActions {
  /**
   * The reply can be continued (`continue()`, appending to the same message): it has text and was
   * cut by `length`, stopped, interrupted, or broken mid-stream.
   */
  canContinue: boolean;
  /**
   * The turn can be tried again (`retry()`): a reply that failed, was interrupted or was stopped,
   * or a user message left without a reply.
   */
  canRetry: boolean;
  /** The reply can be asked for again (`regenerate(id)`): any assistant reply that has ended. */
  canRegenerate: boolean;
}

/** The fields {@link messageActions} reads: any message `useChat` or a stored transcript has. */
export type ChatMessageActionsInput = Pick<ChatMessage, 'role' | 'content' | 'status'> &
  Partial<Pick<ChatMessage, 'finishReason' | 'error'>>;

/**
 * What can be done with `message` once no reply is in progress: the one rule the store, `useChat`
 * (`canContinue`) and the message list share. `continue()` and `retry()` act on the last message
 * of the conversation, so a UI offers them on the last message only.
 *
 * @example
 * ```ts
 * const { canContinue, canRetry } = messageActions(chat.messages.at(-1)!);
 * ```
 */
export function messageActions(message: ChatMessageActionsInput): ChatMessageActions {
  const { role, status } = message;
  const ended = status !== 'pending' && status !== 'streaming';
  if (role === 'user') return { canContinue: false, canRetry: ended, canRegenerate: false };
  if (role !== 'assistant' || !ended) return { canContinue: false, canRetry: false, canRegenerate: false };
  const error = message.error ?? null;
  const hasText = messageText(message.content) !== '';
  return {
    canContinue:
      hasText &&
      (message.finishReason === 'length' ||
        status === 'interrupted' ||
        status === 'stopped' ||
        (status === 'error' && error?.name === 'StreamInterruptedError')),
    canRetry: status !== 'done' || error !== null,
    canRegenerate: true,
  };
}
