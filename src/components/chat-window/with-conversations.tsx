import { createContext, useEffect, useId, useState, type CSSProperties, type ReactNode } from 'react';

import { createLocalStorage } from '../../core';
import { useParlanceConfig } from '../../hooks/parlance-provider';
import { useConversations } from '../../hooks/use-conversations';
import type { UseChatResult } from '../../hooks/use-chat';
import { ConversationList } from '../conversation-list/conversation-list';
import type { ChatStrings } from '../i18n/chat';
import { cx, useThemeAttribute } from '../primitives/root';

/** What a chat window beside a conversation list needs of it: the toggle that shows it in a narrow window. */
export interface ConversationsPanel {
  sidebarId: string;
  open: boolean;
  toggle: () => void;
}

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

  // The open conversation: the app's (`chat`), else the window's own, following an `id` prop.
  const [own, setOwn] = useState<string | undefined>(props.id);
  const [givenId, setGivenId] = useState(props.id);
  if (props.id !== givenId) {
    setGivenId(props.id);
    setOwn(props.id);
  }
  const current = props.chat ? props.chat.store.id : own;
  const choose = (id: string) => {
    if (!props.chat) setOwn(id);
    props.onConversationChange?.(id);
    setOpen(false);
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

  const panel: ConversationsPanel = { sidebarId, open, toggle: () => setOpen((o) => !o) };
  return (
    <div
      className={cx('parlance-root parlance-chat-layout', props.className)}
      data-theme={theme}
      data-slot="chat-layout"
      data-sidebar={open ? 'open' : 'closed'}
      style={props.style}
    >
      <ConversationList
        id={sidebarId}
        className="parlance-chat-sidebar"
        conversations={list}
        value={current ?? ''}
        onValueChange={choose}
        strings={props.strings}
        theme={theme}
      />
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
