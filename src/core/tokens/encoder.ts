/** Counts the tokens of one text. */
export type CountFn = (text: string) => number;

/**
 * An encoding's ranks in the compact form of `src/core/tokens/ranks/` (written by
 * `scripts/generate-ranks.ts` from js-tiktoken's rank files).
 */
export interface CompactRanks {
  /** The split pattern that cuts text into pieces before merging (a Unicode regular expression). */
  pattern: string;
  /** How many ranks there are (ranks run 0 … tokens − 1). */
  tokens: number;
  /** The bytes of all tokens together. */
  bytes: number;
  /**
   * Base64 of: the byte of each of ranks 0–255, then for each later rank the two lower ranks it
   * joins, as LEB128 varints.
   */
  data: string;
}

/**
 * A counter with tiktoken's split pattern and merge: special-token lookalikes in user text
 * (`<|endoftext|>`) are ordinary text to the API, so they count as text, exactly as
 * js-tiktoken's `encode(text, [], [])` does.
 *
 * Only the count is needed, so the encoder is built for counting:
 * - the ranks live in a hash table over typed arrays ({@link RankTable}), rebuilt from the
 *   compact ranks by copying bytes — there is no string per token, and no reverse map, since
 *   nothing is decoded;
 * - each piece the pattern splits off is merged on the ranks directly (lowest rank first,
 *   leftmost first, as tiktoken does), joining adjacent parts instead of re-slicing bytes, which
 *   is what makes long runs without spaces (Chinese, Japanese) slow in js-tiktoken's `encode`;
 * - each distinct piece is merged once, then looked up (a bounded cache): words repeat.
 * Agreement tests hold the counts to js-tiktoken's full `getEncoding` result.
 */
export function createCounter(ranks: CompactRanks): CountFn {
  return countWith(new RegExp(ranks.pattern, 'ug'), new RankTable(ranks));
}

const BASE64 = new Int16Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach(
  (c, i) => (BASE64[c.charCodeAt(0)] = i),
);

function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let used = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) break;
    buffer = ((buffer << 6) | BASE64[c]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[used++] = (buffer >> bits) & 255;
    }
  }
  return out.subarray(0, used);
}

/**
 * The byte-pair ranks as an open-addressing hash table over typed arrays: token bytes in one
 * pool, looked up by byte range without making strings. Each token is rebuilt from the two
 * lower-ranked tokens it joins (copied from earlier in the pool), so building the table is one
 * pass of copies and hashes.
 */
export class RankTable {
  readonly #pool: Uint8Array;
  readonly #start: Int32Array;
  readonly #length: Uint16Array;
  readonly #slots: Int32Array;
  readonly #mask: number;
  /** The length in bytes of the longest token: no longer byte range is looked up. */
  readonly longest: number;

  constructor({ tokens, bytes, data }: CompactRanks) {
    const packed = decodeBase64(data);
    const pool = new Uint8Array(bytes);
    const start = new Int32Array(tokens);
    const length = new Uint16Array(tokens);
    let size = 1;
    while (size < tokens * 2) size <<= 1;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;

    let read = 0;
    const varint = () => {
      let value = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = packed[read++]!;
        value |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      return value;
    };
    let used = 0;
    for (let rank = 0; rank < tokens; rank++) {
      const begin = used;
      if (rank < 256) {
        pool[used++] = packed[read++]!;
      } else {
        const first = varint();
        const second = varint();
        for (let k = start[first]!, end = k + length[first]!; k < end; k++) pool[used++] = pool[k]!;
        for (let k = start[second]!, end = k + length[second]!; k < end; k++) pool[used++] = pool[k]!;
      }
      start[rank] = begin;
      length[rank] = used - begin;
      let slot = hash(pool, begin, used) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = rank;
    }
    if (used !== bytes || read !== packed.length) throw new Error('The compact ranks are damaged.');
    this.#pool = pool;
    this.#start = start;
    this.#length = length;
    this.#slots = slots;
    this.#mask = mask;
    let longest = 0;
    for (let rank = 0; rank < tokens; rank++) longest = Math.max(longest, length[rank]!);
    this.longest = longest;
  }

  /** The rank of `bytes[from, to)`, or `Infinity` when it is not a token. */
  get(bytes: Uint8Array, from: number, to: number): number {
    const length = to - from;
    if (length > this.longest) return Infinity;
    const pool = this.#pool;
    for (let slot = hash(bytes, from, to) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const token = this.#slots[slot]!;
      if (token === -1) return Infinity;
      if (this.#length[token] !== length) continue;
      const start = this.#start[token]!;
      let k = 0;
      while (k < length && pool[start + k] === bytes[from + k]) k++;
      if (k === length) return token;
    }
  }
}

/** FNV-1a over `bytes[from, to)`. */
function hash(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

const PIECE_CACHE_LIMIT = 50_000;

function countWith(pattern: RegExp, ranks: RankTable): CountFn {
  const utf8 = new TextEncoder();
  const pieces = new Map<string, number>();
  return (text) => {
    let count = 0;
    for (const match of text.matchAll(pattern)) {
      const piece = match[0];
      if (piece.length === 1 && piece.charCodeAt(0) < 0x80) {
        count++;
        continue;
      }
      let n = pieces.get(piece);
      if (n === undefined) {
        const bytes = utf8.encode(piece);
        n =
          bytes.length === 1 || ranks.get(bytes, 0, bytes.length) !== Infinity ? 1 : mergeCount(bytes, ranks);
        if (pieces.size >= PIECE_CACHE_LIMIT) pieces.clear();
        pieces.set(piece, n);
      }
      count += n;
    }
    return count;
  };
}

/** Pieces up to this many bytes merge by scanning (fastest when short); longer ones use a heap. */
const SCAN_LIMIT = 64;

/**
 * How many tokens tiktoken's byte-pair merge leaves of `bytes`: parts are byte ranges between
 * boundaries; the adjacent pair with the lowest rank (leftmost on ties) merges until none is a
 * token. A pair longer than the longest token is never one, so it is not looked up.
 */
function mergeCount(bytes: Uint8Array, ranks: RankTable): number {
  return bytes.length <= SCAN_LIMIT ? mergeCountByScan(bytes, ranks) : mergeCountByHeap(bytes, ranks);
}

/** The merge as tiktoken writes it: find the lowest pair by a scan, merge, repeat. O(n²), tiny n. */
function mergeCountByScan(bytes: Uint8Array, ranks: RankTable): number {
  const bounds = Array.from({ length: bytes.length + 1 }, (_, i) => i);
  const pairRank = new Array<number>(bytes.length - 1);
  const rankOf = (i: number) => ranks.get(bytes, bounds[i]!, bounds[i + 2]!);
  for (let i = 0; i < pairRank.length; i++) pairRank[i] = rankOf(i);
  let parts = bytes.length;
  while (parts > 1) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      if (pairRank[i]! < best) {
        best = pairRank[i]!;
        at = i;
      }
    }
    if (at < 0) break;
    bounds.splice(at + 1, 1);
    pairRank.splice(at, 1);
    parts--;
    if (at > 0) pairRank[at - 1] = rankOf(at - 1);
    if (at < parts - 1) pairRank[at] = rankOf(at);
  }
  return parts;
}

/** Heap keys hold a pair's rank and its start: rank × 2³² + start, exact in a double. */
const START_SPAN = 2 ** 32;

/**
 * The same merge in O(n log n): the parts are a linked list over their start bytes, and every
 * adjacent pair that is a token sits in a min-heap keyed by (rank, start) — lowest rank first,
 * leftmost on ties, exactly tiktoken's order. A merge changes only the pairs on either side of
 * it; their new ranks are pushed and the old entries are skipped when they surface (a live part
 * whose current pair rank differs from the entry's, or a part that was merged away). At most
 * n − 1 merges push two entries each, so memory stays linear.
 */
function mergeCountByHeap(bytes: Uint8Array, ranks: RankTable): number {
  const n = bytes.length;
  const longest = ranks.longest;
  // next[i]: where the part starting at i ends (the next part's start, or n).
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const pairRank = new Float64Array(n);
  const dead = new Uint8Array(n);
  const heap = new Float64Array(3 * n);
  let size = 0;

  const push = (key: number) => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= key) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = key;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  };
  // The rank of the pair starting at part `i` (Infinity when there is none, or it is no token).
  const rate = (i: number) => {
    const second = next[i]!;
    const end = second < n ? next[second]! : n;
    const rank = second < n && end - i <= longest ? ranks.get(bytes, i, end) : Infinity;
    pairRank[i] = rank;
    if (rank !== Infinity) push(rank * START_SPAN + i);
  };

  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  for (let i = 0; i < n - 1; i++) rate(i);
  pairRank[n - 1] = Infinity;

  let parts = n;
  while (size > 0) {
    const key = pop();
    const rank = Math.floor(key / START_SPAN);
    const start = key - rank * START_SPAN;
    if (dead[start] || pairRank[start] !== rank) continue;
    const gone = next[start]!;
    dead[gone] = 1;
    next[start] = next[gone]!;
    if (next[gone]! < n) prev[next[gone]!] = start;
    parts--;
    rate(start);
    if (prev[start]! >= 0) rate(prev[start]!);
  }
  return parts;
}
