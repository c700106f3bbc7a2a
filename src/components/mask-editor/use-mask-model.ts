import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

import { encodeMask, MaskModel } from '../../core';
import { useLatest } from '../../hooks/internal/use-latest';
import type { PreparedMaskImage } from './use-prepared-image';

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

/** Undo steps kept per image. */
const HISTORY_LIMIT = 30;

/**
 * The mask model's life: one {@link MaskModel} per prepared image (keeping a value of the same
 * size), drawn on the image canvas; a controlled `value` from outside loaded into it; and
 * `commit`, which publishes a finished change as a new value, the undo/redo availability and
 * (encoded, latest only) an `onChange`.
 */
export function useMaskModel(options: {
  prepared: PreparedMaskImage | null;
  value: MaskEditorValue | null;
  setValue: (value: MaskEditorValue | null) => void;
  onChange: ((change: MaskEditorChange) => void) | undefined;
  imageCanvasRef: RefObject<HTMLCanvasElement | null>;
  overlayRef: RefObject<HTMLCanvasElement | null>;
  drawOverlay: () => void;
  modelRef: RefObject<MaskModel | null>;
}) {
  const { prepared, value, imageCanvasRef, overlayRef, drawOverlay, modelRef } = options;
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const emittedRef = useRef<MaskEditorValue | null>(null);
  const exportSeq = useRef(0);
  const latest = useLatest({ onChange: options.onChange, setValue: options.setValue });

  const emit = useCallback(() => {
    const model = modelRef.current;
    if (!model || !prepared) return;
    const seq = ++exportSeq.current;
    const { width, height } = model;
    void encodeMask(model).then((mask) => {
      if (seq !== exportSeq.current) return;
      latest.current.onChange?.({ mask, image: prepared.blob, width, height, isEmpty: model.isEmpty() });
    });
  }, [modelRef, prepared, latest]);

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
  }, [modelRef, emit, latest]);

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
  }, [modelRef, value, drawOverlay, emit]);

  return { history, commit };
}
