import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

/** Counts the tokens of one text. */
export type CountFn = (text: string) => number;

/**
 * A counter for `ranks` (js-tiktoken's rank files) with js-tiktoken's split pattern and
 * tiktoken's merge: special-token lookalikes in user text (`<|endoftext|>`) are ordinary text to
 * the API, so they count as text, exactly as `encode(text, [], [])` does.
 *
 * Only the count is needed, so the encoder is built for counting:
 * - the ranks live in a hash table over typed arrays ({@link RankTable}), filled in one scan of
 *   the rank text — several times faster than js-tiktoken's constructor, which dominates the
 *   cold start — and there is no reverse map, since nothing is decoded;
 * - each piece the pattern splits off is merged on the ranks directly (lowest rank first,
 *   leftmost first, as tiktoken does), joining adjacent parts instead of re-slicing bytes, which
 *   is what makes long runs without spaces (Chinese, Japanese) slow in js-tiktoken's `encode`;
 * - each distinct piece is merged once, then looked up (a bounded cache): words repeat.
 * Agreement tests hold the counts to js-tiktoken's full `getEncoding` result. If js-tiktoken's
 * pattern is not where it was, it counts with js-tiktoken's `encode`.
 */
export function createCounter(ranks: TiktokenBPE): CountFn {
  const pattern = (new Tiktoken({ ...ranks, bpe_ranks: '' }) as unknown as { patStr?: unknown }).patStr;
  if (typeof pattern !== 'string') {
    const tiktoken = new Tiktoken(ranks);
    return (text) => (text === '' ? 0 : tiktoken.encode(text, [], []).length);
  }
  return countWith(new RegExp(pattern, 'ug'), new RankTable(ranks.bpe_ranks));
}

const BASE64 = new Int16Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach(
  (c, i) => (BASE64[c.charCodeAt(0)] = i),
);

/**
 * The byte-pair ranks as an open-addressing hash table over typed arrays: token bytes in one
 * pool, looked up by byte range. Built straight from the base64 text in one scan, with no string
 * per token (a `Map` with 200,000 string keys took most of o200k's cold start), and looked up
 * without making strings either.
 */
class RankTable {
  readonly #pool: Uint8Array;
  readonly #start: Int32Array;
  readonly #length: Uint8Array;
  readonly #rank: Int32Array;
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(bpeRanks: string) {
    let tokens = 0;
    for (let i = 0; i < bpeRanks.length; i++) if (bpeRanks.charCodeAt(i) === 32) tokens++;
    this.#pool = new Uint8Array(Math.ceil((bpeRanks.length * 3) / 4));
    this.#start = new Int32Array(tokens);
    this.#length = new Uint8Array(tokens);
    this.#rank = new Int32Array(tokens);
    let size = 1;
    while (size < tokens * 2) size <<= 1;
    this.#slots = new Int32Array(size).fill(-1);
    this.#mask = size - 1;

    // Lines are `! <first rank> <base64 token> <base64 token> …`.
    let count = 0;
    let used = 0;
    let i = 0;
    const text = bpeRanks;
    while (i < text.length) {
      // The marker, then the first rank.
      while (i < text.length && text.charCodeAt(i) !== 32) i++;
      i++;
      let rank = 0;
      while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) {
        rank = rank * 10 + text.charCodeAt(i) - 48;
        i++;
      }
      while (i < text.length && text.charCodeAt(i) !== 10) {
        i++; // the space before a token
        const begin = used;
        let buffer = 0;
        let bits = 0;
        for (; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c === 32 || c === 10) break;
          if (c === 61) continue;
          buffer = ((buffer << 6) | BASE64[c]!) & 0xffffff;
          bits += 6;
          if (bits >= 8) {
            bits -= 8;
            this.#pool[used++] = (buffer >> bits) & 255;
          }
        }
        if (used === begin) continue;
        this.#start[count] = begin;
        this.#length[count] = used - begin;
        this.#rank[count] = rank++;
        let slot = hash(this.#pool, begin, used) & this.#mask;
        while (this.#slots[slot] !== -1) slot = (slot + 1) & this.#mask;
        this.#slots[slot] = count++;
      }
      i++;
    }
  }

  /** The rank of `bytes[from, to)`, or `Infinity` when it is not a token. */
  get(bytes: Uint8Array, from: number, to: number): number {
    const length = to - from;
    const pool = this.#pool;
    for (let slot = hash(bytes, from, to) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const token = this.#slots[slot]!;
      if (token === -1) return Infinity;
      if (this.#length[token] !== length) continue;
      const start = this.#start[token]!;
      let k = 0;
      while (k < length && pool[start + k] === bytes[from + k]) k++;
      if (k === length) return this.#rank[token]!;
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

/**
 * How many tokens tiktoken's byte-pair merge leaves of `bytes`: parts are byte ranges between
 * boundaries; the adjacent pair with the lowest rank (leftmost on ties) merges until none is a
 * token.
 */
function mergeCount(bytes: Uint8Array, ranks: RankTable): number {
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
