import { MASK_THRESHOLD } from './mask-model';

/**
 * A mask PNG written directly from coverage, without a canvas: 8-bit RGBA, pixels `0,0,0,0`
 * where painted and `0,0,0,255` elsewhere, unfiltered scanlines compressed as one fixed-Huffman
 * deflate block in which every run of equal pixels is four literals and then matches at
 * distance 4. A mask is a few runs per row, so this costs one pass over the coverage and a
 * few bits per run: far less than filling RGBA pixels and handing them to a general encoder.
 */

// A mask of very short runs (noise) would come out larger than a general encoder's PNG.
const MAX_RUNS_PER_PIXEL = 1 / 8;
const MOD_ADLER = 65521;

// Fixed Huffman codes (RFC 1951, 3.2.6), bit-reversed for an LSB-first stream.
const reverse = (code: number, length: number) => {
  let out = 0;
  for (let i = 0; i < length; i++) out |= ((code >> i) & 1) << (length - 1 - i);
  return out;
};
const LITERAL_CODE = new Uint16Array(288);
const LITERAL_BITS = new Uint8Array(288);
for (let symbol = 0; symbol < 288; symbol++) {
  const [code, bits] =
    symbol < 144
      ? [0x30 + symbol, 8]
      : symbol < 256
        ? [0x190 + symbol - 144, 9]
        : symbol < 280
          ? [symbol - 256, 7]
          : [0xc0 + symbol - 280, 8];
  LITERAL_CODE[symbol] = reverse(code, bits);
  LITERAL_BITS[symbol] = bits;
}
// Match lengths 3…258: symbol, extra bits and their value.
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const LENGTH_SYMBOL = new Uint16Array(259);
const LENGTH_EXTRA_BITS = new Uint8Array(259);
const LENGTH_EXTRA_VALUE = new Uint8Array(259);
for (let i = 0; i < LENGTH_BASE.length; i++) {
  const end = i + 1 < LENGTH_BASE.length ? LENGTH_BASE[i + 1]! : 259;
  for (let length = LENGTH_BASE[i]!; length < end; length++) {
    LENGTH_SYMBOL[length] = 257 + i;
    LENGTH_EXTRA_BITS[length] = LENGTH_EXTRA[i]!;
    LENGTH_EXTRA_VALUE[length] = length - LENGTH_BASE[i]!;
  }
}
// Distance 4 is distance code 3, no extra bits.
const DISTANCE_4 = reverse(3, 5);

let crcTable: Int32Array | null = null;
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** An LSB-first bit stream into a growing byte buffer. */
class BitWriter {
  bytes: Uint8Array;
  length = 0;
  #bits = 0;
  #count = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  write(value: number, bits: number): void {
    this.#bits |= value << this.#count;
    this.#count += bits;
    while (this.#count >= 8) {
      if (this.length === this.bytes.length) {
        const grown = new Uint8Array(this.bytes.length * 2);
        grown.set(this.bytes);
        this.bytes = grown;
      }
      this.bytes[this.length++] = this.#bits & 0xff;
      this.#bits >>>= 8;
      this.#count -= 8;
    }
  }

  literal(byte: number): void {
    this.write(LITERAL_CODE[byte]!, LITERAL_BITS[byte]!);
  }

  /** `length` bytes repeated from 4 back, in matches of at most 258 (each at least 3). */
  repeat4(length: number): void {
    let left = length;
    while (left > 0) {
      const take = left > 258 ? (left - 258 < 3 ? left - 3 : 258) : left;
      const symbol = LENGTH_SYMBOL[take]!;
      this.write(LITERAL_CODE[symbol]!, LITERAL_BITS[symbol]!);
      if (LENGTH_EXTRA_BITS[take]) this.write(LENGTH_EXTRA_VALUE[take]!, LENGTH_EXTRA_BITS[take]!);
      this.write(DISTANCE_4, 5);
      left -= take;
    }
  }

  /** Pads to a byte boundary. */
  flush(): void {
    if (this.#count > 0) this.write(0, 8 - this.#count);
  }
}

/**
 * The mask PNG's bytes, or `null` when the mask is so fragmented (more than one run in eight
 * pixels, past a floor that lets any small mask through) that a general encoder would do better.
 */
export function encodeMaskPngBytes(
  width: number,
  height: number,
  coverage: Uint8ClampedArray,
): Uint8Array<ArrayBuffer> | null {
  if (width < 1 || height < 1) return null;
  const deflate = new BitWriter(Math.max(1024, height * 16));
  deflate.write(1, 1); // BFINAL
  deflate.write(1, 2); // BTYPE 01: fixed Huffman
  const maxRuns = Math.max(1024 + height * 4, width * height * MAX_RUNS_PER_PIXEL);
  let runs = 0;
  let a = 1;
  let b = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    deflate.literal(0); // filter: none
    b = (b + a) % MOD_ADLER;
    let x = 0;
    while (x < width) {
      const painted = coverage[row + x]! >= MASK_THRESHOLD;
      let end = x + 1;
      if (painted) while (end < width && coverage[row + end]! >= MASK_THRESHOLD) end++;
      else while (end < width && coverage[row + end]! < MASK_THRESHOLD) end++;
      if (++runs > maxRuns) return null;
      const alpha = painted ? 0 : 255;
      deflate.literal(0);
      deflate.literal(0);
      deflate.literal(0);
      deflate.literal(alpha);
      if (end - x > 1) deflate.repeat4((end - x - 1) * 4);
      // Adler-32 over the run's bytes (0, 0, 0, alpha per pixel) in closed form.
      const k = end - x;
      b = (b + 4 * k * a + alpha * (2 * k * (k - 1) + k)) % MOD_ADLER;
      a = (a + k * alpha) % MOD_ADLER;
      x = end;
    }
  }
  deflate.write(LITERAL_CODE[256]!, LITERAL_BITS[256]!); // end of block
  deflate.flush();

  const compressed = deflate.length;
  const idatLength = 2 + compressed + 4;
  const png = new Uint8Array(8 + 25 + 12 + idatLength + 12);
  const view = new DataView(png.buffer);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  let at = 8;
  const chunk = (type: string, length: number, fill: (offset: number) => void) => {
    view.setUint32(at, length);
    for (let i = 0; i < 4; i++) png[at + 4 + i] = type.charCodeAt(i);
    fill(at + 8);
    view.setUint32(at + 8 + length, crc32(png, at + 4, at + 8 + length));
    at += 12 + length;
  };
  chunk('IHDR', 13, (o) => {
    view.setUint32(o, width);
    view.setUint32(o + 4, height);
    png.set([8, 6, 0, 0, 0], o + 8); // 8-bit RGBA, deflate, adaptive filtering, no interlace
  });
  chunk('IDAT', idatLength, (o) => {
    png[o] = 0x78; // zlib: deflate, 32 KB window
    png[o + 1] = 0x01; // no dictionary, header check
    png.set(deflate.bytes.subarray(0, compressed), o + 2);
    view.setUint32(o + 2 + compressed, ((b << 16) | a) >>> 0);
  });
  chunk('IEND', 0, () => {});
  return png;
}
