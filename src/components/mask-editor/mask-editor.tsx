import { forwardRef, useId, useRef, useState, type ComponentPropsWithoutRef } from 'react';

import type { ImageFit, ImageInput, MaskModel } from '../../core';
import type { ParlanceLocale, ParlanceTheme } from '../../hooks/parlance-provider';
import { useControllableState } from '../../hooks/internal/use-controllable-state';
import { format } from '../i18n/template';
import { imagesCatalogs, type ImagesStrings } from '../i18n/images';
import { useCatalogStrings, useLocale } from '../i18n/locale';
import { composeEventHandlers } from '../primitives/compose-event-handlers';
import { cx, useThemeAttribute } from '../primitives/root';
import { useComposedRefs } from '../primitives/use-composed-refs';
import { MaskEditorToolbar } from './toolbar';
import { useMaskGestures, type MaskEditorTool, type MaskMarking } from './use-mask-gestures';
import { useMaskKeyboard, type MaskKeyboardEvent } from './use-mask-keyboard';
import { useMaskModel, type MaskEditorChange, type MaskEditorValue } from './use-mask-model';
import { useMaskUndo } from './use-mask-undo';
import { useOverlayPainter } from './use-overlay-painter';
import { usePreparedImage } from './use-prepared-image';
import { useViewport } from './use-viewport';

export type { MaskEditorChange, MaskEditorTool, MaskEditorValue };

/**
 * Props of {@link MaskEditor}. Any other `div` attribute (`id`, `aria-*`, `data-*`, handlers) is
 * passed to the root element, whose ref is forwarded.
 */
export interface MaskEditorProps extends Omit<
  ComponentPropsWithoutRef<'div'>,
  'onChange' | 'onError' | 'defaultValue' | 'children'
> {
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
  /** Brush hardness, 0 (soft) … 1 (hard) (controlled). */
  hardness?: number;
  /** Default `1`. */
  defaultHardness?: number;
  onHardnessChange?: (hardness: number) => void;
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
}

/**
 * A canvas mask painter for image edits: paint (or erase) the area to change over the image, as
 * a translucent overlay; rectangle fill, brush size and hardness, undo/redo (Ctrl/Cmd+Z,
 * Shift+Ctrl/Cmd+Z), clear, invert, zoom and pan; mouse, pen (with pressure), touch and keyboard (arrow
 * keys move a brush cursor, Space or Enter paints under it or sets a rectangle's corners; announced).
 * `onChange` gives a PNG mask exactly the prepared image's size, transparent where painted.
 *
 * Theming: `parlance-mask-editor*` classes under `parlance-root`, `data-slot` parts, `data-state` (`loading`, `ready`,
 * `error`) and `data-tool`; `--parlance-mask-overlay` sets the overlay colour.
 *
 * @example
 * ```tsx
 * <MaskEditor image={file} onChange={({ image, mask }) => setEdit({ image, mask })} />
 * ```
 */
export const MaskEditor = forwardRef<HTMLDivElement, MaskEditorProps>(
  function MaskEditor(props, forwardedRef) {
    const {
      image,
      side,
      fit,
      background,
      onChange,
      onError,
      value: _value,
      defaultValue: _defaultValue,
      onValueChange: _onValueChange,
      tool: _tool,
      defaultTool: _defaultTool,
      onToolChange: _onToolChange,
      brushSize: _brushSize,
      defaultBrushSize: _defaultBrushSize,
      onBrushSizeChange: _onBrushSizeChange,
      hardness: _hardness,
      defaultHardness: _defaultHardness,
      onHardnessChange: _onHardnessChange,
      zoom: _zoom,
      defaultZoom: _defaultZoom,
      onZoomChange: _onZoomChange,
      strings: _strings,
      locale: localeProp,
      theme: themeProp,
      className,
      onKeyDown: onKeyDownProp,
      ...rest
    } = props;
    const ambientLocale = useLocale();
    const locale = localeProp ?? ambientLocale;
    const strings = useCatalogStrings(imagesCatalogs, props.strings, locale);
    const theme = useThemeAttribute(themeProp);
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
    const [hardness, setHardness] = useControllableState<number>({
      prop: props.hardness,
      defaultProp: props.defaultHardness ?? 1,
      onChange: props.onHardnessChange,
      caller: 'MaskEditor (hardness)',
    });

    const modelRef = useRef<MaskModel | null>(null);
    const imageCanvasRef = useRef<HTMLCanvasElement>(null);
    const overlayRef = useRef<HTMLCanvasElement>(null);
    const viewportRef = useRef<HTMLDivElement>(null);
    const rootRef = useRef<HTMLDivElement>(null);
    const ref = useComposedRefs(rootRef, forwardedRef);
    const hintId = useId();

    const load = usePreparedImage(image, { side, fit, background, onError });
    const prepared = load.state === 'ready' ? load.prepared : null;
    const { resolvePalette, drawOverlay, queueOverlay } = useOverlayPainter(modelRef, overlayRef, rootRef);
    const { history, commit } = useMaskModel({
      prepared,
      value,
      setValue,
      onChange,
      imageCanvasRef,
      overlayRef,
      drawOverlay,
      modelRef,
    });
    const { run, onKeyDown } = useMaskUndo(modelRef, drawOverlay, commit);
    const viewport = useViewport(viewportRef, zoom, setZoomState);
    const { pan, setZoom } = viewport;
    const marking: MaskMarking = {
      modelRef,
      tool,
      brushSize,
      hardness,
      pan,
      panTo: viewport.panTo,
      resolvePalette,
      drawOverlay,
      queueOverlay,
      commit,
    };
    const gestures = useMaskGestures({ ...marking, overlayRef });
    const [announcement, setAnnouncement] = useState('');
    const announce = (event: MaskKeyboardEvent) => {
      const at: Record<string, number> =
        'x' in event ? { x: Math.round(event.x), y: Math.round(event.y) } : {};
      const template = {
        move: strings.maskBrushAt,
        paint: strings.maskPaintedAt,
        erase: strings.maskErasedAt,
        corner: strings.maskCornerAt,
        filled: strings.maskRectangleFilled,
        cancelled: strings.maskRectangleCancelled,
      }[event.kind];
      setAnnouncement(format(template, at));
    };
    const keyboard = useMaskKeyboard({ ...marking, viewportRef, zoom, onAnnounce: announce });
    const selection = gestures.selection ?? keyboard.selection;
    const { cursor } = keyboard;

    const ready = load.state === 'ready';
    const n = prepared?.side ?? 1;

    return (
      // Undo/redo shortcuts work wherever focus is inside the editor.
      // eslint-disable-next-line jsx-a11y/no-static-element-interactions
      <div
        {...rest}
        ref={ref}
        className={cx('parlance-root parlance-mask-editor', className)}
        lang={locale}
        data-slot="mask-editor"
        data-state={load.state}
        data-tool={tool}
        data-theme={theme}
        onKeyDown={composeEventHandlers(onKeyDownProp, onKeyDown)}
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
          className="parlance-mask-editor-viewport"
          data-slot="viewport"
          role="application"
          aria-label={strings.maskCanvas}
          aria-describedby={hintId}
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          onKeyDown={(event) => {
            if (!keyboard.onKeyDown(event)) viewport.onKeyDown(event);
          }}
          onWheel={viewport.onWheel}
        >
          <div
            className="parlance-mask-editor-stage"
            data-slot="stage"
            style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
            {...gestures.handlers}
          >
            <canvas
              ref={imageCanvasRef}
              className="parlance-mask-editor-image"
              data-slot="image"
              aria-hidden="true"
            />
            <canvas
              ref={overlayRef}
              className="parlance-mask-editor-overlay"
              data-slot="overlay"
              aria-hidden="true"
            />
            {selection && (
              <div
                className="parlance-mask-editor-selection"
                data-slot="selection"
                style={{
                  left: `${(Math.min(selection.x0, selection.x1) / n) * 100}%`,
                  top: `${(Math.min(selection.y0, selection.y1) / n) * 100}%`,
                  width: `${(Math.abs(selection.x1 - selection.x0) / n) * 100}%`,
                  height: `${(Math.abs(selection.y1 - selection.y0) / n) * 100}%`,
                }}
              />
            )}
            {cursor && ready && (
              <div
                className="parlance-mask-editor-cursor"
                data-slot="cursor"
                data-tool={tool}
                style={{
                  left: `${(cursor.x / n) * 100}%`,
                  top: `${(cursor.y / n) * 100}%`,
                  width: `${(brushSize / n) * 100}%`,
                  height: `${(brushSize / n) * 100}%`,
                }}
              />
            )}
          </div>
          {load.state !== 'ready' && (
            <p
              className="parlance-mask-editor-status"
              data-slot="status"
              role={load.state === 'error' ? 'alert' : 'status'}
            >
              {load.state === 'loading'
                ? strings.loadingImage
                : format(strings.imageFailed, {
                    message: load.error instanceof Error ? load.error.message : String(load.error),
                  })}
            </p>
          )}
        </div>
        <p id={hintId} className="parlance-visually-hidden">
          {strings.maskCanvasHint}
        </p>
        <p className="parlance-visually-hidden" role="status" data-slot="announcer">
          {announcement}
        </p>
      </div>
    );
  },
);
