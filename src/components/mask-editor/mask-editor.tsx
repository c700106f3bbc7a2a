import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  type WheelEvent as ReactWheelEvent,
} from 'react';

import { encodeMask } from '../../core/images/mask';
import { MaskModel, type MaskDirtyRect } from '../../core/images/mask-model';
import { prepareImage, type ImageFit, type ImageInput } from '../../core/images/prepare';
import { useParlanceConfig, type ParlanceLocale, type ParlanceTheme } from '../../hooks/parlance-provider';
import { useControllableState } from '../../hooks/internal/use-controllable-state';
import { useLatest } from '../../hooks/internal/use-latest';
import { formatImagesString, useImagesStrings, type ImagesStrings } from '../i18n/images';
import {
  addDirtyRect,
  DEFAULT_OVERLAY_COLOUR,
  overlayPalette,
  paintOverlay,
  type OverlayPalette,
} from './overlay';

/** What the mask editor's pointer does. */
export type MaskEditorTool = 'paint' | 'erase' | 'rectangle' | 'pan';

/** The painted area, one coverage byte per pixel of the prepared image (0 untouched … 255 painted). */
export interface MaskEditorValue {
  width: number;
  height: number;
  coverage: Uint8ClampedArray;
}

/** What `onChange` receives: both PNGs ready for `useImageEdit`. */
export interface MaskEditorChange {
  /** Square PNG, the image's size: alpha 0 exactly where painted, 255 elsewhere. */
  mask: Blob;
  /** The prepared square PNG (under 4 MB) the mask aligns with. */
  image: Blob;
  width: number;
  height: number;
  /** True when nothing is painted. */
  isEmpty: boolean;
}

/** Props of {@link MaskEditor}. */
export interface MaskEditorProps {
  /** The image to mask: a File, Blob, ImageBitmap, ImageData, canvas, `<img>` or URL. */
  image: ImageInput;
  /** The prepared image's side in pixels. Default: the input's square side, at most 1024. */
  side?: number;
  /** How a non-square image becomes square. Default `'crop'`. */
  fit?: ImageFit;
  /** Padding colour for `fit: 'pad'`. Default transparent. */
  background?: string;
  /** Called after every finished change (stroke, rectangle, undo…) and once when the image is ready. */
  onChange?: (change: MaskEditorChange) => void;
  /** Called when the image cannot be prepared (a typed `ImageValidationError`). */
  onError?: (error: unknown) => void;
  /** The painted area (controlled). */
  value?: MaskEditorValue | null;
  /** The initial painted area (uncontrolled). */
  defaultValue?: MaskEditorValue | null;
  onValueChange?: (value: MaskEditorValue | null) => void;
  /** The active tool (controlled). */
  tool?: MaskEditorTool;
  /** Default `'paint'`. */
  defaultTool?: MaskEditorTool;
  onToolChange?: (tool: MaskEditorTool) => void;
  /** Brush diameter in image pixels (controlled). */
  brushSize?: number;
  /** Default `48`. */
  defaultBrushSize?: number;
  onBrushSizeChange?: (size: number) => void;
  /** 0 (soft) … 1 (hard). Default `1`. */
  defaultHardness?: number;
  /** Zoom factor, 1 … 8 (controlled). */
  zoom?: number;
  /** Default `1`. */
  defaultZoom?: number;
  onZoomChange?: (zoom: number) => void;
  /** Override any word. */
  strings?: Partial<ImagesStrings>;
  /** Default: the provider's locale. */
  locale?: ParlanceLocale;
  /** Colour scheme; default: the provider's, else `auto` (follows the system). Exposed as `data-theme`. */
  theme?: ParlanceTheme;
  className?: string;
  style?: CSSProperties;
}

type Prepared = { blob: Blob; bitmap: ImageBitmap; side: number };
type LoadState =
  { state: 'loading' } | { state: 'ready'; prepared: Prepared } | { state: 'error'; error: unknown };
type LoadKey = { image: ImageInput; side?: number; fit?: ImageFit; background?: string };

const MIN_ZOOM = 1;
const MAX_ZOOM = 8;
const HISTORY_LIMIT = 30;

const clampZoom = (zoom: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));

/**
 * A canvas mask painter for image edits: paint (or erase) the area to change over the image, as
 * a translucent overlay; rectangle fill, brush size and hardness, undo/redo (Ctrl/Cmd+Z,
 * Shift+Ctrl/Cmd+Z), clear, invert, zoom and pan; mouse, pen (with pressure) and touch.
 * `onChange` gives a PNG mask exactly the prepared image's size, transparent where painted.
 *
 * Theming: `parlance-mask-editor*` classes, `data-slot` parts, `data-state` (`loading`, `ready`,
 * `error`) and `data-tool`; `--parlance-mask-overlay` sets the overlay colour.
 *
 * @example
 * ```tsx
 * <MaskEditor image={file} onChange={({ image, mask }) => setEdit({ image, mask })} />
 * ```
 */
export function MaskEditor(props: MaskEditorProps) {
  const { image, side, fit, background, className, style } = props;
  const { strings, locale } = useImagesStrings(props.strings, props.locale);
  const configTheme = useParlanceConfig().theme;
  const theme = props.theme ?? configTheme ?? 'auto';
  const [value, setValue] = useControllableState<MaskEditorValue | null>({
    prop: props.value,
    defaultProp: props.defaultValue ?? null,
    onChange: props.onValueChange,
    caller: 'MaskEditor',
  });
  const [tool, setTool] = useControllableState<MaskEditorTool>({
    prop: props.tool,
    defaultProp: props.defaultTool ?? 'paint',
    onChange: props.onToolChange,
    caller: 'MaskEditor (tool)',
  });
  const [brushSize, setBrushSize] = useControllableState<number>({
    prop: props.brushSize,
    defaultProp: props.defaultBrushSize ?? 48,
    onChange: props.onBrushSizeChange,
    caller: 'MaskEditor (brushSize)',
  });
  const [zoom, setZoomState] = useControllableState<number>({
    prop: props.zoom,
    defaultProp: props.defaultZoom ?? 1,
    onChange: props.onZoomChange,
    caller: 'MaskEditor (zoom)',
  });
  const [hardness, setHardness] = useState(props.defaultHardness ?? 1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const key = useMemo<LoadKey>(() => ({ image, side, fit, background }), [image, side, fit, background]);
  const [loaded, setLoaded] = useState<{ key: LoadKey; load: LoadState } | null>(null);
  const load: LoadState = loaded?.key === key ? loaded.load : { state: 'loading' };
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const [selection, setSelection] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);

  const modelRef = useRef<MaskModel | null>(null);
  const imageCanvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const emittedRef = useRef<MaskEditorValue | null>(null);
  const exportSeq = useRef(0);
  const gesture = useRef<
    | { kind: 'paint'; id: number; x: number; y: number }
    | { kind: 'rect'; id: number; x: number; y: number }
    | { kind: 'pan'; id: number; clientX: number; clientY: number; panX: number; panY: number }
    | null
  >(null);
  const latest = useLatest({ onChange: props.onChange, onError: props.onError, setValue });
  const hintId = useId();

  // Prepare the image: square, sized, PNG under 4 MB, exactly what the edit request will send.
  useEffect(() => {
    let live = true;
    (async () => {
      const prepared = await prepareImage(key.image, {
        side: key.side,
        fit: key.fit,
        background: key.background,
      });
      const bitmap = await createImageBitmap(prepared.blob);
      if (!live) return bitmap.close();
      setLoaded({
        key,
        load: { state: 'ready', prepared: { blob: prepared.blob, bitmap, side: prepared.width } },
      });
    })().catch((error: unknown) => {
      if (!live) return;
      setLoaded({ key, load: { state: 'error', error } });
      latest.current.onError?.(error);
    });
    return () => {
      live = false;
    };
  }, [key, latest]);

  const prepared = load.state === 'ready' ? load.prepared : null;

  // The overlay colour, resolved from CSS at each full repaint and at the start of each stroke.
  const paletteRef = useRef<{ colour: string; palette: OverlayPalette } | null>(null);
  // Dirty rectangles waiting for the next animation frame: one repaint per frame, however many
  // pointer samples arrived.
  const pendingRef = useRef<{ rects: MaskDirtyRect[]; frame: number | null }>({ rects: [], frame: null });

  const resolvePalette = useCallback(() => {
    const colour = rootRef.current
      ? getComputedStyle(rootRef.current).getPropertyValue('--parlance-mask-overlay').trim()
      : '';
    const key = colour || DEFAULT_OVERLAY_COLOUR;
    const changed = paletteRef.current?.colour !== key;
    if (changed) paletteRef.current = { colour: key, palette: overlayPalette(key) };
    return changed;
  }, []);

  const paintRects = useCallback((rects: MaskDirtyRect[]) => {
    const model = modelRef.current;
    const context = overlayRef.current?.getContext('2d');
    if (!model || !context || !paletteRef.current) return;
    for (const rect of rects)
      paintOverlay(context, model.coverage, model.width, rect, paletteRef.current.palette);
  }, []);

  /** Repaints the whole overlay now, dropping any queued rectangles. */
  const drawOverlay = useCallback(() => {
    const model = modelRef.current;
    if (!model) return;
    const pending = pendingRef.current;
    if (pending.frame !== null) cancelAnimationFrame(pending.frame);
    pending.frame = null;
    pending.rects = [];
    resolvePalette();
    paintRects([{ x: 0, y: 0, width: model.width, height: model.height }]);
  }, [resolvePalette, paintRects]);

  /** Queues a changed rectangle for the next frame's repaint. */
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

  const emit = useCallback(() => {
    const model = modelRef.current;
    if (!model || !prepared) return;
    const seq = ++exportSeq.current;
    const { width, height } = model;
    void encodeMask(model).then((mask) => {
      if (seq !== exportSeq.current) return;
      latest.current.onChange?.({ mask, image: prepared.blob, width, height, isEmpty: model.isEmpty() });
    });
  }, [prepared, latest]);

  const commit = useCallback(() => {
    const model = modelRef.current;
    if (!model) return;
    const next: MaskEditorValue = {
      width: model.width,
      height: model.height,
      coverage: model.coverage.slice(),
    };
    emittedRef.current = next;
    latest.current.setValue(next);
    setHistory({ canUndo: model.canUndo, canRedo: model.canRedo });
    emit();
  }, [emit, latest]);

  // A new prepared image: new canvases and a new model (keeping a value of the same size).
  useLayoutEffect(() => {
    if (!prepared) return;
    const { side: n, bitmap } = prepared;
    const imageCanvas = imageCanvasRef.current!;
    imageCanvas.width = n;
    imageCanvas.height = n;
    imageCanvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    overlayRef.current!.width = n;
    overlayRef.current!.height = n;
    const initial = value && value.width === n && value.height === n ? value.coverage : undefined;
    modelRef.current = new MaskModel(n, n, { coverage: initial, historyLimit: HISTORY_LIMIT });
    emittedRef.current = value;
    drawOverlay();
    // The model lives outside React; its fresh history is mirrored into state once per image.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setHistory({ canUndo: false, canRedo: false });
    emit();
    // The value is read once per image; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [prepared, drawOverlay, emit]);

  // A controlled value from outside (not one this editor just emitted).
  useEffect(() => {
    const model = modelRef.current;
    if (!model || value === emittedRef.current) return;
    emittedRef.current = value;
    if (value === null) model.load(new Uint8ClampedArray(model.width * model.height));
    else if (value.width === model.width && value.height === model.height) model.load(value.coverage);
    else return;
    drawOverlay();
    emit();
  }, [value, drawOverlay, emit]);

  useEffect(() => () => prepared?.bitmap.close(), [prepared]);

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

  const clampPan = useCallback((x: number, y: number, z: number) => {
    const viewport = viewportRef.current;
    const w = viewport?.clientWidth ?? 0;
    const h = viewport?.clientHeight ?? 0;
    return { x: Math.min(0, Math.max(w - w * z, x)), y: Math.min(0, Math.max(h - h * z, y)) };
  }, []);

  const setZoom = useCallback(
    (next: number, origin?: { x: number; y: number }) => {
      const z = clampZoom(next);
      const viewport = viewportRef.current;
      const ox = origin?.x ?? (viewport?.clientWidth ?? 0) / 2;
      const oy = origin?.y ?? (viewport?.clientHeight ?? 0) / 2;
      setPan((p) => clampPan(ox - ((ox - p.x) * z) / zoom, oy - ((oy - p.y) * z) / zoom, z));
      setZoomState(z);
    },
    [zoom, setZoomState, clampPan],
  );

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
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

  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const current = gesture.current;
    const model = modelRef.current;
    if (!current || !model || current.id !== event.pointerId) return;
    if (current.kind === 'pan') {
      setPan(
        clampPan(
          current.panX + event.clientX - current.clientX,
          current.panY + event.clientY - current.clientY,
          zoom,
        ),
      );
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

  const onPointerEnd = (event: ReactPointerEvent<HTMLDivElement>) => {
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

  const run = (action: 'undo' | 'redo' | 'clear' | 'invert') => {
    const model = modelRef.current;
    if (!model) return;
    if (action === 'undo' && !model.undo()) return;
    if (action === 'redo' && !model.redo()) return;
    if (action === 'clear') model.clear();
    if (action === 'invert') model.invert();
    drawOverlay();
    commit();
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === 'z') {
      event.preventDefault();
      run(event.shiftKey ? 'redo' : 'undo');
    } else if (mod && key === 'y') {
      event.preventDefault();
      run('redo');
    }
  };

  const onViewportKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const step = 40;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setPan((p) => clampPan(p.x + move[0], p.y + move[1], zoom));
    } else if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      setZoom(zoom * 1.5);
    } else if (event.key === '-') {
      event.preventDefault();
      setZoom(zoom / 1.5);
    } else if (event.key === '0') {
      event.preventDefault();
      setZoom(1);
    }
  };

  const onWheel = (event: ReactWheelEvent<HTMLDivElement>) => {
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

  const ready = load.state === 'ready';
  const n = prepared?.side ?? 1;
  const toolButton = (id: MaskEditorTool, label: string) => (
    <button
      type="button"
      className="parlance-mask-editor__button"
      data-slot={`tool-${id}`}
      aria-pressed={tool === id}
      data-state={tool === id ? 'on' : 'off'}
      onClick={() => setTool(id)}
    >
      {label}
    </button>
  );
  const action = (
    id: 'undo' | 'redo' | 'clear' | 'invert',
    label: string,
    enabled: boolean,
    shortcut?: string,
  ) => (
    <button
      type="button"
      className="parlance-mask-editor__button"
      data-slot={id}
      disabled={!ready || !enabled}
      aria-keyshortcuts={shortcut}
      onClick={() => run(id)}
    >
      {label}
    </button>
  );

  return (
    // Undo/redo shortcuts work wherever focus is inside the editor.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      ref={rootRef}
      className={['parlance-mask-editor', className].filter(Boolean).join(' ')}
      style={style}
      lang={locale}
      data-slot="root"
      data-state={load.state}
      data-tool={tool}
      data-theme={theme}
      onKeyDown={onKeyDown}
    >
      <div
        role="toolbar"
        aria-label={strings.maskTools}
        className="parlance-mask-editor__toolbar"
        data-slot="toolbar"
      >
        <div className="parlance-mask-editor__group" role="group" aria-label={strings.maskTools}>
          {toolButton('paint', strings.paint)}
          {toolButton('erase', strings.erase)}
          {toolButton('rectangle', strings.rectangle)}
          {toolButton('pan', strings.pan)}
        </div>
        <label className="parlance-mask-editor__range" data-slot="brush-size">
          <span>{strings.brushSize}</span>
          <input
            type="range"
            min={2}
            max={Math.max(8, Math.round(n / 4))}
            value={brushSize}
            onChange={(e) => setBrushSize(Number(e.currentTarget.value))}
          />
        </label>
        <label className="parlance-mask-editor__range" data-slot="hardness">
          <span>{strings.hardness}</span>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(hardness * 100)}
            onChange={(e) => setHardness(Number(e.currentTarget.value) / 100)}
          />
        </label>
        {action('undo', strings.undo, history.canUndo, 'Control+Z Meta+Z')}
        {action('redo', strings.redo, history.canRedo, 'Shift+Control+Z Shift+Meta+Z')}
        {action('clear', strings.clear, true)}
        {action('invert', strings.invert, true)}
        <button
          type="button"
          className="parlance-mask-editor__button"
          data-slot="zoom-out"
          disabled={!ready || zoom <= MIN_ZOOM}
          onClick={() => setZoom(zoom / 1.5)}
        >
          {strings.zoomOut}
        </button>
        <output className="parlance-mask-editor__zoom" data-slot="zoom-level" aria-live="polite">
          {formatImagesString(strings.zoomLevel, { zoom: Math.round(zoom * 100) })}
        </output>
        <button
          type="button"
          className="parlance-mask-editor__button"
          data-slot="zoom-in"
          disabled={!ready || zoom >= MAX_ZOOM}
          onClick={() => setZoom(zoom * 1.5)}
        >
          {strings.zoomIn}
        </button>
        <button
          type="button"
          className="parlance-mask-editor__button"
          data-slot="reset-view"
          disabled={!ready || zoom === 1}
          onClick={() => setZoom(1)}
        >
          {strings.resetView}
        </button>
      </div>
      {/* The viewport is a focusable canvas surface (role="application"): arrow keys pan, +/- zoom. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        ref={viewportRef}
        className="parlance-mask-editor__viewport"
        data-slot="viewport"
        role="application"
        aria-label={strings.maskCanvas}
        aria-describedby={hintId}
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        onKeyDown={onViewportKeyDown}
        onWheel={onWheel}
      >
        <div
          className="parlance-mask-editor__stage"
          data-slot="stage"
          style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
        >
          <canvas
            ref={imageCanvasRef}
            className="parlance-mask-editor__image"
            data-slot="image"
            aria-hidden="true"
          />
          <canvas
            ref={overlayRef}
            className="parlance-mask-editor__overlay"
            data-slot="overlay"
            aria-hidden="true"
          />
          {selection && (
            <div
              className="parlance-mask-editor__selection"
              data-slot="selection"
              style={{
                left: `${(Math.min(selection.x0, selection.x1) / n) * 100}%`,
                top: `${(Math.min(selection.y0, selection.y1) / n) * 100}%`,
                width: `${(Math.abs(selection.x1 - selection.x0) / n) * 100}%`,
                height: `${(Math.abs(selection.y1 - selection.y0) / n) * 100}%`,
              }}
            />
          )}
        </div>
        {load.state !== 'ready' && (
          <p
            className="parlance-mask-editor__status"
            data-slot="status"
            role={load.state === 'error' ? 'alert' : 'status'}
          >
            {load.state === 'loading'
              ? strings.loadingImage
              : formatImagesString(strings.imageFailed, {
                  message: load.error instanceof Error ? load.error.message : String(load.error),
                })}
          </p>
        )}
      </div>
      <p id={hintId} className="parlance-visually-hidden parlance-mask-editor__hint">
        {strings.maskCanvasHint}
      </p>
    </div>
  );
}
