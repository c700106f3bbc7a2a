import { useId, useRef, useState, type CSSProperties } from 'react';

import type { MaskModel } from '../../core/images/mask-model';
import type { ImageFit, ImageInput } from '../../core/images/prepare';
import { useParlanceConfig, type ParlanceLocale, type ParlanceTheme } from '../../hooks/parlance-provider';
import { useControllableState } from '../../hooks/internal/use-controllable-state';
import { formatImagesString, useImagesStrings, type ImagesStrings } from '../i18n/images';
import { MaskEditorToolbar } from './toolbar';
import { useMaskGestures, type MaskEditorTool } from './use-mask-gestures';
import { useMaskModel, type MaskEditorChange, type MaskEditorValue } from './use-mask-model';
import { useMaskUndo } from './use-mask-undo';
import { useOverlayPainter } from './use-overlay-painter';
import { usePreparedImage } from './use-prepared-image';
import { useViewport } from './use-viewport';

export type { MaskEditorChange, MaskEditorTool, MaskEditorValue };

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

  const modelRef = useRef<MaskModel | null>(null);
  const imageCanvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const hintId = useId();

  const load = usePreparedImage(image, { side, fit, background, onError: props.onError });
  const prepared = load.state === 'ready' ? load.prepared : null;
  const { resolvePalette, drawOverlay, queueOverlay } = useOverlayPainter(modelRef, overlayRef, rootRef);
  const { history, commit } = useMaskModel({
    prepared,
    value,
    setValue,
    onChange: props.onChange,
    imageCanvasRef,
    overlayRef,
    drawOverlay,
    modelRef,
  });
  const { run, onKeyDown } = useMaskUndo(modelRef, drawOverlay, commit);
  const viewport = useViewport(viewportRef, zoom, setZoomState);
  const { pan, setZoom } = viewport;
  const gestures = useMaskGestures({
    modelRef,
    overlayRef,
    tool,
    brushSize,
    hardness,
    pan,
    panTo: viewport.panTo,
    resolvePalette,
    drawOverlay,
    queueOverlay,
    commit,
  });
  const { selection } = gestures;

  const ready = load.state === 'ready';
  const n = prepared?.side ?? 1;

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
      <MaskEditorToolbar
        strings={strings}
        ready={ready}
        side={n}
        tool={tool}
        onToolChange={setTool}
        brushSize={brushSize}
        onBrushSizeChange={setBrushSize}
        hardness={hardness}
        onHardnessChange={setHardness}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onAction={run}
        zoom={zoom}
        onZoom={setZoom}
      />
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
        onKeyDown={viewport.onKeyDown}
        onWheel={viewport.onWheel}
      >
        <div
          className="parlance-mask-editor__stage"
          data-slot="stage"
          style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
          {...gestures.handlers}
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
