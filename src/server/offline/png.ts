import { convertIndexedToRgb, decode, encode, hasPngSignature } from 'fast-png';
import { Unzlib } from 'fflate';

import { concatBytes } from '../protocol/bytes';
import { invalidRequest } from '../protocol/errors';
import { checkImageDimensions, type PngHeader } from '../protocol/validate';

/**
 * The largest side of an image offline mode decodes: 2048 pixels (its outputs are at most
 * 1536 pixels on a side). Decoding one takes 16 MB of RGBA and an edit about 100 MB more.
 */
export const OFFLINE_MAX_INPUT_EDGE = 2048;

/** An 8-bit RGBA bitmap, row-major. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A new opaque-black bitmap. */
export function createRgba(width: number, height: number): Rgba {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The exact size of a PNG's inflated image data: each row's bytes plus its filter byte. */
function inflatedSize({ width, height, bitDepth, colorType, interlace }: PngHeader): number {
  const bits = (CHANNELS[colorType] ?? 4) * bitDepth;
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bits) / 8)) : 0);
  if (interlace !== 1) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  }
  return total;
}

// Only what the pixels need: the ancillary chunks that fast-png would inflate (iCCP, zTXt, iTXt)
// are dropped, so no compressed stream but the image data is ever inflated.
const KEPT_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
const SLICE = 16 * 1024;

/**
 * The PNG reduced to the chunks the pixels need, once its image data is known to inflate to no
 * more than its header declares: a deflate bomb (a small file whose data inflates to gigabytes)
 * is refused after at most one slice past the size, before anything holds it.
 */
function boundedPng(bytes: Uint8Array, header: PngHeader, param: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limit = inflatedSize(header);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let inflated = 0;
  let ended = false;
  const inflater = new Unzlib((chunk) => {
    inflated += chunk.length;
  });
  const broken = () =>
    invalidRequest(`Invalid input image - the '${param}' PNG could not be decoded.`, param, 'invalid_image');
  let at = 8;
  try {
    while (at + 12 <= bytes.length && !ended) {
      const length = view.getUint32(at);
      const end = at + 12 + length;
      if (end > bytes.length) throw broken();
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      if (KEPT_CHUNKS.has(type)) kept.push(bytes.subarray(at, end));
      if (type === 'IDAT') {
        for (let i = at + 8; i < at + 8 + length && inflated <= limit; i += SLICE) {
          inflater.push(bytes.subarray(i, Math.min(i + SLICE, at + 8 + length)));
        }
        if (inflated > limit) {
          throw invalidRequest(
            `Invalid input image - the '${param}' PNG's image data inflates to more than its ${header.width}x${header.height} header declares.`,
            param,
            'invalid_image',
          );
        }
      }
      ended = type === 'IEND';
      at = end;
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'HttpApiError') throw error;
    throw broken();
  }
  return concatBytes(kept);
}

/**
 * Decodes any PNG (grey, grey+alpha, RGB, RGBA, palette; 1 to 16 bits) to 8-bit RGBA. Anything
 * that is not a PNG is a 400 naming `param`, as the API answers; so is a PNG whose header
 * declares more than `maxEdge` pixels on a side (checked before decoding), or whose image data
 * inflates to more than its header declares.
 */
export function decodePngRgba(bytes: Uint8Array, param: string, maxEdge = OFFLINE_MAX_INPUT_EDGE): Rgba {
  if (!hasPngSignature(bytes)) {
    throw invalidRequest(
      `Invalid input image - format must be in ['RGBA', 'LA', 'L'], got unknown. The '${param}' must be a valid PNG file.`,
      param,
      'invalid_image_format',
    );
  }
  const header = checkImageDimensions(
    bytes,
    param,
    maxEdge,
    maxEdge * maxEdge,
    'offline mode reads images of',
  )!;
  const safe = boundedPng(bytes, header, param);
  let png;
  try {
    png = decode(safe);
  } catch {
    throw invalidRequest(
      `Invalid input image - the '${param}' PNG could not be decoded.`,
      param,
      'invalid_image',
    );
  }
  const { width, height } = png;
  const out = createRgba(width, height);
  let data = png.data;
  let channels = png.channels;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = data.length / (width * height);
  }
  const shift = png.depth === 16 ? 8 : 0;
  const scale = png.depth < 8 && !png.palette ? 255 / (2 ** png.depth - 1) : 1;
  const px = width * height;
  for (let i = 0; i < px; i++) {
    const s = i * channels;
    const d = i * 4;
    const v = (k: number) => ((data[s + k] ?? 0) >> shift) * scale;
    if (channels >= 3) {
      out.data[d] = v(0);
      out.data[d + 1] = v(1);
      out.data[d + 2] = v(2);
      out.data[d + 3] = channels === 4 ? v(3) : 255;
    } else {
      const g = v(0);
      out.data[d] = g;
      out.data[d + 1] = g;
      out.data[d + 2] = g;
      out.data[d + 3] = channels === 2 ? v(1) : 255;
    }
  }
  return out;
}

/** Encodes an RGBA bitmap as an 8-bit RGBA PNG. */
export function encodePngRgba(image: Rgba): Uint8Array {
  return encode(
    { width: image.width, height: image.height, data: image.data, depth: 8, channels: 4 },
    { zlib: { level: 1 } },
  );
}

/** Bilinear resize (area-averaged when shrinking by 2× or more, by halving first). */
export function resizeRgba(image: Rgba, width: number, height: number): Rgba {
  let src = image;
  while (src.width >= width * 2 && src.height >= height * 2) src = halve(src);
  if (src.width === width && src.height === height) return src === image ? copyRgba(image) : src;
  const out = createRgba(width, height);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(src.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(src.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const tx = fx - x0;
      const d = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) {
        const a = src.data[(y0 * src.width + x0) * 4 + c]!;
        const b = src.data[(y0 * src.width + x1) * 4 + c]!;
        const e = src.data[(y1 * src.width + x0) * 4 + c]!;
        const f = src.data[(y1 * src.width + x1) * 4 + c]!;
        out.data[d + c] = (a * (1 - tx) + b * tx) * (1 - ty) + (e * (1 - tx) + f * tx) * ty;
      }
    }
  }
  return out;
}

function halve(image: Rgba): Rgba {
  const width = image.width >> 1;
  const height = image.height >> 1;
  const out = createRgba(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (2 * y * image.width + 2 * x) * 4;
      const r = image.width * 4;
      const d = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) {
        out.data[d + c] =
          (image.data[s + c]! +
            image.data[s + 4 + c]! +
            image.data[s + r + c]! +
            image.data[s + r + 4 + c]!) /
          4;
      }
    }
  }
  return out;
}

/** A copy of `image`. */
export function copyRgba(image: Rgba): Rgba {
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}
