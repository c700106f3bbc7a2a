import { defaultRangeExtractor, elementScroll, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

import { useLatest } from '../../hooks/internal/use-latest';
import type { ChatStrings } from '../i18n/chat';
import { useChatStrings } from '../i18n/locale';
import { usePolicy, type UrlPolicy } from '../markdown/safe-url';
import { cx, useThemeAttribute } from '../primitives/root';
import { MessageItem, type MessageSlots } from './message-item';
import type { MessageActionHandlers, MessageListMessage } from './types';

/** Props of {@link MessageList}. */
export interface MessageListProps extends MessageActionHandlers, MessageSlots, UrlPolicy {
  /** The messages to show, oldest first: `useChat().messages`, or a stored transcript. */
  messages: readonly MessageListMessage[];
  /**
   * A reply is in progress (hides actions that would start another). Default: derived from the
   * messages (any `pending` or `streaming`).
   */
  busy?: boolean;
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
 */
export function MessageList(props: MessageListProps) {
  const {
    messages,
    userMarkdown = false,
    emptyState,
    estimateSize = 96,
    pinThreshold = 48,
    allowedImageOrigins,
    allowRelativeLinks,
    renderAvatar,
    renderContent,
    renderActions,
    className,
    style,
  } = props;
  const strings = useChatStrings(props.strings);
  const theme = useThemeAttribute(props.theme);
  const busy = props.busy ?? messages.some((m) => m.status === 'pending' || m.status === 'streaming');
  const streaming = messages.some((m) => m.status === 'streaming' || m.status === 'pending');

  const latest = useLatest(props);
  const handlers = useMemo<MessageActionHandlers>(
    () => ({
      onRegenerate: (id) => latest.current.onRegenerate?.(id),
      onEdit: (id, content) => latest.current.onEdit?.(id, content),
      onContinue: () => latest.current.onContinue?.(),
      onRetry: () => latest.current.onRetry?.(),
      onSelectAlternative: (id, index) => latest.current.onSelectAlternative?.(id, index),
      onCopy: (id) => latest.current.onCopy?.(id),
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
  const [pinned, setPinnedState] = useState(true);
  const pinnedRef = useRef(true);
  const setPinned = useCallback((value: boolean) => {
    pinnedRef.current = value;
    setPinnedState(value);
  }, []);
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  // The last scroll position seen, or set by the list itself (its follow, the virtualizer).
  const lastTop = useRef(0);
  const active = activeIndex === null ? messages.length - 1 : Math.min(activeIndex, messages.length - 1);

  // The message that holds the keyboard's place stays mounted, so Tab can always return to it. One
  // function while `active` holds still: the virtualizer recomputes its range when it changes.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (active >= 0 && !indexes.includes(active)) {
        indexes.push(active);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [active],
  );

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
      lastTop.current = offset + (options.adjustments ?? 0);
    },
    rangeExtractor,
  });

  useLayoutEffect(() => {
    // A message wholly above the view that changes height must not move what the user reads, even
    // right after a scroll up (the library skips that case by default).
    virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) =>
      item.end <= (instance.scrollOffset ?? 0);
  }, [virtualizer]);

  const scrollToBottom = useCallback(() => {
    const element = scroller.current;
    // Writing scrollTop costs a scroll update even when nothing moves: skip it when at the bottom.
    if (element && element.scrollHeight - element.clientHeight - element.scrollTop > 0.5) {
      element.scrollTop = element.scrollHeight;
      // Followed while pinned (about once a frame while a reply streams): the scroll event this
      // causes finds the position it expects and returns at once.
      lastTop.current = element.scrollTop;
    }
  }, []);

  // Pins or lets go by where the user left the position: back at the bottom pins; moved up and away
  // from it lets go (a scrollbar drag, keys, a script). Growth never moves the position up, and a
  // message above that shrinks moves the position and the height together, so the list is still
  // at the bottom then.
  const threshold = useLatest(pinThreshold);
  const readPosition = useCallback(
    (element: HTMLElement) => {
      const { scrollTop, scrollHeight, clientHeight } = element;
      if (scrollHeight - scrollTop - clientHeight <= threshold.current) {
        if (!pinnedRef.current) setPinned(true);
      } else if (scrollTop < lastTop.current - 1 && pinnedRef.current) {
        setPinned(false);
      }
      lastTop.current = scrollTop;
    },
    [setPinned, threshold],
  );

  // Keeps a pinned list at the bottom. It reads the position first: this runs from a
  // ResizeObserver, which may come before the scroll event of a scrollbar drag.
  const follow = useCallback(() => {
    const element = scroller.current;
    if (!element || !pinnedRef.current) return;
    readPosition(element);
    if (pinnedRef.current) scrollToBottom();
  }, [readPosition, scrollToBottom]);

  // A new message is followed at once. Growth is followed from a ResizeObserver instead: it runs
  // after the browser's own layout, where reading `scrollHeight` costs nothing, whereas reading it
  // after every streamed render would force a layout of the whole reply once per frame.
  const count = messages.length;
  useLayoutEffect(() => {
    follow();
  }, [count, follow]);

  // Whatever grows (a streaming reply, images, highlighting, fonts) is followed while pinned. The
  // observer is made before the virtualizer's, so it reads the layout before the virtualizer
  // writes the new sizes into the page.
  const follower = useRef<ResizeObserver | null>(null);
  const observed = useRef(new Set<HTMLElement>());
  const startFollowing = useCallback(() => {
    if (follower.current || typeof ResizeObserver === 'undefined') return follower.current;
    const observer = new ResizeObserver(follow);
    for (const node of observed.current) observer.observe(node);
    follower.current = observer;
    return observer;
  }, [follow]);
  const observe = useCallback(
    (node: HTMLElement | null) => {
      if (node) {
        observed.current.add(node);
        startFollowing()?.observe(node);
        return;
      }
      for (const element of observed.current) {
        if (element.isConnected) continue;
        observed.current.delete(element);
        follower.current?.unobserve(element);
      }
    },
    [startFollowing],
  );
  useEffect(() => {
    startFollowing();
    return () => {
      follower.current?.disconnect();
      follower.current = null;
    };
  }, [startFollowing]);
  const measure = useCallback(
    (node: HTMLElement | null) => {
      observe(node);
      virtualizer.measureElement(node);
    },
    [observe, virtualizer],
  );
  const sizer = useCallback(
    (node: HTMLDivElement | null) => {
      observe(node);
      virtualizer.containerRef(node);
    },
    [observe, virtualizer],
  );

  // A plain passive listener rather than React's `onScroll`: it runs once a frame while a reply
  // streams, and most of those runs are the list's own follow.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      // The list's own follow, still where it put it: nothing to decide.
      if (pinnedRef.current && element.scrollTop === lastTop.current) return;
      readPosition(element);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, [readPosition]);

  const unpinOnIntent = () => {
    const element = scroller.current;
    if (element && element.scrollHeight > element.clientHeight && pinnedRef.current) setPinned(false);
  };

  const focusIndex = (index: number) => {
    const target = Math.max(0, Math.min(messages.length - 1, index));
    setActiveIndex(target);
    unpinOnIntent();
    virtualizer.scrollToIndex(target, { align: 'auto' });
    const tryFocus = (attempt: number) => {
      const node = scroller.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      if (node) node.focus({ preventScroll: false });
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    requestAnimationFrame(() => tryFocus(0));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const index = target.dataset.index === undefined ? null : Number(target.dataset.index);
    if (index === null || target.tagName !== 'ARTICLE') {
      if (event.key === 'PageUp' || event.key === 'ArrowUp' || event.key === 'Home') unpinOnIntent();
      return;
    }
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: messages.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    focusIndex(next);
  };

  const jumpToLatest = () => {
    setPinned(true);
    setActiveIndex(null);
    virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    requestAnimationFrame(scrollToBottom);
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
                <MessageItem
                  key={item.key}
                  message={message}
                  index={item.index}
                  count={messages.length}
                  isLast={item.index === messages.length - 1}
                  busy={busy}
                  active={item.index === active}
                  strings={strings}
                  policy={policy}
                  userMarkdown={userMarkdown}
                  handlers={handlers}
                  available={available}
                  measure={measure}
                  renderAvatar={renderAvatar}
                  renderContent={renderContent}
                  renderActions={renderActions}
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
