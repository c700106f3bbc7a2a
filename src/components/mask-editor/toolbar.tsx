import { format } from '../i18n/template';
import type { ImagesStrings } from '../i18n/images';
import type { MaskEditorTool } from './use-mask-gestures';
import type { MaskAction } from './use-mask-undo';
import { MAX_ZOOM, MIN_ZOOM, ZOOM_STEP } from './use-viewport';

/** Props of {@link MaskEditorToolbar}. */
export interface MaskEditorToolbarProps {
  strings: ImagesStrings;
  /** Whether the image is ready (actions and zoom are disabled until it is). */
  ready: boolean;
  /** The prepared image's side, which bounds the brush size. */
  side: number;
  tool: MaskEditorTool;
  onToolChange: (tool: MaskEditorTool) => void;
  brushSize: number;
  onBrushSizeChange: (size: number) => void;
  hardness: number;
  onHardnessChange: (hardness: number) => void;
  canUndo: boolean;
  canRedo: boolean;
  onAction: (action: MaskAction) => void;
  zoom: number;
  onZoom: (zoom: number) => void;
}

/** The toolbar, in four groups: tools; brush size and hardness; undo/redo/clear/invert; zoom. */
export function MaskEditorToolbar(props: MaskEditorToolbarProps) {
  const { strings, ready, side, tool, brushSize, hardness, zoom } = props;
  const toolButton = (id: MaskEditorTool, label: string) => (
    <button
      type="button"
      className="parlance-button"
      data-slot={`tool-${id}`}
      aria-pressed={tool === id}
      data-state={tool === id ? 'on' : 'off'}
      onClick={() => props.onToolChange(id)}
    >
      {label}
    </button>
  );
  const action = (id: MaskAction, label: string, enabled: boolean, shortcut?: string) => (
    <button
      type="button"
      className="parlance-button"
      data-slot={id}
      disabled={!ready || !enabled}
      aria-keyshortcuts={shortcut}
      onClick={() => props.onAction(id)}
    >
      {label}
    </button>
  );

  return (
    <div
      role="toolbar"
      aria-label={strings.maskTools}
      className="parlance-mask-editor-toolbar"
      data-slot="toolbar"
    >
      <div
        className="parlance-mask-editor-group parlance-mask-editor-tools"
        role="group"
        aria-label={strings.maskTools}
      >
        {toolButton('paint', strings.paint)}
        {toolButton('erase', strings.erase)}
        {toolButton('rectangle', strings.rectangle)}
        {toolButton('pan', strings.pan)}
      </div>
      <div className="parlance-mask-editor-group" role="group" aria-label={strings.maskBrushGroup}>
        <label className="parlance-mask-editor-range" data-slot="brush-size">
          <span>{strings.brushSize}</span>
          <input
            type="range"
            min={2}
            max={Math.max(8, Math.round(side / 4))}
            value={brushSize}
            onChange={(e) => props.onBrushSizeChange(Number(e.currentTarget.value))}
          />
        </label>
        <label className="parlance-mask-editor-range" data-slot="hardness">
          <span>{strings.hardness}</span>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(hardness * 100)}
            onChange={(e) => props.onHardnessChange(Number(e.currentTarget.value) / 100)}
          />
        </label>
      </div>
      <div className="parlance-mask-editor-group" role="group" aria-label={strings.maskEditGroup}>
        {action('undo', strings.undo, props.canUndo, 'Control+Z Meta+Z')}
        {action('redo', strings.redo, props.canRedo, 'Shift+Control+Z Shift+Meta+Z')}
        {action('clear', strings.clear, true)}
        {action('invert', strings.invert, true)}
      </div>
      <div className="parlance-mask-editor-group" role="group" aria-label={strings.maskViewGroup}>
        <button
          type="button"
          className="parlance-button"
          data-slot="zoom-out"
          disabled={!ready || zoom <= MIN_ZOOM}
          onClick={() => props.onZoom(zoom / ZOOM_STEP)}
        >
          {strings.zoomOut}
        </button>
        <output className="parlance-mask-editor-zoom" data-slot="zoom-level" aria-live="polite">
          {format(strings.zoomLevel, { zoom: Math.round(zoom * 100) })}
        </output>
        <button
          type="button"
          className="parlance-button"
          data-slot="zoom-in"
          disabled={!ready || zoom >= MAX_ZOOM}
          onClick={() => props.onZoom(zoom * ZOOM_STEP)}
        >
          {strings.zoomIn}
        </button>
        <button
          type="button"
          className="parlance-button"
          data-slot="reset-view"
          disabled={!ready || zoom === 1}
          onClick={() => props.onZoom(1)}
        >
          {strings.resetView}
        </button>
      </div>
    </div>
  );
}
