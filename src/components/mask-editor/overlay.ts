import type { MaskDirtyRect } from '../../core';

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The colour used when the overlay colour cannot be parsed. */
export const DEFAULT_OVERLAY_COLOUR = '#e11d48';

/** Coverage byte → overlay pixel (one 32-bit RGBA word in memory order) for one colour. */
export type OverlayPalette = Int32Array;

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const palettes = new Map<string, OverlayPalette>();
let probe: Context2D | null = null;

function probeContext(): Context2D | null {
  if (probe) return probe;
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(1, 1)
      : Object.assign(document.createElement('canvas'), { width: 1, height: 1 });
  probe = canvas.getContext('2d', { willReadFrequently: true }) as Context2D | null;
  return probe;
}

/**
 * The overlay's pixels for a CSS colour: coverage scales the colour's own alpha, as a
 * `source-in` fill over the coverage would. Parsed once per colour through a 1×1 canvas, so
 * any colour the canvas understands works; an unparsable one falls back to the default.
 */
export function overlayPalette(colour: string): OverlayPalette {
  const cached = palettes.get(colour);
  if (cached) return cached;
  let rgba: [number, number, number, number] = [0xe1, 0x1d, 0x48, 255];
  const context = probeContext();
  if (context) {
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = DEFAULT_OVERLAY_COLOUR;
    context.fillStyle = colour; // ignored when invalid, leaving the default
    context.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
    rgba = [r!, g!, b!, a!];
  }
  const [r, g, b, a] = rgba;
  const palette = new Int32Array(256);
  for (let coverage = 0; coverage < 256; coverage++) {
    const alpha = Math.round((coverage * a) / 255);
    palette[coverage] = littleEndian
      ? (alpha << 24) | (b << 16) | (g << 8) | r
      : (r << 24) | (g << 16) | (b << 8) | alpha;
  }
  palettes.set(colour, palette);
  return palette;
}

/**
 * Repaints one rectangle of the overlay from the mask's coverage with a single `putImageData`:
 * the work follows the rectangle's area, and no pixel outside it is read or written. (Compositing
 * the colour in with `source-in` would not do: that mode is unbounded, so it clears the whole
 * canvas outside the filled rectangle and costs a full-canvas pass on every call.)
 */
export function paintOverlay(
  context: Context2D,
  coverage: Uint8ClampedArray,
  maskWidth: number,
  rect: MaskDirtyRect,
  palette: OverlayPalette,
): void {
  const { x: left, y: top, width, height } = rect;
  if (width <= 0 || height <= 0) return;
  const pixels = new ImageData(width, height);
  const words = new Int32Array(pixels.data.buffer);
  for (let y = 0; y < height; y++) {
    const src = (top + y) * maskWidth + left;
    const dst = y * width;
    for (let x = 0; x < width; x++) words[dst + x] = palette[coverage[src + x]!]!;
  }
  context.putImageData(pixels, left, top);
}

/**
 * Adds a dirty rectangle to a frame's list, merging it into the last one when their bounding
 * box is no larger than the two apart (so a stroke's overlapping dabs become one repaint, while
 * far-apart rectangles are not merged into a large box that was never touched).
 */
export function addDirtyRect(rects: MaskDirtyRect[], rect: MaskDirtyRect): void {
  const last = rects.at(-1);
  if (last) {
    const x = Math.min(last.x, rect.x);
    const y = Math.min(last.y, rect.y);
    const width = Math.max(last.x + last.width, rect.x + rect.width) - x;
    const height = Math.max(last.y + last.height, rect.y + rect.height) - y;
    if (width * height <= last.width * last.height + rect.width * rect.height) {
      rects[rects.length - 1] = { x, y, width, height };
      return;
    }
  }
  rects.push(rect);
}
