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
