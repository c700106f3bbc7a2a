import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { MaskModel } from 'parlance/core';

// Not a multiple of the history tile, so edge tiles are partial.
const W = 150;
const H = 130;
const LIMIT = 4;

/**
 * The history MaskModel must behave like: a full copy of the pixels at every `begin` (and at
 * every undo and redo), whatever was changed in between. Its pixel work is a MaskModel with no
 * history of its own.
 */
class SnapshotReference {
  pixels = new MaskModel(W, H);
  undoStack: Uint8ClampedArray[] = [];
  redoStack: Uint8ClampedArray[] = [];

  begin() {
    this.undoStack.push(this.pixels.coverage.slice());
    if (this.undoStack.length > LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }

  undo() {
    const previous = this.undoStack.pop();
    if (!previous) return false;
    this.redoStack.push(this.pixels.coverage.slice());
    this.pixels.load(previous);
    return true;
  }

  redo() {
    const next = this.redoStack.pop();
    if (!next) return false;
    this.undoStack.push(this.pixels.coverage.slice());
    this.pixels.load(next);
    return true;
  }
}

/** Index of the first differing byte, or -1 (a deep equality on typed arrays is too slow here). */
function firstDifference(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const coord = (max: number) => fc.double({ min: -20, max: max + 20, noNaN: true });
const mode = fc.constantFrom<'paint' | 'erase'>('paint', 'erase');
const op = fc.oneof(
  { arbitrary: fc.constant({ kind: 'begin' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('stamp' as const),
      x: coord(W),
      y: coord(H),
      r: fc.double({ min: 0, max: 40, noNaN: true }),
      hardness: fc.double({ min: 0, max: 1, noNaN: true }),
      mode,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('line' as const),
      x0: coord(W),
      y0: coord(H),
      x1: coord(W),
      y1: coord(H),
      r: fc.double({ min: 1, max: 30, noNaN: true }),
      mode,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('rect' as const),
      x0: coord(W),
      y0: coord(H),
      x1: coord(W),
      y1: coord(H),
      mode,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('load' as const), row: fc.integer({ min: 0, max: H - 1 }) }),
    weight: 1,
  },
  { arbitrary: fc.constantFrom({ kind: 'invert' as const }, { kind: 'clear' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'undo' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'redo' as const }), weight: 3 },
);

describe('MaskModel history', () => {
  test('undo and redo restore exactly what full copies would, for any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 40, size: 'max' }), (ops) => {
        const model = new MaskModel(W, H, { historyLimit: LIMIT });
        const reference = new SnapshotReference();
        for (const step of ops) {
          switch (step.kind) {
            case 'begin':
              model.begin();
              reference.begin();
              break;
            case 'stamp':
              expect(model.stamp(step.x, step.y, step.r, step.hardness, step.mode)).toEqual(
                reference.pixels.stamp(step.x, step.y, step.r, step.hardness, step.mode),
              );
              break;
            case 'line':
              model.line(step.x0, step.y0, step.x1, step.y1, step.r, 1, step.mode);
              reference.pixels.line(step.x0, step.y0, step.x1, step.y1, step.r, 1, step.mode);
              break;
            case 'rect':
              model.fillRect(step.x0, step.y0, step.x1, step.y1, step.mode);
              reference.pixels.fillRect(step.x0, step.y0, step.x1, step.y1, step.mode);
              break;
            case 'load': {
              // A controlled value from outside: replaces the pixels without a history step.
              const value = new Uint8ClampedArray(W * H);
              value.fill(200, step.row * W, (step.row + 1) * W);
              model.load(value);
              reference.pixels.load(value);
              break;
            }
            case 'invert':
              model.invert();
              reference.begin();
              reference.pixels.load(reference.pixels.coverage.map((v) => 255 - v));
              break;
            case 'clear':
              model.clear();
              reference.begin();
              reference.pixels.load(new Uint8ClampedArray(W * H));
              break;
            case 'undo':
              expect(model.undo()).toBe(reference.undo());
              break;
            case 'redo':
              expect(model.redo()).toBe(reference.redo());
              break;
          }
          expect(firstDifference(model.coverage, reference.pixels.coverage)).toBe(-1);
          expect([model.canUndo, model.canRedo]).toEqual([
            reference.undoStack.length > 0,
            reference.redoStack.length > 0,
          ]);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('a small stroke on a large mask undoes and redoes exactly', () => {
    const model = new MaskModel(1024, 1024);
    model.begin();
    model.fillRect(0, 0, 1024, 1024, 'paint');
    model.begin();
    model.line(500, 500, 530, 510, 10, 1, 'erase');
    expect(model.isPainted(515, 505)).toBe(false);
    expect(model.undo()).toBe(true);
    expect(model.coverage.every((v) => v === 255)).toBe(true);
    expect(model.redo()).toBe(true);
    expect(model.isPainted(515, 505)).toBe(false);
    expect(model.isPainted(489, 505)).toBe(true);
  });
});
