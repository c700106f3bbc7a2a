import {
  useCallback,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type RefObject,
  type WheelEvent as ReactWheelEvent,
} from 'react';

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 8;
/** One zoom step (buttons and +/- keys). */
export const ZOOM_STEP = 1.5;
/** Arrow keys pan by this many CSS pixels. */
const PAN_STEP = 40;

const clampZoom = (zoom: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));

/** A pan offset in CSS pixels (the stage's translation; ≤ 0 on both axes). */
export interface ViewportPan {
  x: number;
  y: number;
}

/**
 * Viewport maths: zoom (1 … 8, about an origin that stays put) and pan (clamped so the image
 * always fills the viewport), from the buttons, the keyboard (arrows pan, +/−/0 zoom) and the
 * wheel (Ctrl/Cmd zooms at the pointer, otherwise pans when zoomed).
 */
export function useViewport(
  viewportRef: RefObject<HTMLElement | null>,
  zoom: number,
  setZoomState: (zoom: number) => void,
) {
  const [pan, setPan] = useState<ViewportPan>({ x: 0, y: 0 });

  const clampPan = useCallback(
    (x: number, y: number, z: number): ViewportPan => {
      const viewport = viewportRef.current;
      const w = viewport?.clientWidth ?? 0;
      const h = viewport?.clientHeight ?? 0;
      return { x: Math.min(0, Math.max(w - w * z, x)), y: Math.min(0, Math.max(h - h * z, y)) };
    },
    [viewportRef],
  );

  const setZoom = useCallback(
    (next: number, origin?: { x: number; y: number }) => {
      const z = clampZoom(next);
      const viewport = viewportRef.current;
      const ox = origin?.x ?? (viewport?.clientWidth ?? 0) / 2;
      const oy = origin?.y ?? (viewport?.clientHeight ?? 0) / 2;
      setPan((p) => clampPan(ox - ((ox - p.x) * z) / zoom, oy - ((oy - p.y) * z) / zoom, z));
      setZoomState(z);
    },
    [viewportRef, zoom, setZoomState, clampPan],
  );

  /** Pans to `x`, `y` (clamped at the current zoom). */
  const panTo = useCallback((x: number, y: number) => setPan(clampPan(x, y, zoom)), [clampPan, zoom]);

  const onKeyDown = (event: ReactKeyboardEvent<HTMLElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setPan((p) => clampPan(p.x + move[0], p.y + move[1], zoom));
    } else if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      setZoom(zoom * ZOOM_STEP);
    } else if (event.key === '-') {
      event.preventDefault();
      setZoom(zoom / ZOOM_STEP);
    } else if (event.key === '0') {
      event.preventDefault();
      setZoom(1);
    }
  };

  const onWheel = (event: ReactWheelEvent<HTMLElement>) => {
    if (event.ctrlKey || event.metaKey) {
      const rect = event.currentTarget.getBoundingClientRect();
      setZoom(zoom * Math.exp(-event.deltaY / 300), {
        x: event.clientX - rect.left,
        y: event.clientY - rect.top,
      });
    } else if (zoom > 1) {
      setPan((p) => clampPan(p.x - event.deltaX, p.y - event.deltaY, zoom));
    }
  };

  return { pan, panTo, setZoom, onKeyDown, onWheel };
}
