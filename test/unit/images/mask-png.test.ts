import { crc32, inflateSync } from 'node:zlib';

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { MASK_THRESHOLD } from '../../../src/core/images/mask-model';
import { encodeMaskPngBytes } from '../../../src/core/images/mask-png';

/** Reads a PNG strictly: every chunk's CRC, the zlib stream's Adler-32 (inflateSync checks it). */
function decode(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: Array<{ type: string; data: Uint8Array }> = [];
  let at = 8;
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    expect(view.getUint32(at + 8 + length), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
  const raw = inflateSync(chunks[1]!.data);
  return {
    width: ihdr.getUint32(0),
    height: ihdr.getUint32(4),
    format: [...chunks[0]!.data.subarray(8, 13)],
    raw,
  };
}

/** The scanlines the mask must decode to: filter 0, then 0,0,0,alpha per pixel. */
function expectedScanlines(width: number, height: number, coverage: Uint8ClampedArray): Uint8Array {
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      raw[y * (width * 4 + 1) + 1 + x * 4 + 3] = coverage[y * width + x]! >= MASK_THRESHOLD ? 0 : 255;
  return raw;
}

function expectExact(width: number, height: number, coverage: Uint8ClampedArray) {
  const png = encodeMaskPngBytes(width, height, coverage);
  expect(png).not.toBeNull();
  const decoded = decode(png!);
  expect([decoded.width, decoded.height]).toEqual([width, height]);
  expect(decoded.format).toEqual([8, 6, 0, 0, 0]);
  expect(Buffer.from(decoded.raw).equals(Buffer.from(expectedScanlines(width, height, coverage)))).toBe(true);
  return png!;
}

describe('encodeMaskPngBytes', () => {
  test('any mask of rectangles decodes (CRCs and Adler-32 checked) to exactly its alpha', () => {
    const rect = fc.record({
      x: fc.nat(80),
      y: fc.nat(50),
      w: fc.nat(60),
      h: fc.nat(30),
      value: fc.constantFrom(0, MASK_THRESHOLD - 1, MASK_THRESHOLD, 255),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(rect, { maxLength: 8 }),
        (width, height, rects) => {
          const coverage = new Uint8ClampedArray(width * height);
          for (const r of rects)
            for (let y = r.y; y < Math.min(height, r.y + r.h); y++)
              coverage.fill(
                r.value,
                y * width + Math.min(width, r.x),
                y * width + Math.min(width, r.x + r.w),
              );
          expectExact(width, height, coverage);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('long runs (past the 258-byte match limit, and over 65521 for Adler-32) at 1024 and 4000 wide', () => {
    const sizes = [
      [1024, 64],
      [4000, 9],
      [259, 3],
    ] as const;
    const lengths = sizes.map(([width, height]) => {
      const coverage = new Uint8ClampedArray(width * height);
      coverage.fill(255, width + 1, 2 * width - 1);
      coverage.fill(200, 2 * width + 65, 2 * width + 130);
      return expectExact(width, height, coverage).length;
    });
    // A few bits per run: 1024×64 is 256 KB of pixels.
    expect(lengths[0]).toBeLessThan(4096);
  });

  test('a fragmented mask (noise) is left to the general encoder', () => {
    const coverage = new Uint8ClampedArray(64 * 64).map((_, i) => ((i * 7919) % 3 === 0 ? 255 : 0));
    expect(encodeMaskPngBytes(64, 64, coverage)).toBeNull();
  });
});
