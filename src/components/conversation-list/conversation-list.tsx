import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';

import type { ChatStorage, RemovedConversation } from '../../core';
import { useControllableState } from '../../hooks/internal/use-controllable-state';
import { useConversations, type UseConversationsResult } from '../../hooks/use-conversations';
import type { ChatStrings } from '../i18n/chat';
import { useChatStrings } from '../i18n/locale';
import { format } from '../i18n/template';
import { cx, useThemeAttribute } from '../primitives/root';
import { LineIcon } from '../primitives/icons';

/** Why {@link ConversationList} chose a conversation. */
export type ConversationChangeReason = 'select' | 'create' | 'delete' | 'undo';

/** Props of {@link ConversationList}. */
export interface ConversationListProps {
  /** The chosen conversation's id (controlled). */
  value?: string;
  /** The conversation chosen at first (uncontrolled). */
  defaultValue?: string;
  /**
   * Called with a conversation's id when the user chooses it (`select`), starts it (`create`),
   * is moved to it because the chosen one was deleted (`delete`), or gets it back (`undo`).
   */
  onValueChange?: (id: string, reason: ConversationChangeReason) => void;
  /** The conversations to show: a `useConversations` result. Default: the list's own, over `storage`. */
  conversations?: UseConversationsResult;
  /** Where the conversations are, when the list reads them itself. Default: the provider's, else `localStorage`. */
  storage?: ChatStorage;
  /** Only conversations whose id begins with this (see `useConversations`). */
  idPrefix?: string;
  /** How long, in ms, "Undo" is offered after a deletion. Default: 8000. */
  undoMs?: number;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  /** Colour scheme. Default: the provider's, else `auto`. */
  theme?: 'light' | 'dark' | 'auto';
  id?: string;
  className?: string;
  style?: CSSProperties;
}

/**
 * The conversations kept in a storage, newest first: one button per conversation (its title as
 * the name, `aria-current` on the chosen one), with New, Rename and Delete. A deleted conversation
 * can be brought back with Undo for a few seconds; when it was the chosen one, the next is chosen
 * (or a new one started).
 *
 * @example
 * ```tsx
 * import { ChatWindow, ConversationList } from 'parlance';
 * import { useState } from 'react';
 *
 * export function Chats() {
 *   const [id, setId] = useState('welcome');
 *   return (
 *     <div style={{ display: 'flex', height: 600 }}>
 *       <ConversationList value={id} onValueChange={setId} />
 *       <ChatWindow id={id} />
 *     </div>
 *   );
 * }
 * ```
 */
export function ConversationList(props: ConversationListProps) {
  return props.conversations ? (
    <ConversationListView {...props} list={props.conversations} />
  ) : (
    <ConversationListOwn {...props} />
  );
}

function ConversationListOwn(props: ConversationListProps) {
  const list = useConversations({ storage: props.storage, idPrefix: props.idPrefix });
  return <ConversationListView {...props} list={list} />;
}

interface Deleted {
  removed: RemovedConversation;
  title: string;
  wasChosen: boolean;
}

function ConversationListView(props: ConversationListProps & { list: UseConversationsResult }) {
  const { list, undoMs = 8000 } = props;
  const strings = useChatStrings(props.strings);
  const theme = useThemeAttribute(props.theme);
  const reason = useRef<ConversationChangeReason>('select');
  const [value, setChosen] = useControllableState<string | undefined>({
    prop: props.value,
    defaultProp: props.defaultValue,
    onChange: (id) => {
      if (id !== undefined) props.onValueChange?.(id, reason.current);
    },
    caller: 'ConversationList',
  });
  const setValue = (id: string, why: ConversationChangeReason) => {
    reason.current = why;
    setChosen(id);
  };
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<Deleted | null>(null);
  const undoRef = useRef<HTMLButtonElement>(null);
  const baseId = useId();

  useEffect(() => {
    if (!deleted) return;
    undoRef.current?.focus();
    const timer = setTimeout(() => setDeleted(null), undoMs);
    return () => clearTimeout(timer);
  }, [deleted, undoMs]);

  const titleOf = (title: string) => title || strings.untitled;

  const remove = async (id: string, title: string) => {
    const wasChosen = id === value;
    if (wasChosen) {
      // Away from it first, so that its chat is closed before its messages go.
      const next = list.conversations.find((c) => c.id !== id);
      setValue(next ? next.id : list.create(), 'delete');
    }
    const removed = await list.remove(id);
    if (removed) setDeleted({ removed, title, wasChosen });
  };

  const undo = async () => {
    if (!deleted) return;
    setDeleted(null);
    await list.restore(deleted.removed);
    if (deleted.wasChosen) setValue(deleted.removed.id, 'undo');
  };

  return (
    <nav
      id={props.id}
      className={cx('parlance-root parlance-conversation-list', props.className)}
      data-theme={theme}
      data-slot="conversation-list"
      data-status={list.status}
      aria-label={strings.conversations}
      style={props.style}
    >
      <button
        type="button"
        className="parlance-button parlance-conversation-new"
        data-slot="new-conversation"
        onClick={() => setValue(list.create(), 'create')}
      >
        {strings.newConversation}
      </button>
      {list.conversations.length === 0 && (
        <p className="parlance-conversation-empty">
          {list.status === 'loading' ? strings.loadingConversations : strings.noConversations}
        </p>
      )}
      <ul className="parlance-conversation-items">
        {list.conversations.map((c) => {
          const title = titleOf(c.title);
          const chosen = c.id === value;
          const previewId = `${baseId}-${c.id}`;
          return (
            <li key={c.id} className="parlance-conversation" data-state={chosen ? 'active' : 'inactive'}>
              {renaming === c.id ? (
                <RenameForm
                  initial={c.title}
                  strings={strings}
                  onDone={(next) => {
                    setRenaming(null);
                    if (next !== null && next !== c.title) void list.rename(c.id, next);
                  }}
                />
              ) : (
                <>
                  <button
                    type="button"
                    className="parlance-conversation-item"
                    data-preview={c.preview ? '' : undefined}
                    aria-current={chosen ? 'true' : undefined}
                    aria-describedby={c.preview ? previewId : undefined}
                    onClick={() => setValue(c.id, 'select')}
                  >
                    <span className="parlance-conversation-title">{title}</span>
                  </button>
                  {/* Beside the button, not in it: the button's name is the title alone. */}
                  {c.preview && (
                    <span className="parlance-conversation-preview" id={previewId} aria-hidden="true">
                      {c.preview}
                    </span>
                  )}
                </>
              )}
              {renaming !== c.id && (
                <span className="parlance-conversation-actions">
                  <button
                    type="button"
                    className="parlance-button parlance-button-ghost parlance-icon-button"
                    aria-label={format(strings.renameConversation, { title })}
                    title={format(strings.renameConversation, { title })}
                    onClick={() => setRenaming(c.id)}
                  >
                    <LineIcon d="M4 20h4L19 9l-4-4L4 16v4Zm10-14 4 4" />
                  </button>
                  <button
                    type="button"
                    className="parlance-button parlance-button-ghost parlance-icon-button"
                    aria-label={format(strings.deleteConversation, { title })}
                    title={format(strings.deleteConversation, { title })}
                    data-action="delete"
                    onClick={() => void remove(c.id, title)}
                  >
                    <LineIcon d="M5 7h14M10 7V4h4v3m-7 0 1 13h8l1-13" />
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {deleted && (
        <div className="parlance-conversation-undo" role="status" data-slot="conversation-undo">
          <span>{format(strings.conversationDeleted, { title: deleted.title })}</span>
          <button ref={undoRef} type="button" className="parlance-button" onClick={() => void undo()}>
            {strings.undo}
          </button>
        </div>
      )}
    </nav>
  );
}

function RenameForm({
  initial,
  strings,
  onDone,
}: {
  initial: string;
  strings: ChatStrings;
  onDone: (title: string | null) => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <form
      className="parlance-conversation-rename"
      onSubmit={(event) => {
        event.preventDefault();
        onDone(value);
      }}
    >
      <input
        className="parlance-conversation-rename-input"
        aria-label={strings.conversationTitle}
        value={value}
        // eslint-disable-next-line jsx-a11y/no-autofocus -- the user just asked to rename this conversation
        autoFocus
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onDone(null);
        }}
        onBlur={() => onDone(value)}
      />
    </form>
  );
}
