import { createContext, useEffect, useId, useRef, useState, type CSSProperties, type ReactNode } from 'react';

import { createLocalStorage } from '../../core';
import { useParlanceConfig } from '../../hooks/parlance-provider';
import { useConversations } from '../../hooks/use-conversations';
import type { UseChatResult } from '../../hooks/use-chat';
import { ConversationList, type ConversationChangeReason } from '../conversation-list/conversation-list';
import type { ChatStrings } from '../i18n/chat';
import { cx, useThemeAttribute } from '../primitives/root';

/** What a chat window beside a conversation list needs of it: the toggle that shows it in a narrow window. */
export interface ConversationsPanel {
  sidebarId: string;
  open: boolean;
  /** The list is beside the chat (no toggle needed). */
  wide: boolean;
  toggle: () => void;
}

/** From this width on, the list stays beside the chat; below it, it opens over the chat. */
const WIDE_PX = 720;

export const ConversationsPanelContext = createContext<ConversationsPanel | null>(null);

/** The props of `ChatWindow` this wrapper reads. */
export interface WithConversationsProps {
  conversations?: boolean | { idPrefix?: string };
  onConversationChange?: (id: string) => void;
  onNewConversation?: () => void;
  chat?: UseChatResult;
  id?: string;
  storage?: UseChatResult['store']['options']['storage'];
  strings?: Partial<ChatStrings>;
  theme?: 'light' | 'dark' | 'auto';
  className?: string;
  style?: CSSProperties;
}

/**
 * A chat window with the conversation list beside it (over it, behind a toggle, when narrow): it
 * opens the most recent conversation (or starts one), switches on a choice, and "New
 * conversation" starts another while the current one stays in the list.
 */
export function ChatWindowWithConversations<P extends WithConversationsProps>({
  props,
  renderChat,
}: {
  props: P;
  renderChat: (props: P) => ReactNode;
}) {
  const config = useParlanceConfig();
  const theme = useThemeAttribute(props.theme);
  const options = typeof props.conversations === 'object' ? props.conversations : {};
  const given = props.chat ? props.chat.store.options.storage : props.storage;
  const storage = given ?? config.storage ?? createLocalStorage();
  const list = useConversations({ storage, idPrefix: options.idPrefix });
  const sidebarId = useId();
  const [open, setOpen] = useState(false);
  // Measured, so that a narrow window (a widget's panel) renders the list only while it is open:
  // a hidden copy of titles and previews would be read twice by page searches and tests. Where
  // nothing can measure (no ResizeObserver), the list is shown beside the chat.
  const layout = useRef<HTMLDivElement>(null);
  const [wide, setWide] = useState(() => typeof ResizeObserver === 'undefined');
  useEffect(() => {
    const node = layout.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWide(entry.contentRect.width >= WIDE_PX);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // The open conversation: the app's (`chat`), else the window's own, following an `id` prop.
  const [own, setOwn] = useState<string | undefined>(props.id);
  const [givenId, setGivenId] = useState(props.id);
  if (props.id !== givenId) {
    setGivenId(props.id);
    setOwn(props.id);
  }
  const current = props.chat ? props.chat.store.id : own;
  const choose = (id: string, reason: ConversationChangeReason = 'select') => {
    if (!props.chat) setOwn(id);
    props.onConversationChange?.(id);
    // Over the chat, the list closes on a choice, but stays open to offer Undo after a deletion.
    if (reason !== 'delete') setOpen(false);
  };

  // No conversation named: once the list is read, the most recent one, else a new one.
  const pickFirst = !props.chat && own === undefined && list.status !== 'loading';
  const recent = list.conversations[0]?.id;
  if (pickFirst && recent !== undefined) setOwn(recent);
  const { create } = list;
  const onChange = props.onConversationChange;
  useEffect(() => {
    if (!pickFirst || recent !== undefined) return;
    // Starting one writes it to storage (an effect's job); choosing it is what the effect is for.
    const id = create();
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOwn(id);
    onChange?.(id);
  }, [pickFirst, recent, create, onChange]);

  const panel: ConversationsPanel = { sidebarId, open, wide, toggle: () => setOpen((o) => !o) };
  return (
    <div
      ref={layout}
      className={cx('parlance-root parlance-chat-layout', props.className)}
      data-theme={theme}
      data-slot="chat-layout"
      data-sidebar={open ? 'open' : 'closed'}
      data-wide={wide || undefined}
      style={props.style}
    >
      {(wide || open) && (
        <ConversationList
          id={sidebarId}
          className="parlance-chat-sidebar"
          conversations={list}
          value={current ?? ''}
          onValueChange={choose}
          strings={props.strings}
          theme={theme}
        />
      )}
      <ConversationsPanelContext.Provider value={panel}>
        {renderChat({
          ...props,
          id: current,
          className: undefined,
          style: undefined,
          onNewConversation: props.onNewConversation ?? (() => choose(list.create())),
        })}
      </ConversationsPanelContext.Provider>
    </div>
  );
}
