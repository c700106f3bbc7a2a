/* eslint-disable react-hooks/immutability, react-hooks/preserve-manual-memoization --
 * The scroll container comes in as a ref and this hook writes its `scrollTop`: a DOM write from
 * event and observer callbacks, which the compiler's rules read as mutating a hook argument. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

import { useLatest } from '../../hooks/internal/use-latest';

/** Options of {@link useStickToBottom}. */
export interface StickToBottomOptions {
  /** How many items the list holds: a new one is followed at once. */
  count: number;
  /** Distance from the bottom, in px, within which the list counts as pinned. */
  pinThreshold: number;
}

/** What {@link useStickToBottom} gives the list. */
export interface StickToBottom {
  /** The list follows its bottom: true until the user scrolls up, again once back at the bottom. */
  pinned: boolean;
  /** Records a position the list itself scrolled to (not the user's doing). */
  noteOwnScroll: (top: number) => void;
  /** A ref callback part: an element whose growth is followed while pinned. */
  observe: (node: HTMLElement | null) => void;
  /** Lets go of the bottom when the user shows the intent to read up (wheel up, touch, keys). */
  unpinOnIntent: () => void;
  /** Pins again (the "jump to latest" button). */
  pin: () => void;
  /** Moves to the bottom, skipping the write when already there. */
  scrollToBottom: () => void;
}

/**
 * Keeps a scrolling list at its bottom while content arrives, unless the user scrolled up: the
 * stick-to-bottom engine of the message list. Growth is followed from a ResizeObserver (after the
 * browser's own layout, where reading `scrollHeight` costs nothing), a new item at once.
 *
 * Call it after the virtualizer: its layout effect must run after the virtualizer's own, which
 * restores the virtualizer's scroll position on mount.
 */
export function useStickToBottom(
  scroller: RefObject<HTMLElement | null>,
  { count, pinThreshold }: StickToBottomOptions,
): StickToBottom {
  const [pinned, setPinnedState] = useState(true);
  const pinnedRef = useRef(true);
  const setPinned = useCallback((value: boolean) => {
    pinnedRef.current = value;
    setPinnedState(value);
  }, []);
  // The last scroll position seen, or set by the list itself (its follow, the virtualizer).
  const lastTop = useRef(0);
  const noteOwnScroll = useCallback((top: number) => {
    lastTop.current = top;
  }, []);

  const scrollToBottom = useCallback(() => {
    const element = scroller.current;
    // Writing scrollTop costs a scroll update even when nothing moves: skip it when at the bottom.
    if (element && element.scrollHeight - element.clientHeight - element.scrollTop > 0.5) {
      element.scrollTop = element.scrollHeight;
      // Followed while pinned (about once a frame while a reply streams): the scroll event this
      // causes finds the position it expects and returns at once.
      lastTop.current = element.scrollTop;
    }
  }, [scroller]);

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
  }, [scroller, readPosition, scrollToBottom]);

  // A new item is followed at once. Growth is followed from a ResizeObserver instead: reading
  // `scrollHeight` after every streamed render would force a layout of the whole reply once per frame.
  useLayoutEffect(() => {
    follow();
  }, [count, follow]);

  // Whatever grows (a streaming reply, images, highlighting, fonts) is followed while pinned. The
  // observer is made from the first ref callback, before the virtualizer's, so it reads the
  // layout before the virtualizer writes the new sizes into the page.
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
  }, [scroller, readPosition]);

  const unpinOnIntent = useCallback(() => {
    const element = scroller.current;
    if (element && element.scrollHeight > element.clientHeight && pinnedRef.current) setPinned(false);
  }, [scroller, setPinned]);
  const pin = useCallback(() => setPinned(true), [setPinned]);

  return { pinned, noteOwnScroll, observe, unpinOnIntent, pin, scrollToBottom };
}
