import { ImageEnvironmentError } from './errors';
import { MASK_THRESHOLD } from './mask-model';
import { encodeMaskPngBytes } from './mask-png';
import { canPrepareImages, context2d, createCanvas, encodePng } from './prepare';

/** Coverage bytes of a mask: what {@link MaskModel} holds. */
export interface MaskCoverage {
  width: number;
  height: number;
  coverage: Uint8ClampedArray;
}

/**
 * The mask as pixels the images API reads: alpha 0 (edit here) where coverage reaches half,
 * opaque black (keep) elsewhere. Works on 32-bit words, one write per pixel.
 */
export function maskToImageData({ width, height, coverage }: MaskCoverage): globalThis.ImageData {
  if (typeof ImageData === 'undefined') throw new ImageEnvironmentError();
  const pixels = new Uint8ClampedArray(width * height * 4);
  const words = new Uint32Array(pixels.buffer);
  // Canvas pixel buffers are RGBA in memory; on little-endian hosts alpha is the high byte.
  const opaque = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0xff000000 : 0x000000ff;
  for (let i = 0; i < words.length; i++) words[i] = coverage[i]! >= MASK_THRESHOLD ? 0 : opaque;
  return new ImageData(pixels, width, height);
}

/**
 * Encodes a mask as the PNG `/images/edits` expects: the image's size, alpha 0 exactly where
 * painted and 255 elsewhere (RGBA, black). Needs canvas APIs (`ImageEnvironmentError` in Node).
 *
 * @example
 * ```ts
 * const maskBlob = await encodeMask(model); // a MaskModel
 * ```
 */
export async function encodeMask(mask: MaskCoverage): Promise<Blob> {
  // The direct encoder needs no canvas, but the fallback for fragmented masks does: one
  // contract for every mask.
  if (!canPrepareImages()) throw new ImageEnvironmentError();
  const bytes = encodeMaskPngBytes(mask.width, mask.height, mask.coverage);
  if (bytes) return new Blob([bytes], { type: 'image/png' });
  const canvas = createCanvas(mask.width, mask.height);
  context2d(canvas).putImageData(maskToImageData(mask), 0, 0);
  return encodePng(canvas);
}
