import type { CompletionUsage } from '../wire/chat';
import { ZERO_USAGE, replaceAt } from './messages';
import type { ReplyParts } from './stream-buffer';
import type { ChatDroppedContext, ChatMessage, ChatRetryWait, ChatSnapshot } from './types';

/**
 * Every change of a chat store's state, by name: each takes the current snapshot and returns the
 * next one (a new object, or the same one when nothing changes). The store applies them and
 * notifies; nothing else writes the snapshot.
 */
const PART_KEYS = ['reasoning', 'reasoningMs', 'refusal', 'annotations', 'toolCalls'] as const;

export const transition = {
  /** A store's first state: the initial messages, restoring from storage if there is one. */
  created(id: string, messages: ChatMessage[], hasStorage: boolean): ChatSnapshot {
    return {
      id,
      messages,
      usage: ZERO_USAGE,
      retryWait: null,
      restore: hasStorage ? 'loading' : 'none',
      dropped: null,
      status: 'idle',
      error: null,
    };
  },

  /** What storage held (`undefined`: nothing) replaces the conversation. */
  restored(state: ChatSnapshot, stored: { messages: ChatMessage[]; usage: CompletionUsage } | undefined) {
    return stored
      ? { ...state, messages: stored.messages, usage: stored.usage, restore: 'ready' as const }
      : { ...state, restore: 'ready' as const };
  },

  /** Storage could not be read: nothing is restored, and nothing will be written. */
  restoreFailed(state: ChatSnapshot): ChatSnapshot {
    return { ...state, restore: 'failed' };
  },

  /** The messages were changed with no request (edit in place, version chosen, removed, replaced). */
  messagesChanged(state: ChatSnapshot, messages: ChatMessage[]): ChatSnapshot {
    return { ...state, messages };
  },

  /** Everything forgotten, usage included. */
  cleared(state: ChatSnapshot): ChatSnapshot {
    return {
      ...state,
      messages: [],
      usage: ZERO_USAGE,
      status: 'idle',
      error: null,
      retryWait: null,
      dropped: null,
    };
  },

  /** A request was refused before it was sent (the budget): nothing is added. */
  refused(state: ChatSnapshot, error: Error): ChatSnapshot {
    return { ...state, status: 'error', error, retryWait: null };
  },

  /**
   * Messages wait in the outbox (sent while offline): `messages` has them as `pending` user
   * messages, and the chat is idle, with no error, until the connection is back.
   */
  queued(state: ChatSnapshot, messages: ChatMessage[]): ChatSnapshot {
    return { ...state, messages, status: 'idle', error: null, retryWait: null };
  },

  /** A turn began: `messages` holds the history and the reply waiting for its first byte. */
  turnStarted(state: ChatSnapshot, messages: ChatMessage[]): ChatSnapshot {
    return { ...state, messages, status: 'submitted', error: null, retryWait: null, dropped: null };
  },

  /** The context policy left messages out of the request. */
  contextDropped(state: ChatSnapshot, dropped: ChatDroppedContext): ChatSnapshot {
    return { ...state, dropped };
  },

  /** A back-off wait began before the next attempt. */
  retryWaiting(state: ChatSnapshot, retryWait: ChatRetryWait): ChatSnapshot {
    return { ...state, retryWait };
  },

  /** The back-off wait is over. */
  retryWaited(state: ChatSnapshot): ChatSnapshot {
    return { ...state, retryWait: null };
  },

  /** The first chunk arrived. */
  streamStarted(state: ChatSnapshot): ChatSnapshot {
    return { ...state, status: 'streaming', error: null, retryWait: null };
  },

  /**
   * The reply `messageId` shows `content` and the `parts` received so far (one new message object, one new
   * array; the same snapshot when it already does, or when the reply is gone).
   */
  streamed(state: ChatSnapshot, messageId: string, content: string, parts: ReplyParts = {}): ChatSnapshot {
    const { messages } = state;
    const last = messages.length - 1;
    const at = messages[last]?.id === messageId ? last : messages.findLastIndex((m) => m.id === messageId);
    const current = messages[at];
    if (!current) return state;
    const changed = PART_KEYS.filter((key) => parts[key] !== undefined && parts[key] !== current[key]);
    if (current.status === 'streaming' && current.content === content && changed.length === 0) return state;
    const message: ChatMessage = { ...current, content, status: 'streaming' };
    // Only parts this request received: a continued reply keeps the reasoning it had.
    for (const key of changed) (message as unknown as Record<string, unknown>)[key] = parts[key];
    return { ...state, messages: replaceAt(messages, at, message) };
  },

  /** Tool calls run (`execute`): the chat is busy until they settle, and `stop()` ends them. */
  toolsRunning(state: ChatSnapshot): ChatSnapshot {
    return { ...state, status: 'submitted', error: null, retryWait: null };
  },

  /** The running tool calls have settled. */
  toolsSettled(state: ChatSnapshot): ChatSnapshot {
    return state.status === 'submitted' ? { ...state, status: 'idle', error: null } : state;
  },

  /** The turn ended: its reply written in `messages`, its usage added, and the failure if any. */
  turnEnded(
    state: ChatSnapshot,
    messages: ChatMessage[],
    usage: CompletionUsage,
    failure: Error | null,
  ): ChatSnapshot {
    return failure
      ? { ...state, messages, usage, retryWait: null, status: 'error', error: failure }
      : { ...state, messages, usage, retryWait: null, status: 'idle', error: null };
  },
};
