import { useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';

import type { MaskDirtyRect, MaskModel } from '../../core';
import type { ViewportPan } from './use-viewport';

/** What the mask editor's pointer does. */
export type MaskEditorTool = 'paint' | 'erase' | 'rectangle' | 'pan';

/** A rectangle being dragged, in image pixels. */
export interface MaskSelection {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What marking needs, by pointer or by keyboard: the model, the tool and brush, the view, the painter. */
export interface MaskMarking {
  modelRef: RefObject<MaskModel | null>;
  tool: MaskEditorTool;
  brushSize: number;
  hardness: number;
  pan: ViewportPan;
  panTo: (x: number, y: number) => void;
  resolvePalette: () => boolean;
  drawOverlay: () => void;
  queueOverlay: (rect: MaskDirtyRect | null) => void;
  commit: () => void;
}

type Gesture =
  | { kind: 'paint'; id: number; x: number; y: number }
  | { kind: 'rect'; id: number; x: number; y: number }
  | { kind: 'pan'; id: number; clientX: number; clientY: number; panX: number; panY: number };

/**
 * Gestures: one pointer at a time (mouse, pen with pressure, touch) paints or erases strokes
 * (every coalesced sample), drags a rectangle, or pans (the pan tool or the middle button).
 * A finished stroke or rectangle is committed; the overlay repaints only what changed.
 */
export function useMaskGestures(options: MaskMarking & { overlayRef: RefObject<HTMLCanvasElement | null> }) {
  const { modelRef, overlayRef, tool, brushSize, hardness, pan, panTo } = options;
  const { resolvePalette, drawOverlay, queueOverlay, commit } = options;
  const gesture = useRef<Gesture | null>(null);
  const [selection, setSelection] = useState<MaskSelection | null>(null);

  /** Maps client coordinates to image pixels (measure the canvas once per event, not per sample). */
  const imageMapper = () => {
    const model = modelRef.current!;
    const rect = overlayRef.current!.getBoundingClientRect();
    const sx = model.width / rect.width;
    const sy = model.height / rect.height;
    return (event: { clientX: number; clientY: number }) => ({
      x: (event.clientX - rect.left) * sx,
      y: (event.clientY - rect.top) * sy,
    });
  };
  const toImagePoint = (event: { clientX: number; clientY: number }) => imageMapper()(event);

  const radiusFor = (event: PointerEvent | ReactPointerEvent) =>
    (brushSize / 2) * (event.pointerType === 'pen' && event.pressure > 0 ? Math.max(0.1, event.pressure) : 1);

  const onPointerDown = (event: ReactPointerEvent<HTMLElement>) => {
    const model = modelRef.current;
    if (!model || gesture.current) return;
    if (event.pointerType === 'mouse' && event.button !== 0 && event.button !== 1) return;
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // A pointer that is no longer active (or a synthetic one) cannot be captured; painting still works.
    }
    event.preventDefault();
    if (tool === 'pan' || event.button === 1) {
      gesture.current = {
        kind: 'pan',
        id: event.pointerId,
        clientX: event.clientX,
        clientY: event.clientY,
        panX: pan.x,
        panY: pan.y,
      };
      return;
    }
    const { x, y } = toImagePoint(event);
    if (tool === 'rectangle') {
      gesture.current = { kind: 'rect', id: event.pointerId, x, y };
      setSelection({ x0: x, y0: y, x1: x, y1: y });
      return;
    }
    model.begin();
    gesture.current = { kind: 'paint', id: event.pointerId, x, y };
    // A colour change since the last repaint (a theme switch) recolours everything once.
    if (resolvePalette()) drawOverlay();
    queueOverlay(model.stamp(x, y, radiusFor(event), hardness, tool === 'erase' ? 'erase' : 'paint'));
  };

  const onPointerMove = (event: ReactPointerEvent<HTMLElement>) => {
    const current = gesture.current;
    const model = modelRef.current;
    if (!current || !model || current.id !== event.pointerId) return;
    if (current.kind === 'pan') {
      panTo(current.panX + event.clientX - current.clientX, current.panY + event.clientY - current.clientY);
      return;
    }
    if (current.kind === 'rect') {
      const { x, y } = toImagePoint(event);
      setSelection({ x0: current.x, y0: current.y, x1: x, y1: y });
      return;
    }
    // Coalesced events carry every sample the pointer reported since the last frame.
    const native = event.nativeEvent;
    const samples = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    const mode = tool === 'erase' ? 'erase' : 'paint';
    const toImage = imageMapper();
    for (const sample of samples.length > 0 ? samples : [native]) {
      const { x, y } = toImage(sample);
      queueOverlay(model.line(current.x, current.y, x, y, radiusFor(sample), hardness, mode));
      current.x = x;
      current.y = y;
    }
  };

  const onPointerEnd = (event: ReactPointerEvent<HTMLElement>) => {
    const current = gesture.current;
    const model = modelRef.current;
    if (!current || !model || current.id !== event.pointerId) return;
    gesture.current = null;
    if (current.kind === 'pan') return;
    if (current.kind === 'rect') {
      const { x, y } = toImagePoint(event);
      setSelection(null);
      model.begin();
      queueOverlay(model.fillRect(current.x, current.y, x, y, 'paint'));
    }
    commit();
  };

  return {
    selection,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: onPointerEnd,
      onPointerCancel: onPointerEnd,
    },
  };
}
