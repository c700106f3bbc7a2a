import { defaultRangeExtractor, type Range } from '@tanstack/react-virtual';
import { useCallback, useState, type KeyboardEvent, type RefObject } from 'react';

/** Options of {@link useRovingFocus}. */
export interface RovingFocusOptions {
  /** How many items there are. */
  count: number;
  /** The scrolling element that holds the items (`[data-index]` elements). */
  container: RefObject<HTMLElement | null>;
  /** Brings item `index` into view before it is focused (the virtualizer may not have it mounted). */
  reveal: (index: number) => void;
}

/** What {@link useRovingFocus} gives the list. */
export interface RovingFocus {
  /** The item that holds the keyboard's place: the one chosen last, else the newest. */
  active: number;
  /** The virtualizer's range, plus the active item, so Tab can always return to it. */
  rangeExtractor: (range: Range) => number[];
  /**
   * Moves between items on ArrowUp/ArrowDown/Home/End. Returns `false` when the key was pressed
   * outside any item (the list may treat it as scrolling), `true` otherwise.
   */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => boolean;
  /** Gives the place back to the newest item. */
  reset: () => void;
}

/**
 * Roving focus over the `article[data-index]` items of a virtualised list: one item is in the tab
 * order, arrow keys, Home and End move between them, and the active item stays mounted.
 */
export function useRovingFocus({ count, container, reveal }: RovingFocusOptions): RovingFocus {
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const active = activeIndex === null ? count - 1 : Math.min(activeIndex, count - 1);

  // One function while `active` holds still: the virtualizer recomputes its range when it changes.
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

  const focusIndex = (index: number) => {
    const target = Math.max(0, Math.min(count - 1, index));
    setActiveIndex(target);
    reveal(target);
    const tryFocus = (attempt: number) => {
      const node = container.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      if (node) node.focus({ preventScroll: false });
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    requestAnimationFrame(() => tryFocus(0));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    const index = target.dataset.index === undefined ? null : Number(target.dataset.index);
    if (index === null || target.tagName !== 'ARTICLE') return false;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: count - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return true;
    event.preventDefault();
    focusIndex(next);
    return true;
  };

  const reset = useCallback(() => setActiveIndex(null), []);

  return { active, rangeExtractor, onKeyDown, reset };
}
