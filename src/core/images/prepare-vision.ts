import { ImageTooLargeError } from './errors';
import { context2d, createCanvas, decodeImage, type ImageInput } from './prepare';

/** The image types vision models accept (OpenAI: PNG, JPEG, WebP and non-animated GIF). */
export type VisionImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

/** Options of {@link prepareVisionImage}. */
export interface PrepareVisionImageOptions {
  /**
   * The longest side, in pixels; a larger image is scaled down (never up). Default `2048`: OpenAI
   * fits every `high`-detail image into 2048×2048 before tiling it, so more pixels only cost bytes.
   */
  maxSide?: number;
  /** The largest encoded image, in bytes. Default 2 MB (2 × 1024 × 1024). */
  maxBytes?: number;
  /** The smallest longest side the size reduction may reach before giving up. Default `256`. */
  minSide?: number;
  /** The quality of lossy encodings (JPEG, WebP), 0–1. Default `0.85`. */
  quality?: number;
  /** Used for URL inputs. Default: `globalThis.fetch`. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  signal?: AbortSignal | null;
}

/** An image ready to send to a vision model. */
export interface PreparedVisionImage {
  /** The encoded image, at most `maxBytes`. */
  blob: Blob;
  /** The blob's type, one the API accepts. */
  type: VisionImageType;
  width: number;
  height: number;
  /** The input's size before preparation. */
  original: { width: number; height: number };
  /** True when the input was already small enough and of an accepted type, and is sent as it was. */
  unchanged: boolean;
}

/** The default `maxBytes` of {@link prepareVisionImage}: 2 MB. */
export const MAX_VISION_IMAGE_BYTES = 2 * 1024 * 1024;
/** The default `maxSide` of {@link prepareVisionImage}: OpenAI's high-detail bound. */
export const MAX_VISION_IMAGE_SIDE = 2048;

// GIF is accepted only when not animated, which only decoding every frame would tell: a GIF is
// always re-encoded (its first frame) rather than sent as it was.
const PASS_THROUGH = new Set<string>(['image/png', 'image/jpeg', 'image/webp']);

type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

async function encode(canvas: AnyCanvas, type: string, quality: number): Promise<Blob | null> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality }).catch(() => null);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), type, quality));
}

/**
 * Turns any {@link ImageInput} into an image a vision model accepts: its longest side at most
 * `maxSide` (2048), its bytes at most `maxBytes` (2 MB), PNG, JPEG or WebP. An accepted file that
 * already fits is kept as it is; a photo (JPEG) is re-encoded as JPEG, anything else as PNG, then
 * as WebP or JPEG (on white) when the PNG is too large, and the side shrinks until it fits. A
 * 4032×3024 phone photo of 7 MB becomes a 2048×1536 JPEG of well under 1 MB.
 *
 * Needs canvas APIs (a browser): `ImageEnvironmentError` elsewhere; an `ImageValidationError` with
 * `code` `'not-an-image'` for undecodable input and `'too-large'` when nothing fits.
 *
 * @example
 * ```ts
 * const { blob, width, height } = await prepareVisionImage(file);
 * ```
 */
export async function prepareVisionImage(
  input: ImageInput,
  options: PrepareVisionImageOptions = {},
): Promise<PreparedVisionImage> {
  const maxSide = Math.max(1, Math.round(options.maxSide ?? MAX_VISION_IMAGE_SIDE));
  const maxBytes = options.maxBytes ?? MAX_VISION_IMAGE_BYTES;
  const quality = options.quality ?? 0.85;
  const decoded = await decodeImage(input, options);
  try {
    const original = { width: decoded.width, height: decoded.height };
    const longest = Math.max(decoded.width, decoded.height);
    if (
      input instanceof Blob &&
      PASS_THROUGH.has(input.type) &&
      input.size <= maxBytes &&
      longest <= maxSide
    ) {
      return {
        blob: input,
        type: input.type as VisionImageType,
        width: decoded.width,
        height: decoded.height,
        original,
        unchanged: true,
      };
    }
    const photo = input instanceof Blob && input.type === 'image/jpeg';
    const minSide = Math.min(options.minSide ?? 256, longest);
    let side = Math.min(longest, maxSide);
    let smallest = Infinity;
    for (;;) {
      options.signal?.throwIfAborted();
      const scale = side / longest;
      const width = Math.max(1, Math.round(decoded.width * scale));
      const height = Math.max(1, Math.round(decoded.height * scale));
      for (const type of photo ? ['image/jpeg'] : ['image/png', 'image/webp', 'image/jpeg']) {
        const canvas = createCanvas(width, height);
        const context = context2d(canvas);
        context.imageSmoothingQuality = 'high';
        // JPEG has no alpha: transparent pixels would turn black, so they go on white.
        if (type === 'image/jpeg') {
          context.fillStyle = '#fff';
          context.fillRect(0, 0, width, height);
        }
        context.drawImage(decoded.source, 0, 0, decoded.width, decoded.height, 0, 0, width, height);
        const blob = await encode(canvas, type, quality);
        // A browser that cannot encode a type (Safari and WebP) hands back a PNG instead.
        if (!blob || blob.type !== type) continue;
        if (blob.size <= maxBytes) {
          return { blob, type: type as VisionImageType, width, height, original, unchanged: false };
        }
        smallest = Math.min(smallest, blob.size);
      }
      if (side <= minSide) throw new ImageTooLargeError(smallest, maxBytes);
      side = Math.max(minSide, Math.floor(side * 0.75));
    }
  } finally {
    if (decoded.source !== input) decoded.release();
  }
}
