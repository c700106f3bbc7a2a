import { useCallback, useEffect, useRef, type RefObject } from 'react';

import type { MaskDirtyRect, MaskModel } from '../../core';
import {
  addDirtyRect,
  DEFAULT_OVERLAY_COLOUR,
  overlayPalette,
  paintOverlay,
  type OverlayPalette,
} from './overlay';

/** What {@link useOverlayPainter} gives the editor. */
export interface OverlayPainter {
  /**
   * Re-reads the overlay colour (`--parlance-mask-overlay` on the root); true when it changed
   * since the last read, so the caller repaints everything once.
   */
  resolvePalette: () => boolean;
  /** Repaints the whole overlay now, dropping any queued rectangles. */
  drawOverlay: () => void;
  /** Queues a changed rectangle for the next frame's repaint. */
  queueOverlay: (rect: MaskDirtyRect | null) => void;
}

/**
 * Overlay painting: turns the mask's coverage into the translucent overlay canvas, a whole
 * repaint or only the rectangles that changed, at most once per animation frame however many
 * pointer samples arrived.
 */
export function useOverlayPainter(
  modelRef: RefObject<MaskModel | null>,
  overlayRef: RefObject<HTMLCanvasElement | null>,
  rootRef: RefObject<HTMLElement | null>,
): OverlayPainter {
  // The overlay colour, resolved from CSS at each full repaint and at the start of each stroke.
  const paletteRef = useRef<{ colour: string; palette: OverlayPalette } | null>(null);
  // Dirty rectangles waiting for the next animation frame.
  const pendingRef = useRef<{ rects: MaskDirtyRect[]; frame: number | null }>({ rects: [], frame: null });

  const resolvePalette = useCallback(() => {
    const colour = rootRef.current
      ? getComputedStyle(rootRef.current).getPropertyValue('--parlance-mask-overlay').trim()
      : '';
    const key = colour || DEFAULT_OVERLAY_COLOUR;
    const changed = paletteRef.current?.colour !== key;
    if (changed) paletteRef.current = { colour: key, palette: overlayPalette(key) };
    return changed;
  }, [rootRef]);

  const paintRects = useCallback(
    (rects: MaskDirtyRect[]) => {
      const model = modelRef.current;
      const context = overlayRef.current?.getContext('2d');
      if (!model || !context || !paletteRef.current) return;
      for (const rect of rects)
        paintOverlay(context, model.coverage, model.width, rect, paletteRef.current.palette);
    },
    [modelRef, overlayRef],
  );

  const drawOverlay = useCallback(() => {
    const model = modelRef.current;
    if (!model) return;
    const pending = pendingRef.current;
    if (pending.frame !== null) cancelAnimationFrame(pending.frame);
    pending.frame = null;
    pending.rects = [];
    resolvePalette();
    paintRects([{ x: 0, y: 0, width: model.width, height: model.height }]);
  }, [modelRef, resolvePalette, paintRects]);

  const queueOverlay = useCallback(
    (rect: MaskDirtyRect | null) => {
      if (!rect) return;
      const pending = pendingRef.current;
      addDirtyRect(pending.rects, rect);
      pending.frame ??= requestAnimationFrame(() => {
        const rects = pending.rects;
        pending.rects = [];
        pending.frame = null;
        paintRects(rects);
      });
    },
    [paintRects],
  );

  useEffect(
    () => () => {
      const pending = pendingRef.current;
      if (pending.frame !== null) cancelAnimationFrame(pending.frame);
      pending.frame = null;
      pending.rects = [];
    },
    [],
  );

  return { resolvePalette, drawOverlay, queueOverlay };
}
