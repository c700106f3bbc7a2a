import type { KeyboardEvent as ReactKeyboardEvent, RefObject } from 'react';

import type { MaskModel } from '../../core';

/** A whole-mask action of the toolbar. */
export type MaskAction = 'undo' | 'redo' | 'clear' | 'invert';

/**
 * Undo and the other whole-mask actions: `run` applies one to the model, repaints and commits;
 * `onKeyDown` maps Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z and Ctrl/Cmd+Y anywhere inside the editor.
 */
export function useMaskUndo(
  modelRef: RefObject<MaskModel | null>,
  drawOverlay: () => void,
  commit: () => void,
) {
  const run = (action: MaskAction) => {
    const model = modelRef.current;
    if (!model) return;
    if (action === 'undo' && !model.undo()) return;
    if (action === 'redo' && !model.redo()) return;
    if (action === 'clear') model.clear();
    if (action === 'invert') model.invert();
    drawOverlay();
    commit();
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLElement>) => {
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

  return { run, onKeyDown };
}
