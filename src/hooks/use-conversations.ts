import {
  conversationIndex,
  createLocalStorage,
  type ChatStorage,
  type ConversationIndexStatus,
  type ConversationSummary,
  type RemovedConversation,
} from '../core';
import { useEffect, useMemo, useSyncExternalStore } from 'react';

import { useParlanceConfig } from './parlance-provider';

/** Options of {@link useConversations}. */
export interface UseConversationsOptions {
  /** Where the conversations are. Default: the provider's `storage`, else `localStorage`. */
  storage?: ChatStorage;
  /**
   * Only conversations whose id begins with this are listed, and `create` makes ids that do (so
   * that, say, a site's widget and its app keep their lists apart in one storage).
   */
  idPrefix?: string;
}

/** What {@link useConversations} returns. */
export interface UseConversationsResult {
  /** Every conversation in the storage, newest `updatedAt` first. */
  conversations: readonly ConversationSummary[];
  /** `loading` until the list was first read, then `ready` (or `error`). */
  status: ConversationIndexStatus;
  /** Why the list could not be read or saved, when it could not. */
  error: Error | null;
  /** Starts an empty conversation; returns its id at once (open it with `useChat({ id })`). */
  create: (options?: { id?: string; title?: string }) => string;
  /** Removes a conversation (messages, draft, list entry); resolves to what `restore` puts back. */
  remove: (id: string) => Promise<RemovedConversation | undefined>;
  /** Gives a conversation a title of the user's (`''` gives back the one from its first message). */
  rename: (id: string, title: string) => Promise<void>;
  /** Puts back a removed conversation, as it was: the "Undo" of `remove`. */
  restore: (removed: RemovedConversation) => Promise<void>;
  /** Reads the list again from storage (another tab may have changed it). */
  refresh: () => Promise<void>;
}

/**
 * The conversations kept in a storage, for a list beside the chat: titles (from the first user
 * message until renamed), times and previews, read without loading any conversation's messages.
 * Every conversation `useChat` saved in that storage is listed, and the list follows saves made
 * in the same page as they happen.
 *
 * @example
 * ```tsx
 * import { useChat, useConversations } from 'parlance';
 * import { useState } from 'react';
 *
 * export function Chats() {
 *   const { conversations, create } = useConversations();
 *   const [id, setId] = useState<string>(() => conversations[0]?.id ?? create());
 *   const chat = useChat({ id });
 *   return (
 *     <nav>
 *       {conversations.map((c) => (
 *         <button key={c.id} aria-current={c.id === id} onClick={() => setId(c.id)}>
 *           {c.title || 'New conversation'}
 *         </button>
 *       ))}
 *       <span>{chat.messages.length} messages</span>
 *     </nav>
 *   );
 * }
 * ```
 */
export function useConversations(options: UseConversationsOptions = {}): UseConversationsResult {
  const config = useParlanceConfig();
  const storage = options.storage ?? config.storage ?? createLocalStorage();
  const index = conversationIndex(storage);
  const snapshot = useSyncExternalStore(index.subscribe, index.getSnapshot, index.getServerSnapshot);
  const { idPrefix } = options;
  const conversations = useMemo(
    () =>
      idPrefix ? snapshot.conversations.filter((c) => c.id.startsWith(idPrefix)) : snapshot.conversations,
    [snapshot.conversations, idPrefix],
  );
  useEffect(() => {
    // Read on mount (and when the storage changes): another tab may have saved since.
    void Promise.resolve(index.refresh()).catch(() => undefined);
  }, [index]);
  const actions = useMemo(
    () => ({
      create: (o?: { id?: string; title?: string }) => index.create({ idPrefix, ...o }),
      remove: async (id: string) => index.remove(id),
      rename: async (id: string, title: string) => index.rename(id, title),
      restore: async (removed: RemovedConversation) => index.restore(removed),
      refresh: async () => index.refresh(),
    }),
    [index, idPrefix],
  );
  return useMemo(
    () => ({
      conversations,
      status: snapshot.status,
      error: snapshot.error,
      ...actions,
    }),
    [conversations, snapshot, actions],
  );
}
