import { elementScroll, useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

import type { ChatMessage, ChatStore } from '../../core';
import { useLatest } from '../../hooks/internal/use-latest';
import type { UseChatResult } from '../../hooks/use-chat';
import type { ChatStrings } from '../i18n/chat';
import { useChatStrings } from '../i18n/locale';
import { usePolicy, type UrlPolicy } from '../markdown/safe-url';
import { cx, useThemeAttribute } from '../primitives/root';
import { useTimeFormatsReady } from './message-time';
import { MessageItem, type MessageItemProps, type MessageSlots } from './message-item';
import type { MessageActionHandlers, MessageListMessage } from './types';
import { useRovingFocus } from './use-roving-focus';
import { useStickToBottom } from './use-stick-to-bottom';

/** Props of {@link MessageList}. */
export interface MessageListProps extends MessageActionHandlers, MessageSlots, UrlPolicy {
  /** The messages to show, oldest first: `useChat().messages`, or a stored transcript. */
  messages: readonly MessageListMessage[];
  /**
   * A reply is in progress (hides actions that would start another). Default: derived from the
   * messages (any `pending` or `streaming`).
   */
  busy?: boolean;
  /**
   * The conversation `messages` come from (a `useChat` result or its store). Each message then
   * follows its own message in the store, so while a reply streams only that message re-renders,
   * even when the list itself is not given new `messages` for every chunk. Pass it only with the
   * store's own messages (not edited copies). Default: none (messages are read from `messages`).
   */
  chat?: UseChatResult | ChatStore;
  /** Show each reply's token usage under it. Default: true. */
  showUsage?: boolean;
  /** Render user messages as markdown too. Default: false (shown as typed). */
  userMarkdown?: boolean;
  /** Shown when there are no messages. Default: a short invitation. */
  emptyState?: ReactNode;
  /** Expected height of a message before it is measured, in px. Default: 96. */
  estimateSize?: number;
  /** Distance from the bottom, in px, within which the list counts as pinned. Default: 48. */
  pinThreshold?: number;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  /** Colour scheme. Default: the provider's, else `auto`. */
  theme?: 'light' | 'dark' | 'auto';
  className?: string;
  style?: CSSProperties;
}

const ACTION_NAMES = [
  'onRegenerate',
  'onEdit',
  'onContinue',
  'onRetry',
  'onSelectAlternative',
  'onCopy',
  'onApproveToolCall',
  'onRejectToolCall',
  'onAddToolResult',
  'onCancelSend',
  'onFeedback',
  'onDelete',
] as const satisfies readonly (keyof MessageActionHandlers)[];

/**
 * The conversation: a polite live log of messages, each one element with `data-role` and
 * `data-status`. Virtualised, so 10,000 messages stay responsive; pinned to the bottom while a
 * reply streams unless the user scrolled up, with a "jump to latest" button when not pinned.
 * Arrow keys, Home and End move between messages.
 *
 * @example
 * const chat = useChat({ model: 'gpt-4o-mini' });
 * <MessageList messages={chat.messages} onRegenerate={chat.regenerate} onRetry={chat.retry} />
 * @example
 * // Tool calls: Approve and Decline call these; renderToolCall shows an app's own UI per tool.
 * <MessageList
 *   messages={messages}
 *   onApproveToolCall={(id) => approve(id)}
 *   onRejectToolCall={(id, reason) => reject(id, reason)}
 *   renderToolCall={{ get_weather: (call) => <Forecast input={call.input} /> }}
 * />
 */
export function MessageList(props: MessageListProps) {
  const {
    messages,
    userMarkdown = false,
    showUsage = true,
    emptyState,
    estimateSize = 96,
    pinThreshold = 48,
    allowedImageOrigins,
    allowRelativeLinks,
    renderAvatar,
    renderContent,
    renderActions,
    renderToolCall,
    className,
    style,
  } = props;
  const strings = useChatStrings(props.strings);
  useTimeFormatsReady();
  const theme = useThemeAttribute(props.theme);
  const store = props.chat ? ('store' in props.chat ? props.chat.store : props.chat) : null;
  const busy = props.busy ?? messages.some((m) => m.status === 'pending' || m.status === 'streaming');
  const streaming = messages.some((m) => m.status === 'streaming' || m.status === 'pending');

  const latest = useLatest(props);
  // Editing or regenerating an earlier message starts a new reply at the end: the list follows it
  // (pinned again) even when the user had scrolled up to reach that message.
  const followNextReply = useRef<() => void>(() => {});
  const handlers = useMemo<MessageActionHandlers>(
    () => ({
      onRegenerate: (id) => {
        followNextReply.current();
        latest.current.onRegenerate?.(id);
      },
      onEdit: (id, content) => {
        followNextReply.current();
        latest.current.onEdit?.(id, content);
      },
      onContinue: () => latest.current.onContinue?.(),
      onRetry: () => latest.current.onRetry?.(),
      onSelectAlternative: (id, index) => latest.current.onSelectAlternative?.(id, index),
      onCopy: (id) => latest.current.onCopy?.(id),
      onApproveToolCall: (id) => latest.current.onApproveToolCall?.(id),
      onRejectToolCall: (id, reason) => latest.current.onRejectToolCall?.(id, reason),
      onAddToolResult: (id, output) => latest.current.onAddToolResult?.(id, output),
      onCancelSend: (id) => latest.current.onCancelSend?.(id),
      onFeedback: (id, value, comment) => latest.current.onFeedback?.(id, value, comment),
      onDelete: (id) => latest.current.onDelete?.(id),
    }),
    [latest],
  );
  const availableKey = ACTION_NAMES.map((name) => (props[name] ? '1' : '0')).join('');
  const available = useMemo(
    () =>
      Object.fromEntries(ACTION_NAMES.map((name, i) => [name, availableKey[i] === '1'])) as Record<
        keyof MessageActionHandlers,
        boolean
      >,
    [availableKey],
  );
  const policy = usePolicy(allowedImageOrigins, allowRelativeLinks);

  const isEmpty = messages.length === 0;
  const scroller = useRef<HTMLDivElement>(null);
  // Arrow keys move between messages; `reveal` runs on a key press, after the hooks below exist.
  const roving = useRovingFocus({
    count: messages.length,
    container: scroller,
    reveal: (index) => {
      stick.unpinOnIntent();
      virtualizer.scrollToIndex(index, { align: 'auto' });
    },
  });
  const { active } = roving;

  // The virtualizer's methods are read fresh on every render here and never memoised, which is what
  // this rule warns about; the list itself is not compiled by React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimateSize,
    getItemKey: (index) => messages[index]?.id ?? index,
    overscan: 6,
    // Sizes and positions go straight to the page; the list re-renders only when the range of
    // mounted messages changes, not each time a streaming reply grows a line.
    directDomUpdates: true,
    // `top`, not `translate3d`: a composited layer per message would repaint the whole of a long
    // streaming reply each frame instead of the part in view.
    directDomUpdatesMode: 'position',
    // Where the virtualizer puts the position (keeping what is in view when a message above is
    // measured, or going to a message) is no user's scrolling: remember it as the list's own.
    scrollToFn: (offset, options, instance) => {
      elementScroll(offset, options, instance);
      stick.noteOwnScroll(offset + (options.adjustments ?? 0));
    },
    // The message that holds the keyboard's place stays mounted, so Tab can always return to it.
    rangeExtractor: roving.rangeExtractor,
  });

  useLayoutEffect(() => {
    // A message wholly above the view that changes height must not move what the user reads, even
    // right after a scroll up (the library skips that case by default).
    virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) =>
      item.end <= (instance.scrollOffset ?? 0);
  }, [virtualizer]);

  // Pinned to the bottom while a reply streams, unless the user scrolled up. After the virtualizer:
  // its effects must run after the virtualizer's own.
  const stick = useStickToBottom(scroller, { count: messages.length, pinThreshold });
  const { pinned, observe, unpinOnIntent } = stick;
  const measure = useCallback(
    (node: HTMLElement | null) => {
      observe(node);
      virtualizer.measureElement(node);
    },
    [observe, virtualizer],
  );
  // The sizer is not followed, only the messages: the virtualizer sets its height from inside its
  // own ResizeObserver callback, a change to an element above the messages that the browser can
  // only deliver a frame later (reporting a ResizeObserver loop each time) and that the messages'
  // own growth has already shown.
  const sizer = useCallback((node: HTMLDivElement | null) => virtualizer.containerRef(node), [virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Outside a message, the keys that scroll up say the user wants to read back.
    if (!roving.onKeyDown(event) && ['PageUp', 'ArrowUp', 'Home'].includes(event.key)) unpinOnIntent();
  };

  // Set by an edit or a regenerate: the next change of the messages goes to the bottom.
  const following = useRef(false);
  followNextReply.current = () => {
    following.current = true;
    stick.pin();
    roving.reset();
  };
  useLayoutEffect(() => {
    if (!following.current || messages.length === 0) return;
    following.current = false;
    virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    requestAnimationFrame(stick.scrollToBottom);
  }, [messages, virtualizer, stick.scrollToBottom]);

  const jumpToLatest = () => {
    stick.pin();
    roving.reset();
    virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    requestAnimationFrame(stick.scrollToBottom);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      className={cx('parlance-root parlance-message-list', className)}
      data-theme={theme}
      data-slot="message-list"
      data-pinned={pinned}
      style={style}
    >
      {/* The log hands arrow keys between its messages (roving focus); the empty log takes focus
          itself so that its scrolling region stays keyboard reachable. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        ref={scroller}
        className="parlance-message-scroller"
        role="log"
        aria-live="polite"
        aria-relevant="additions text"
        aria-busy={streaming}
        aria-label={strings.conversation}
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={isEmpty ? 0 : -1}
        onWheel={(event) => {
          if (event.deltaY < 0) unpinOnIntent();
        }}
        onTouchMove={unpinOnIntent}
        onKeyDown={onKeyDown}
      >
        {isEmpty ? (
          <div className="parlance-empty">{emptyState ?? <p>{strings.empty}</p>}</div>
        ) : (
          <div ref={sizer} className="parlance-message-sizer">
            {items.map((item) => {
              const message = messages[item.index]!;
              return (
                <MessageRow
                  key={item.key}
                  store={store}
                  message={message}
                  index={item.index}
                  count={messages.length}
                  isLast={item.index === messages.length - 1}
                  busy={busy}
                  active={item.index === active}
                  strings={strings}
                  policy={policy}
                  userMarkdown={userMarkdown}
                  showUsage={showUsage}
                  handlers={handlers}
                  available={available}
                  measure={measure}
                  renderAvatar={renderAvatar}
                  renderContent={renderContent}
                  renderActions={renderActions}
                  renderToolCall={renderToolCall}
                />
              );
            })}
          </div>
        )}
      </div>
      {!pinned && !isEmpty && (
        <button
          type="button"
          className="parlance-button parlance-jump"
          data-slot="jump-to-latest"
          onClick={jumpToLatest}
        >
          {strings.jumpToLatest}
        </button>
      )}
    </div>
  );
}

interface MessageRowProps extends MessageItemProps {
  store: ChatStore | null;
}

/**
 * A message of the list. Bound to a store, it reads its message from there (by id), so a streamed
 * chunk re-renders this row alone, whether or not the list re-rendered.
 */
const MessageRow = memo(function MessageRow({ store, ...props }: MessageRowProps) {
  const { message, index } = props;
  // Stable while the row's props are: a new `getSnapshot` per render would make React re-check the
  // store in a passive effect after each streamed frame.
  const read = useCallback(
    () => (store ? findMessage(store.getSnapshot().messages, message.id, index) : null) ?? message,
    [store, message, index],
  );
  const readServer = useCallback(() => message, [message]);
  const current = useSyncExternalStore(store?.subscribe ?? noSubscription, read, readServer);
  return <MessageItem {...props} message={current} />;
});

const noSubscription = () => () => undefined;

const indexes = new WeakMap<readonly ChatMessage[], Map<string, ChatMessage>>();

/** The message with `id`: at `index` when the list and the store agree (most reads), else by id. */
function findMessage(messages: readonly ChatMessage[], id: string, index: number): ChatMessage | undefined {
  const at = messages[index];
  if (at?.id === id) return at;
  let byId = indexes.get(messages);
  if (!byId) {
    byId = new Map(messages.map((m) => [m.id, m]));
    indexes.set(messages, byId);
  }
  return byId.get(id);
}
