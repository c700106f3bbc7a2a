/** Whether a brush adds to the mask or removes from it. */
export type MaskPaintMode = 'paint' | 'erase';

/** A rectangle of changed pixels, in mask pixels (right and bottom exclusive). */
export interface MaskDirtyRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A pixel counts as painted (transparent in the exported mask) from this coverage up: half. */
export const MASK_THRESHOLD = 128;

/** Undo history is kept per square tile of this many pixels a side. */
const TILE = 64;

/** One step of history: the tiles an operation changed (by index), with the bytes to put back. */
type Patch = Map<number, Uint8ClampedArray>;

/** Options of {@link MaskModel}. */
export interface MaskModelOptions {
  /** Initial coverage, `width × height` bytes (0 untouched … 255 fully painted). Copied. */
  coverage?: Uint8ClampedArray;
  /** Undo steps kept. Default `50`. */
  historyLimit?: number;
}

function union(a: MaskDirtyRect | null, b: MaskDirtyRect | null): MaskDirtyRect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/**
 * The painted area of a mask, independent of any canvas: one coverage byte per pixel, brush
 * stamps with hardness, lines, rectangles, invert, clear, and undo/redo by operation. The mask
 * editor renders it; {@link encodeMask} exports it. Runs anywhere, Node included.
 *
 * @example
 * ```ts
 * const mask = new MaskModel(1024, 1024);
 * mask.begin();
 * mask.line(100, 100, 300, 100, 20, 1, 'paint');
 * mask.isPainted(200, 100); // true
 * mask.undo();
 * ```
 */
export class MaskModel {
  readonly width: number;
  readonly height: number;
  #coverage: Uint8ClampedArray;
  // History as tile patches: each step keeps only the tiles it changed, so a stroke costs memory
  // and time in proportion to the area it touched, not to the image.
  #undo: Patch[] = [];
  #redo: Patch[] = [];
  #historyLimit: number;
  #version = 0;
  #tilesX: number;

  constructor(width: number, height: number, options: MaskModelOptions = {}) {
    this.width = width;
    this.height = height;
    this.#tilesX = Math.ceil(width / TILE);
    this.#historyLimit = options.historyLimit ?? 50;
    this.#coverage = new Uint8ClampedArray(width * height);
    if (options.coverage) this.#coverage.set(options.coverage.subarray(0, width * height));
  }

  /** Coverage bytes, row by row (read-only by convention: change it through the methods). */
  get coverage(): Uint8ClampedArray {
    return this.#coverage;
  }

  /** Increases on every change; cheap to compare for re-rendering. */
  get version(): number {
    return this.#version;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Whether the exported mask is transparent (edited) at this pixel. */
  isPainted(x: number, y: number): boolean {
    return (this.#coverage[Math.floor(y) * this.width + Math.floor(x)] ?? 0) >= MASK_THRESHOLD;
  }

  /** Whether any pixel is painted. */
  isEmpty(): boolean {
    return !this.#coverage.some((value) => value >= MASK_THRESHOLD);
  }

  /** Starts an undoable operation (a stroke, a rectangle…): call before changing pixels. */
  begin(): void {
    this.#undo.push(new Map());
    if (this.#undo.length > this.#historyLimit) this.#undo.shift();
    this.#redo = [];
  }

  #readTile(index: number): Uint8ClampedArray {
    const x0 = (index % this.#tilesX) * TILE;
    const y0 = Math.floor(index / this.#tilesX) * TILE;
    const w = Math.min(TILE, this.width - x0);
    const h = Math.min(TILE, this.height - y0);
    const bytes = new Uint8ClampedArray(w * h);
    for (let y = 0; y < h; y++) {
      const row = (y0 + y) * this.width + x0;
      bytes.set(this.#coverage.subarray(row, row + w), y * w);
    }
    return bytes;
  }

  #writeTile(index: number, bytes: Uint8ClampedArray): void {
    const x0 = (index % this.#tilesX) * TILE;
    const y0 = Math.floor(index / this.#tilesX) * TILE;
    const w = Math.min(TILE, this.width - x0);
    const h = bytes.length / w;
    for (let y = 0; y < h; y++)
      this.#coverage.set(bytes.subarray(y * w, y * w + w), (y0 + y) * this.width + x0);
  }

  /**
   * Called before pixels in [x0, x1) × [y0, y1) change: the newest undo step and the newest redo
   * step keep the tiles' current bytes the first time they see them. That is exactly what full
   * copies taken at `begin` (and at `undo`) would hold for those tiles; every other tile is the
   * same in both states, so undo and redo restore the very same pixels.
   */
  #record(x0: number, y0: number, x1: number, y1: number): void {
    const undo = this.#undo.at(-1);
    const redo = this.#redo.at(-1);
    if (!undo && !redo) return;
    const tx1 = Math.ceil(x1 / TILE);
    const ty1 = Math.ceil(y1 / TILE);
    for (let ty = Math.floor(y0 / TILE); ty < ty1; ty++) {
      for (let tx = Math.floor(x0 / TILE); tx < tx1; tx++) {
        const index = ty * this.#tilesX + tx;
        if (undo && !undo.has(index)) undo.set(index, this.#readTile(index));
        if (redo && !redo.has(index)) redo.set(index, this.#readTile(index));
      }
    }
  }

  /** Puts a step's tiles back and returns the step that reverses it. */
  #apply(patch: Patch): Patch {
    const reverse: Patch = new Map();
    for (const [index, bytes] of patch) {
      reverse.set(index, this.#readTile(index));
      this.#writeTile(index, bytes);
    }
    return reverse;
  }

  /** Stamps one round brush dab centred at (x, y), in mask pixels. */
  stamp(x: number, y: number, radius: number, hardness: number, mode: MaskPaintMode): MaskDirtyRect | null {
    const r = Math.max(0.5, radius);
    const inner = r * Math.min(1, Math.max(0, hardness));
    const x0 = Math.max(0, Math.floor(x - r));
    const y0 = Math.max(0, Math.floor(y - r));
    const x1 = Math.min(this.width, Math.ceil(x + r));
    const y1 = Math.min(this.height, Math.ceil(y + r));
    if (x0 >= x1 || y0 >= y1) return null;
    this.#record(x0, y0, x1, y1);
    const coverage = this.#coverage;
    const r2 = r * r;
    const inner2 = inner * inner;
    const falloff = 255 / Math.max(1e-6, r - inner);
    for (let py = y0; py < y1; py++) {
      const dy = py + 0.5 - y;
      const row = py * this.width;
      for (let px = x0; px < x1; px++) {
        const dx = px + 0.5 - x;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        const value = d2 <= inner2 ? 255 : (r - Math.sqrt(d2)) * falloff;
        const i = row + px;
        if (mode === 'paint') {
          if (value > coverage[i]!) coverage[i] = value;
        } else if (255 - value < coverage[i]!) {
          coverage[i] = 255 - value;
        }
      }
    }
    this.#version++;
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }

  /** Stamps dabs along a segment, close enough together to leave no gaps. */
  line(
    fromX: number,
    fromY: number,
    toX: number,
    toY: number,
    radius: number,
    hardness: number,
    mode: MaskPaintMode,
  ): MaskDirtyRect | null {
    const length = Math.hypot(toX - fromX, toY - fromY);
    const steps = Math.max(1, Math.ceil(length / Math.max(0.5, radius * 0.25)));
    let dirty: MaskDirtyRect | null = null;
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      dirty = union(
        dirty,
        this.stamp(fromX + (toX - fromX) * t, fromY + (toY - fromY) * t, radius, hardness, mode),
      );
    }
    return dirty;
  }

  /** Fills (or erases) the rectangle between two corners, any order, clipped to the mask. */
  fillRect(x0: number, y0: number, x1: number, y1: number, mode: MaskPaintMode): MaskDirtyRect | null {
    const left = Math.max(0, Math.round(Math.min(x0, x1)));
    const top = Math.max(0, Math.round(Math.min(y0, y1)));
    const right = Math.min(this.width, Math.round(Math.max(x0, x1)));
    const bottom = Math.min(this.height, Math.round(Math.max(y0, y1)));
    if (left >= right || top >= bottom) return null;
    this.#record(left, top, right, bottom);
    const value = mode === 'paint' ? 255 : 0;
    for (let y = top; y < bottom; y++)
      this.#coverage.fill(value, y * this.width + left, y * this.width + right);
    this.#version++;
    return { x: left, y: top, width: right - left, height: bottom - top };
  }

  /** Swaps painted and unpainted (an undoable operation of its own). */
  invert(): void {
    this.begin();
    this.#record(0, 0, this.width, this.height);
    const coverage = this.#coverage;
    for (let i = 0; i < coverage.length; i++) coverage[i] = 255 - coverage[i]!;
    this.#version++;
  }

  /** Unpaints everything (an undoable operation of its own). */
  clear(): void {
    this.begin();
    this.#record(0, 0, this.width, this.height);
    this.#coverage.fill(0);
    this.#version++;
  }

  /** Replaces the coverage without touching history (for a controlled value). */
  load(coverage: Uint8ClampedArray): void {
    this.#record(0, 0, this.width, this.height);
    this.#coverage.set(coverage.subarray(0, this.#coverage.length));
    this.#version++;
  }

  /** Restores the state before the last operation; false when there is none. */
  undo(): boolean {
    const previous = this.#undo.pop();
    if (!previous) return false;
    this.#redo.push(this.#apply(previous));
    this.#version++;
    return true;
  }

  /** Re-applies the last undone operation; false when there is none. */
  redo(): boolean {
    const next = this.#redo.pop();
    if (!next) return false;
    this.#undo.push(this.#apply(next));
    this.#version++;
    return true;
  }
}
