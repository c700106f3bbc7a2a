import { convertIndexedToRgb, decode, encode, hasPngSignature } from 'fast-png';

import { invalidRequest } from '../protocol/errors';

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

/**
 * Decodes any PNG (grey, grey+alpha, RGB, RGBA, palette; 1 to 16 bits) to 8-bit RGBA. Anything
 * that is not a PNG is a 400 naming `param`, as the API answers.
 */
export function decodePngRgba(bytes: Uint8Array, param: string): Rgba {
  if (!hasPngSignature(bytes)) {
    throw invalidRequest(
      `Invalid input image - format must be in ['RGBA', 'LA', 'L'], got unknown. The '${param}' must be a valid PNG file.`,
      param,
      'invalid_image_format',
    );
  }
  let png;
  try {
    png = decode(bytes);
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
