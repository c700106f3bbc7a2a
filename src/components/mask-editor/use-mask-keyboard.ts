import { useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';

import type { MaskMarking, MaskSelection } from './use-mask-gestures';

/** The keyboard brush: where it is and, for the rectangle tool, the corner already set. */
export interface MaskCursor {
  x: number;
  y: number;
  anchor: { x: number; y: number } | null;
}

/** What the keyboard did, for the editor's live region. */
export type MaskKeyboardEvent =
  | { kind: 'move'; x: number; y: number }
  | { kind: 'paint' | 'erase'; x: number; y: number }
  | { kind: 'corner'; x: number; y: number }
  | { kind: 'filled' }
  | { kind: 'cancelled' };

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * Marking by keyboard: arrow keys move a brush cursor over the image (a brush radius a step,
 * Shift for four), Space or Enter paints (or erases) under it; with the rectangle tool the first
 * press sets a corner and the second fills to the cursor, Escape drops the corner. The view pans
 * to keep the cursor in sight when zoomed. With the pan tool the keys pan, as before.
 */
export function useMaskKeyboard(
  options: MaskMarking & {
    viewportRef: RefObject<HTMLElement | null>;
    zoom: number;
    onAnnounce: (event: MaskKeyboardEvent) => void;
  },
) {
  const { modelRef, viewportRef, tool, brushSize, hardness, zoom, pan, panTo } = options;
  const [cursor, setCursor] = useState<MaskCursor | null>(null);

  /** Pans so that the image point stays inside the viewport, with a brush's margin. */
  const reveal = (x: number, y: number, side: number) => {
    const viewport = viewportRef.current;
    if (!viewport || zoom <= 1) return;
    const w = viewport.clientWidth;
    const h = viewport.clientHeight;
    const px = (x / side) * w * zoom + pan.x;
    const py = (y / side) * h * zoom + pan.y;
    const margin = Math.min(w / 4, ((brushSize / side) * w * zoom) / 2 + 8);
    let nx = pan.x;
    let ny = pan.y;
    if (px < margin) nx += margin - px;
    else if (px > w - margin) nx -= px - (w - margin);
    if (py < margin) ny += margin - py;
    else if (py > h - margin) ny -= py - (h - margin);
    if (nx !== pan.x || ny !== pan.y) panTo(nx, ny);
  };

  /** Handles the key when it is the keyboard brush's; returns whether it did. */
  const onKeyDown = (event: ReactKeyboardEvent<HTMLElement>): boolean => {
    const model = modelRef.current;
    if (!model || tool === 'pan' || event.altKey || event.ctrlKey || event.metaKey) return false;
    const side = model.width;
    const current = cursor ?? { x: side / 2, y: model.height / 2, anchor: null };
    const arrow = ARROWS[event.key];
    if (arrow) {
      event.preventDefault();
      const step = Math.max(2, Math.round(brushSize / 2)) * (event.shiftKey ? 4 : 1);
      const clamp = (v: number, max: number) => Math.min(max - 1, Math.max(0, v));
      // The first press shows the cursor where it starts, in the middle.
      const x = cursor ? clamp(current.x + arrow[0] * step, side) : current.x;
      const y = cursor ? clamp(current.y + arrow[1] * step, model.height) : current.y;
      setCursor({ ...current, x, y });
      reveal(x, y, side);
      options.onAnnounce({ kind: 'move', x, y });
      return true;
    }
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (event.repeat) return true;
      if (options.resolvePalette()) options.drawOverlay();
      if (tool === 'rectangle') {
        if (!current.anchor) {
          setCursor({ ...current, anchor: { x: current.x, y: current.y } });
          options.onAnnounce({ kind: 'corner', x: current.x, y: current.y });
          return true;
        }
        model.begin();
        options.queueOverlay(
          model.fillRect(current.anchor.x, current.anchor.y, current.x, current.y, 'paint'),
        );
        options.commit();
        setCursor({ ...current, anchor: null });
        options.onAnnounce({ kind: 'filled' });
        return true;
      }
      const mode = tool === 'erase' ? 'erase' : 'paint';
      model.begin();
      options.queueOverlay(model.stamp(current.x, current.y, brushSize / 2, hardness, mode));
      options.commit();
      setCursor(current);
      options.onAnnounce({ kind: mode, x: current.x, y: current.y });
      return true;
    }
    if (event.key === 'Escape' && current.anchor) {
      event.preventDefault();
      setCursor({ ...current, anchor: null });
      options.onAnnounce({ kind: 'cancelled' });
      return true;
    }
    return false;
  };

  const selection: MaskSelection | null =
    cursor?.anchor && tool === 'rectangle'
      ? { x0: cursor.anchor.x, y0: cursor.anchor.y, x1: cursor.x, y1: cursor.y }
      : null;

  return { cursor: tool === 'pan' ? null : cursor, selection, onKeyDown, hide: () => setCursor(null) };
}
