import type { ImageTokenRule } from './models';

/** An image's pixel size. */
export interface ImagePixelSize {
  width: number;
  height: number;
}

/** The token cost of one image part. */
export interface ImageTokenCost {
  tokens: number;
  /** True when the size was unknown (the worst case was charged) or the rule is an estimate. */
  isApproximate: boolean;
}

// The largest image after `high`-detail scaling: a 768×2048 strip is 2×4 tiles.
const WORST_CASE: ImagePixelSize = { width: 768, height: 2048 };

function tiles({ width, height }: ImagePixelSize): number {
  let w = width;
  let h = height;
  if (w > 2048 || h > 2048) {
    const s = 2048 / Math.max(w, h);
    w *= s;
    h *= s;
  }
  if (Math.min(w, h) > 768) {
    const s = 768 / Math.min(w, h);
    w *= s;
    h *= s;
  }
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}

function patches({ width, height }: ImagePixelSize, max: number): number {
  const raw = Math.ceil(width / 32) * Math.ceil(height / 32);
  if (raw <= max) return raw;
  let shrink = Math.sqrt((32 * 32 * max) / (width * height));
  const w = width * shrink;
  const h = height * shrink;
  shrink *= Math.min(Math.floor(w / 32) / (w / 32), Math.floor(h / 32) / (h / 32));
  return Math.min(max, Math.ceil((width * shrink) / 32) * Math.ceil((height * shrink) / 32));
}

/**
 * OpenAI's published image pricing. `low` detail is the flat base cost (tile models); `high`
 * and `auto` depend on the size, and an unknown size is charged the worst case and flagged.
 *
 * @example
 * imageTokens({ kind: 'tiles', base: 85, perTile: 170 }, 'high', { width: 1024, height: 1024 }) // { tokens: 765, … }
 */
export function imageTokens(
  rule: ImageTokenRule,
  detail: 'auto' | 'low' | 'high' | undefined,
  size: ImagePixelSize | undefined,
): ImageTokenCost {
  switch (rule.kind) {
    case 'none':
      return { tokens: 0, isApproximate: true };
    case 'tiles':
      if (detail === 'low') return { tokens: rule.base, isApproximate: false };
      return { tokens: rule.base + rule.perTile * tiles(size ?? WORST_CASE), isApproximate: !size };
    case 'patches': {
      const max = rule.maxPatches ?? 1536;
      const n = size ? patches(size, max) : max;
      return { tokens: Math.ceil(n * rule.multiplier), isApproximate: !size };
    }
  }
}

/**
 * The pixel size written in an image file's header (PNG, JPEG, GIF, WebP), or `undefined` when
 * the bytes are none of these or the header is cut short. Reads no pixels.
 *
 * @example
 * imageSizeFromBytes(pngBytes) // { width: 512, height: 512 }
 */
export function imageSizeFromBytes(bytes: Uint8Array): ImagePixelSize | undefined {
  const at = (i: number) => bytes[i] ?? 0;
  const u16be = (i: number) => (at(i) << 8) | at(i + 1);
  const u16le = (i: number) => at(i) | (at(i + 1) << 8);
  const u32be = (i: number) => ((at(i) << 24) | (at(i + 1) << 16) | (at(i + 2) << 8) | at(i + 3)) >>> 0;
  const ascii = (i: number, n: number) => String.fromCharCode(...bytes.subarray(i, i + n));
  const sized = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : undefined);
  if (bytes.length >= 24 && at(0) === 0x89 && ascii(1, 3) === 'PNG') return sized(u32be(16), u32be(20));
  if (bytes.length >= 10 && ascii(0, 4) === 'GIF8') return sized(u16le(6), u16le(8));
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const kind = ascii(12, 4);
    if (kind === 'VP8 ') return sized(u16le(26) & 0x3fff, u16le(28) & 0x3fff);
    if (kind === 'VP8L') {
      const b = (i: number) => at(21 + i);
      return sized(1 + (((b(1) & 0x3f) << 8) | b(0)), 1 + (((b(3) & 0xf) << 10) | (b(2) << 2) | (b(1) >> 6)));
    }
    if (kind === 'VP8X') {
      return sized(
        1 + (at(24) | (at(25) << 8) | (at(26) << 16)),
        1 + (at(27) | (at(28) << 8) | (at(29) << 16)),
      );
    }
    return undefined;
  }
  if (at(0) === 0xff && at(1) === 0xd8) {
    // JPEG: walk the segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC).
    let i = 2;
    while (i + 9 < bytes.length) {
      if (at(i) !== 0xff) return undefined;
      const marker = at(i + 1);
      if (marker === 0xff) {
        i += 1;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return sized(u16be(i + 7), u16be(i + 5));
      }
      i += 2 + u16be(i + 2);
    }
  }
  return undefined;
}

const sizeCache = new Map<string, ImagePixelSize | null>();

/**
 * The pixel size of a `data:image/…;base64,` URL's image, read from its header (see
 * {@link imageSizeFromBytes}); `undefined` for any other URL, whose size only its server knows.
 * The client and the reference server both count an attached image with it, so they agree.
 */
export function imageSizeFromDataUrl(url: string): ImagePixelSize | undefined {
  if (!url.startsWith('data:')) return undefined;
  const cached = sizeCache.get(url);
  if (cached !== undefined) return cached ?? undefined;
  const comma = url.indexOf(',');
  let size: ImagePixelSize | undefined;
  if (comma > 0 && /;base64$/i.test(url.slice(0, comma))) {
    // Headers are near the start; a JPEG's frame header may follow a large EXIF block, so read on
    // in growing steps rather than decoding the whole image.
    const data = url.slice(comma + 1).replace(/[^A-Za-z0-9+/]/g, '');
    for (let chars = 4096; size === undefined; chars *= 4) {
      const slice = data.slice(0, Math.min(data.length, chars) & ~3);
      size = imageSizeFromBytes(decodeBase64(slice));
      if (chars >= data.length) break;
    }
  }
  if (sizeCache.size >= 32) sizeCache.delete(sizeCache.keys().next().value!);
  sizeCache.set(url, size ?? null);
  return size;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
