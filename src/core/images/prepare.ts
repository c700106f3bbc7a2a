import {
  ImageEnvironmentError,
  ImageTooLargeError,
  MaskSizeMismatchError,
  NotAnImageError,
  NotSquareError,
} from './errors';

/**
 * Anything Parlance accepts as an image: a `File` or `Blob`, an `ImageBitmap`, pixel data
 * (`ImageData`), a canvas, an `<img>` that has loaded, or a URL (`string` or `URL`) to fetch.
 */
export type ImageInput =
  | Blob
  | ImageBitmap
  | globalThis.ImageData
  | HTMLCanvasElement
  | OffscreenCanvas
  | HTMLImageElement
  | string
  | URL;

/** How a non-square image becomes square. */
export type ImageFit =
  /** Keep the centre square, cutting the longer side. */
  | 'crop'
  /** Keep everything, adding `background` bands on the shorter side. */
  | 'pad'
  /** Refuse non-square input (an `ImageValidationError` with `code` `'not-square'`). */
  | 'none';

/** Options of {@link prepareImage} and {@link prepareImageAndMask}. */
export interface PrepareImageOptions {
  /** Default `'crop'`. */
  fit?: ImageFit;
  /** The padding colour for `fit: 'pad'`, any CSS colour. Default: transparent. */
  background?: string;
  /** The side of the square output; the input is scaled to it. Default: the input's square side, at most `maxSide`. */
  side?: number;
  /** The largest side when `side` is not given (the input is never upscaled). Default `1024`. */
  maxSide?: number;
  /** The largest PNG, in bytes. Default 4 MB (4 × 1024 × 1024), the API's limit. */
  maxBytes?: number;
  /** The smallest side the size reduction may reach before giving up. Default `256`. */
  minSide?: number;
  /** Used for URL inputs. Default: `globalThis.fetch`. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  signal?: AbortSignal | null;
}

/** A square PNG ready for the images API. */
export interface PreparedImage {
  /** `image/png`, at most `maxBytes`. */
  blob: Blob;
  /** Always equal to `height`. */
  width: number;
  height: number;
  /** The input's size before preparation. */
  original: { width: number; height: number };
  /**
   * Set when the PNG was over `maxBytes` at the requested side and the side was reduced:
   * show the user that the image was scaled down.
   */
  reduced: { fromSide: number; toSide: number; bytesBefore: number } | null;
}

/** The default `maxBytes`: the images API's limit of 4 MB. */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;
type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

interface Decoded {
  source: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

/** Whether this environment can prepare images (a browser, or a worker with OffscreenCanvas). */
export function canPrepareImages(): boolean {
  return (
    (typeof OffscreenCanvas !== 'undefined' || typeof document !== 'undefined') &&
    typeof createImageBitmap === 'function'
  );
}

function assertEnvironment(): void {
  if (!canPrepareImages()) throw new ImageEnvironmentError();
}

/** @internal A canvas of the given size: an OffscreenCanvas when available, else a DOM canvas. */
export function createCanvas(width: number, height: number): AnyCanvas {
  assertEnvironment();
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** @internal */
export function context2d(canvas: AnyCanvas, willReadFrequently = false): Context2D {
  const context = canvas.getContext('2d', { willReadFrequently }) as Context2D | null;
  if (!context) throw new ImageEnvironmentError('This environment has no 2D canvas context');
  return context;
}

/** @internal Encodes a canvas as PNG. */
export async function encodePng(canvas: AnyCanvas): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/png' });
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) =>
        blob ? resolve(blob) : reject(new ImageEnvironmentError('The canvas could not encode a PNG')),
      'image/png',
    ),
  );
}

const isInstance = <T>(name: string, value: unknown): value is T => {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' && value instanceof (ctor as new () => T);
};

async function decodeBlob(blob: Blob): Promise<Decoded> {
  if (blob.type && !blob.type.startsWith('image/')) {
    throw new NotAnImageError(`The file is ${blob.type}, not an image`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (cause) {
    throw new NotAnImageError('The file could not be decoded as an image', { cause });
  }
  return { source: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
}

/** @internal Decodes any {@link ImageInput} into something drawable. */
export async function decodeImage(input: ImageInput, options: PrepareImageOptions = {}): Promise<Decoded> {
  assertEnvironment();
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: options.signal ?? null });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      throw new NotAnImageError(`The image at ${url} could not be fetched`, { cause });
    }
    if (!response.ok) throw new NotAnImageError(`The image at ${url} answered HTTP ${response.status}`);
    return decodeBlob(await response.blob());
  }
  if (input instanceof Blob) return decodeBlob(input);
  const none = () => {};
  if (isInstance<ImageBitmap>('ImageBitmap', input)) {
    return { source: input, width: input.width, height: input.height, release: none };
  }
  if (isInstance<globalThis.ImageData>('ImageData', input)) {
    const canvas = createCanvas(input.width, input.height);
    context2d(canvas).putImageData(input, 0, 0);
    return { source: canvas, width: input.width, height: input.height, release: none };
  }
  if (isInstance<HTMLImageElement>('HTMLImageElement', input)) {
    if (!input.complete || input.naturalWidth === 0) {
      throw new NotAnImageError('The <img> has not loaded an image');
    }
    return { source: input, width: input.naturalWidth, height: input.naturalHeight, release: none };
  }
  if (isInstance<AnyCanvas>('HTMLCanvasElement', input) || isInstance<AnyCanvas>('OffscreenCanvas', input)) {
    const canvas = input as AnyCanvas;
    if (canvas.width === 0 || canvas.height === 0)
      throw new NotAnImageError('The canvas is empty (0 pixels)');
    return { source: canvas, width: canvas.width, height: canvas.height, release: none };
  }
  throw new NotAnImageError(
    'Unsupported input: pass a File, Blob, ImageBitmap, ImageData, canvas, <img> or URL',
  );
}

/** The source rectangle and destination placement that make `width`×`height` square. */
function squareLayout(width: number, height: number, fit: ImageFit, side: number) {
  if (fit === 'none' && width !== height) throw new NotSquareError(width, height);
  if (fit === 'pad') {
    const scale = side / Math.max(width, height);
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    return {
      sx: 0,
      sy: 0,
      sw: width,
      sh: height,
      dx: Math.floor((side - w) / 2),
      dy: Math.floor((side - h) / 2),
      dw: w,
      dh: h,
    };
  }
  const s = Math.min(width, height);
  return {
    sx: Math.floor((width - s) / 2),
    sy: Math.floor((height - s) / 2),
    sw: s,
    sh: s,
    dx: 0,
    dy: 0,
    dw: side,
    dh: side,
  };
}

function naturalSide(width: number, height: number, options: PrepareImageOptions): number {
  if (options.side !== undefined) return Math.max(1, Math.round(options.side));
  const square = options.fit === 'pad' ? Math.max(width, height) : Math.min(width, height);
  return Math.min(square, options.maxSide ?? 1024);
}

function draw(
  decoded: Decoded,
  side: number,
  options: PrepareImageOptions,
  kind: 'image' | 'mask',
): AnyCanvas {
  const fit = options.fit ?? 'crop';
  const layout = squareLayout(decoded.width, decoded.height, fit, side);
  const canvas = createCanvas(side, side);
  const context = context2d(canvas);
  if (kind === 'mask') {
    // A mask stays binary: no smoothing invents half-transparent edges, and padding is opaque
    // (never edited), so the padded bands of the image stay as they are.
    context.imageSmoothingEnabled = false;
    if (fit === 'pad') {
      context.fillStyle = '#000';
      context.fillRect(0, 0, side, side);
      context.clearRect(layout.dx, layout.dy, layout.dw, layout.dh);
    }
  } else {
    context.imageSmoothingQuality = 'high';
    if (fit === 'pad' && options.background) {
      context.fillStyle = options.background;
      context.fillRect(0, 0, side, side);
    }
  }
  context.drawImage(
    decoded.source,
    layout.sx,
    layout.sy,
    layout.sw,
    layout.sh,
    layout.dx,
    layout.dy,
    layout.dw,
    layout.dh,
  );
  return canvas;
}

async function encodeUnderLimit(
  decoded: Decoded,
  options: PrepareImageOptions,
  kind: 'image' | 'mask',
  fixedSide?: number,
): Promise<PreparedImage> {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  const minSide = Math.min(options.minSide ?? 256, naturalSide(decoded.width, decoded.height, options));
  const requested = fixedSide ?? naturalSide(decoded.width, decoded.height, options);
  let side = requested;
  let bytesBefore = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const blob = await encodePng(draw(decoded, side, options, kind));
    if (side === requested) bytesBefore = blob.size;
    if (blob.size <= maxBytes) {
      return {
        blob,
        width: side,
        height: side,
        original: { width: decoded.width, height: decoded.height },
        reduced: side === requested ? null : { fromSide: requested, toSide: side, bytesBefore },
      };
    }
    if (fixedSide !== undefined || side <= minSide) throw new ImageTooLargeError(blob.size, maxBytes);
    // PNG size grows with the pixel count, so shrink the side by the square root of the overshoot.
    side = Math.max(minSide, Math.floor(side * Math.min(0.9, Math.sqrt(maxBytes / blob.size) * 0.95)));
  }
}

/**
 * Turns any {@link ImageInput} into a square PNG under 4 MB for `/images/edits` and
 * `/images/variations`: crops or pads to square, scales to `side` (default: the input's side, at
 * most 1024), encodes PNG, and shrinks the side if the PNG is too large (reported in `reduced`).
 * Needs canvas APIs: throws `ImageEnvironmentError` in Node, and an `ImageValidationError` with
 * `code` `'not-an-image'` for undecodable input, `'not-square'` with `fit: 'none'`, `'too-large'`
 * when nothing fits.
 *
 * @example
 * ```ts
 * const { blob, reduced } = await prepareImage(file, { fit: 'pad', background: '#fff' });
 * if (reduced) notify(`Scaled down to ${reduced.toSide}px to stay under 4 MB`);
 * ```
 */
export async function prepareImage(
  input: ImageInput,
  options: PrepareImageOptions = {},
): Promise<PreparedImage> {
  const decoded = await decodeImage(input, options);
  try {
    return await encodeUnderLimit(decoded, options, 'image');
  } finally {
    if (decoded.source !== input) decoded.release();
  }
}

/**
 * Prepares an image and its mask together: both go through the same crop or pad and the same
 * scale, so every mask pixel stays over the image pixel it marked. The mask keeps hard edges
 * (no smoothing) and its padding is opaque. The inputs must have the same size
 * (an `ImageValidationError` with `code` `'mask-size-mismatch'` otherwise).
 */
export async function prepareImageAndMask(
  image: ImageInput,
  mask: ImageInput,
  options: PrepareImageOptions = {},
): Promise<{ image: PreparedImage; mask: PreparedImage }> {
  const [decodedImage, decodedMask] = await Promise.all([
    decodeImage(image, options),
    decodeImage(mask, options),
  ]);
  try {
    if (decodedImage.width !== decodedMask.width || decodedImage.height !== decodedMask.height) {
      throw new MaskSizeMismatchError(
        { width: decodedImage.width, height: decodedImage.height },
        { width: decodedMask.width, height: decodedMask.height },
      );
    }
    const preparedImage = await encodeUnderLimit(decodedImage, options, 'image');
    const preparedMask = await encodeUnderLimit(decodedMask, options, 'mask', preparedImage.width);
    return { image: preparedImage, mask: preparedMask };
  } finally {
    if (decodedImage.source !== image) decodedImage.release();
    if (decodedMask.source !== mask) decodedMask.release();
  }
}
