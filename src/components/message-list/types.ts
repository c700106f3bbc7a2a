import type { ChatMessage, ChatMessageFeedback } from '../../core';

/**
 * What {@link MessageList} needs of a message: any `ChatMessage` from `useChat`, or a stored
 * transcript with at least `id`, `role`, `content` and `status`.
 */
export type MessageListMessage = Pick<ChatMessage, 'id' | 'role' | 'content' | 'status'> &
  Partial<
    Pick<
      ChatMessage,
      | 'createdAt'
      | 'finishReason'
      | 'usage'
      | 'error'
      | 'endState'
      | 'alternatives'
      | 'alternativeIndex'
      | 'toolCalls'
      | 'reasoning'
      | 'reasoningMs'
      | 'refusal'
      | 'annotations'
      | 'feedback'
    >
  >;

/** Message actions a list offers; each one shows only when its handler is given. */
export interface MessageActionHandlers {
  /** Ask for a new reply in place of this assistant message. */
  onRegenerate?: (messageId: string) => void;
  /** Replace a user message's text and ask again. */
  onEdit?: (messageId: string, content: string) => void;
  /** Ask for the rest of a reply cut at the length limit. */
  onContinue?: () => void;
  /** Send the failed or interrupted turn again. */
  onRetry?: () => void;
  /** Show another version (0-based) of the conversation from this message on. */
  onSelectAlternative?: (messageId: string, index: number) => void;
  /** Called after a message's text was copied. */
  onCopy?: (messageId: string) => void;
  /**
   * Approve a tool call that waits for approval (`useChat().approveToolCall`). Without it, such a
   * call shows its status and no buttons.
   */
  onApproveToolCall?: (toolCallId: string) => void;
  /** Decline a tool call that waits for approval (`useChat().rejectToolCall`); `reason` is optional. */
  onRejectToolCall?: (toolCallId: string, reason?: string) => void;
  /**
   * Answer a tool call that waits for the app's result (`useChat().addToolResult`): offered to
   * `renderToolCall` as `addResult`, for tools the user answers in the page (a picker, a form).
   */
  onAddToolResult?: (toolCallId: string, output: unknown) => void;
  /**
   * Cancel a message waiting to be sent (sent offline: a `pending` user message). `ChatWindow`
   * removes it and puts its text back in the composer.
   */
  onCancelSend?: (messageId: string) => void;
  /**
   * Thumbs up or down on a reply (`null` when the user takes the choice back); called again with
   * `comment` when the user adds one after a thumbs down. Without it, replies show no thumbs.
   */
  onFeedback?: (messageId: string, value: ChatMessageFeedback | null, comment?: string) => void;
  /** Delete a message (`useChat().remove`). Without it, messages show no Delete button. */
  onDelete?: (messageId: string) => void;
}
