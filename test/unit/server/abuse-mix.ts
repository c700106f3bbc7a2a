// The audit's abuse mix for the reference server, shared by abuse.test.ts (beside it) and
// bench/node/server-abuse.ts: the requests, and a probe of the event loop and RSS while one runs.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';

import { encode } from 'fast-png';

/** What one request did to the process while it ran. */
export interface Impact<T> {
  /** The longest the event loop was blocked, in ms (10 ms resolution). */
  blockMs: number;
  /** The highest RSS seen (sampled every 10 ms, and at the end) minus RSS before, in MB. */
  rssGrowthMb: number;
  /** Wall time, in ms. */
  ms: number;
  result: T;
}

/** Runs `work` and measures the longest event-loop block and the RSS growth while it runs. */
export async function measure<T>(work: () => Promise<T>): Promise<Impact<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  histogram.enable();
  // The histogram records a delay from its second tick on: let it tick before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 25));
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage.rss());
    // A block is recorded when the next timer fires late: let it fire before reading.
    await new Promise((resolve) => setTimeout(resolve, 25));
    histogram.disable();
    // The histogram counts the resolution itself in every delay.
    const blockMs = Math.max(0, histogram.max / 1e6 - 10);
    return { blockMs, rssGrowthMb: (peak - before) / 1024 / 1024, ms, result };
  } finally {
    clearInterval(sampler);
    histogram.disable();
  }
}

/** A chat message of one 32,000-letter word. */
export const longWord = () => 'a'.repeat(32_000);

/** 20,000 CJK characters with no space or punctuation. */
export const cjkRun = () =>
  Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20_000))).join('');

function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ -1) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * A valid PNG whose header says `width`×`height` RGBA and whose image data is zlib-compressed
 * zeros of `inflatedBytes` (by default exactly what the header needs: a real deflate bomb, a
 * few hundred KB that decode to width × height × 4 bytes).
 */
export function deflateBombPng(
  width: number,
  height: number,
  inflatedBytes = height * (1 + width * 4),
): Blob {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const idat = deflateSync(Buffer.alloc(inflatedBytes), { level: 9 });
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ];
  return new Blob(parts as BlobPart[], { type: 'image/png' });
}

/** A tiny valid 1×1 PNG whose IHDR is rewritten to claim `width`×`height`. */
export function lyingHeaderPng(width: number, height: number): Blob {
  const png = encode({ width: 1, height: 1, data: new Uint8Array(4), channels: 4, depth: 8 });
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return new Blob([png as BlobPart], { type: 'image/png' });
}
