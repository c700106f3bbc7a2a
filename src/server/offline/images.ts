import { invalidRequest } from '../protocol/errors';
import { copyRgba, createRgba, decodePngRgba, resizeRgba, type Rgba } from './png';

/** FNV-1a over a string: the seed of everything a prompt draws. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function hashBytes(bytes: Uint8ClampedArray | Uint8Array): number {
  let h = 0x811c9dc5;
  const step = Math.max(1, Math.floor(bytes.length / 65_536));
  for (let i = 0; i < bytes.length; i += step) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: small, fast and good enough for pictures. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}

/** Value noise on a `cells`×`cells` lattice, sampled at (u, v) ∈ [0, 1]². */
function valueNoise(rng: () => number, cells: number): (u: number, v: number) => number {
  const n = cells + 1;
  const grid = Float32Array.from({ length: n * n }, rng);
  return (u, v) => {
    const x = u * cells;
    const y = v * cells;
    const x0 = Math.min(cells - 1, Math.floor(x));
    const y0 = Math.min(cells - 1, Math.floor(y));
    let tx = x - x0;
    let ty = y - y0;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    const a = grid[y0 * n + x0]!;
    const b = grid[y0 * n + x0 + 1]!;
    const c = grid[(y0 + 1) * n + x0]!;
    const d = grid[(y0 + 1) * n + x0 + 1]!;
    return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
  };
}

/**
 * A deterministic picture for `seed` at `width`×`height`: a two-colour gradient, layered value
 * noise and a few soft discs, all in coordinates relative to the size, so one prompt looks the
 * same at every size.
 */
export function proceduralImage(seed: number, width: number, height: number): Rgba {
  const rng = random(seed);
  const hue = rng();
  const c0 = hsl(hue, 0.55 + rng() * 0.3, 0.25 + rng() * 0.2);
  const c1 = hsl((hue + 0.15 + rng() * 0.2) % 1, 0.6, 0.55 + rng() * 0.2);
  const c2 = hsl((hue + 0.5) % 1, 0.5 + rng() * 0.4, 0.5 + rng() * 0.3);
  const angle = rng() * Math.PI * 2;
  const gx = Math.cos(angle);
  const gy = Math.sin(angle);
  const octaves = [valueNoise(rng, 3), valueNoise(rng, 7), valueNoise(rng, 17)];
  const discs = Array.from({ length: 3 + Math.floor(rng() * 5) }, () => ({
    x: rng(),
    y: rng(),
    r: 0.05 + rng() * 0.2,
    color: hsl((hue + rng() * 0.6) % 1, 0.7, 0.4 + rng() * 0.4),
    alpha: 0.35 + rng() * 0.5,
  }));
  const out = createRgba(width, height);
  const { data } = out;
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width;
      const t = Math.min(1, Math.max(0, 0.5 + ((u - 0.5) * gx + (v - 0.5) * gy)));
      const noise = octaves[0]!(u, v) * 0.55 + octaves[1]!(u, v) * 0.3 + octaves[2]!(u, v) * 0.15;
      const m = Math.max(0, noise - 0.45) * 1.6;
      let r = (c0[0] * (1 - t) + c1[0] * t) * (1 - m) + c2[0] * m;
      let g = (c0[1] * (1 - t) + c1[1] * t) * (1 - m) + c2[1] * m;
      let b = (c0[2] * (1 - t) + c1[2] * t) * (1 - m) + c2[2] * m;
      for (const disc of discs) {
        const dx = u - disc.x;
        const dy = v - disc.y;
        const edge = 1 - Math.sqrt(dx * dx + dy * dy) / disc.r;
        if (edge > 0) {
          const k = Math.min(1, edge * 6) * disc.alpha;
          r += (disc.color[0] - r) * k;
          g += (disc.color[1] - g) * k;
          b += (disc.color[2] - b) * k;
        }
      }
      const d = (y * width + x) * 4;
      data[d] = r;
      data[d + 1] = g;
      data[d + 2] = b;
      data[d + 3] = 255;
    }
  }
  return out;
}

/** The images for a generation: image `i` of `n` is seeded by the prompt and `i`. */
export function generateImage(prompt: string, index: number, width: number, height: number): Rgba {
  return proceduralImage(hashString(`${index}\u0000${prompt}`), width, height);
}

interface Level {
  w: number;
  h: number;
  /** RGB, valid where `a` > 0. */
  c: Float32Array;
  /** Weight in [0, 1]: how much of the pixel is known. */
  a: Float32Array;
}

/**
 * Fills the pixels where `known` is 0 from their surroundings (push-pull: average known pixels
 * down a pyramid, then blend the coarse averages back up where detail is missing). Linear time.
 */
function fillFromSurroundings(rgba: Rgba, known: Uint8Array): Float32Array {
  const { width, height, data } = rgba;
  const base: Level = {
    w: width,
    h: height,
    c: new Float32Array(width * height * 3),
    a: new Float32Array(width * height),
  };
  for (let i = 0; i < width * height; i++) {
    base.a[i] = known[i]!;
    for (let k = 0; k < 3; k++) base.c[i * 3 + k] = data[i * 4 + k]!;
  }
  const levels = [base];
  let cur = base;
  while (cur.w > 1 || cur.h > 1) {
    const w = Math.max(1, Math.ceil(cur.w / 2));
    const h = Math.max(1, Math.ceil(cur.h / 2));
    const next: Level = { w, h, c: new Float32Array(w * h * 3), a: new Float32Array(w * h) };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        const acc = [0, 0, 0];
        for (let dy = 0; dy < 2; dy++) {
          for (let dx = 0; dx < 2; dx++) {
            const sx = Math.min(cur.w - 1, 2 * x + dx);
            const sy = Math.min(cur.h - 1, 2 * y + dy);
            const j = sy * cur.w + sx;
            const wgt = cur.a[j]!;
            sum += wgt;
            for (let k = 0; k < 3; k++) acc[k]! += cur.c[j * 3 + k]! * wgt;
          }
        }
        const i = y * w + x;
        next.a[i] = Math.min(1, sum);
        if (sum > 0) for (let k = 0; k < 3; k++) next.c[i * 3 + k] = acc[k]! / sum;
      }
    }
    levels.push(next);
    cur = next;
  }
  const top = levels[levels.length - 1]!;
  if (top.a[0] === 0) top.c.fill(128);
  top.a[0] = 1;
  for (let l = levels.length - 2; l >= 0; l--) {
    const fine = levels[l]!;
    const coarse = levels[l + 1]!;
    for (let y = 0; y < fine.h; y++) {
      const fy = Math.min(coarse.h - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
      const y0 = Math.floor(fy);
      const y1 = Math.min(coarse.h - 1, y0 + 1);
      const ty = fy - y0;
      for (let x = 0; x < fine.w; x++) {
        const i = y * fine.w + x;
        const wgt = fine.a[i]!;
        if (wgt >= 1) continue;
        const fx = Math.min(coarse.w - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
        const x0 = Math.floor(fx);
        const x1 = Math.min(coarse.w - 1, x0 + 1);
        const tx = fx - x0;
        for (let k = 0; k < 3; k++) {
          const up =
            (coarse.c[(y0 * coarse.w + x0) * 3 + k]! * (1 - tx) +
              coarse.c[(y0 * coarse.w + x1) * 3 + k]! * tx) *
              (1 - ty) +
            (coarse.c[(y1 * coarse.w + x0) * 3 + k]! * (1 - tx) +
              coarse.c[(y1 * coarse.w + x1) * 3 + k]! * tx) *
              ty;
          fine.c[i * 3 + k] = fine.c[i * 3 + k]! * wgt + up * (1 - wgt);
        }
        fine.a[i] = 1;
      }
    }
  }
  return base.c;
}

function requireSquare(image: Rgba, param: string): void {
  if (image.width !== image.height) {
    throw invalidRequest(
      `Invalid input image - image must be square, got ${image.width}x${image.height}.`,
      param,
      'image_not_square',
    );
  }
}

/** What an edit needs: the image, the optional mask, the prompt and the output size. */
export interface EditInput {
  image: Uint8Array;
  mask: Uint8Array | undefined;
  prompt: string;
  n: number;
  width: number;
  height: number;
}

/**
 * Edits: pixels transparent in the mask (alpha 0; the image's own alpha when there is no mask)
 * are filled from their surroundings and tinted by the prompt's picture; every other pixel is
 * copied unchanged. Validated as the API does: PNG, square, same dimensions, something to edit.
 */
export function editImages(input: EditInput): Rgba[] {
  const image = decodePngRgba(input.image, 'image');
  requireSquare(image, 'image');
  let maskSource = image;
  if (input.mask) {
    maskSource = decodePngRgba(input.mask, 'mask');
    requireSquare(maskSource, 'mask');
    if (maskSource.width !== image.width) {
      throw invalidRequest(
        `Invalid input image - image and mask must be the same size, got ${image.width}x${image.height} and ${maskSource.width}x${maskSource.height}.`,
        'mask',
        'mask_size_mismatch',
      );
    }
  }
  const px = image.width * image.height;
  const known = new Uint8Array(px);
  let holes = 0;
  for (let i = 0; i < px; i++) {
    const edited = maskSource.data[i * 4 + 3] === 0;
    known[i] = edited ? 0 : 1;
    if (edited) holes++;
  }
  if (holes === 0) {
    throw invalidRequest(
      input.mask
        ? 'Invalid mask - the mask has no fully transparent pixels, so there is nothing to edit.'
        : 'Invalid input image - with no mask, the image must have transparent pixels to mark the area to edit.',
      input.mask ? 'mask' : 'image',
      'invalid_mask',
    );
  }
  const filled = fillFromSurroundings(image, known);
  const results: Rgba[] = [];
  for (let index = 0; index < input.n; index++) {
    const texture = generateImage(input.prompt, index, image.width, image.height);
    const out = copyRgba(image);
    for (let i = 0; i < px; i++) {
      if (known[i]) continue;
      for (let k = 0; k < 3; k++)
        out.data[i * 4 + k] = filled[i * 3 + k]! * 0.6 + texture.data[i * 4 + k]! * 0.4;
      out.data[i * 4 + 3] = 255;
    }
    results.push(out.width === input.width ? out : resizeRgba(out, input.width, input.height));
  }
  return results;
}

/** What a variation needs. */
export interface VariationInput {
  image: Uint8Array;
  n: number;
  width: number;
  height: number;
}

/**
 * Variations keep the input's composition and colours (a blurred copy, gently warped) and add
 * new detail seeded by the input and the variation's index, so each is visibly related to it.
 */
export function varyImages(input: VariationInput): Rgba[] {
  const image = decodePngRgba(input.image, 'image');
  requireSquare(image, 'image');
  const seed = hashBytes(image.data);
  const base = resizeRgba(resizeRgba(image, 32, 32), input.width, input.height);
  const results: Rgba[] = [];
  for (let index = 0; index < input.n; index++) {
    const rng = random(seed + index * 7919);
    const detail = proceduralImage(seed ^ (index + 1), input.width, input.height);
    const warp = valueNoise(rng, 4);
    const strength = 0.03 + rng() * 0.03;
    const out = createRgba(input.width, input.height);
    for (let y = 0; y < input.height; y++) {
      for (let x = 0; x < input.width; x++) {
        const u = (x + 0.5) / input.width;
        const v = (y + 0.5) / input.height;
        const sx = Math.min(
          input.width - 1,
          Math.max(0, Math.round((u + (warp(u, v) - 0.5) * strength) * input.width)),
        );
        const sy = Math.min(
          input.height - 1,
          Math.max(0, Math.round((v + (warp(v, u) - 0.5) * strength) * input.height)),
        );
        const s = (sy * input.width + sx) * 4;
        const d = (y * input.width + x) * 4;
        for (let k = 0; k < 3; k++) out.data[d + k] = base.data[s + k]! * 0.78 + detail.data[d + k]! * 0.22;
        out.data[d + 3] = 255;
      }
    }
    results.push(out);
  }
  return results;
}
