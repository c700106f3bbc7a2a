import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

/** Counts the tokens of one text. */
export type CountFn = (text: string) => number;

/**
 * A counter for `ranks` (js-tiktoken's rank files) with js-tiktoken's split pattern and
 * tiktoken's merge: special-token lookalikes in user text (`<|endoftext|>`) are ordinary text to
 * the API, so they count as text, exactly as `encode(text, [], [])` does.
 *
 * Only the count is needed, so the encoder is built for counting:
 * - the rank map is keyed by each token's bytes as a binary string (one char per byte), filled
 *   in one pass — faster than js-tiktoken's constructor, which dominates the cold start — and
 *   there is no reverse map, since nothing is decoded;
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
  return countWith(new RegExp(pattern, 'ug'), rankMap(ranks.bpe_ranks));
}

const BASE64 = new Int16Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach(
  (c, i) => (BASE64[c.charCodeAt(0)] = i),
);

/**
 * A base64 token's bytes as a binary string. Decoded here rather than with `atob`: a token is a
 * few characters, and `atob` costs a browser binding call each time — about 200,000 calls for
 * o200k, which made the map slower to build in Chromium than this loop (though not in Node).
 */
function decodeToken(token: string): string {
  let key = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 61) break;
    buffer = ((buffer << 6) | BASE64[c]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      key += String.fromCharCode((buffer >> bits) & 255);
    }
  }
  return key;
}

/** `bpe_ranks` lines are `! <first rank> <base64 token> <base64 token> …`. */
function rankMap(bpeRanks: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of bpeRanks.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const offset = Number.parseInt(fields[1]!, 10);
    for (let i = 2; i < fields.length; i++) ranks.set(decodeToken(fields[i]!), offset + i - 2);
  }
  return ranks;
}

const PIECE_CACHE_LIMIT = 50_000;

function countWith(pattern: RegExp, ranks: Map<string, number>): CountFn {
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
        const bytes = isAscii(piece) ? piece : binary(utf8.encode(piece));
        n = bytes.length === 1 || ranks.has(bytes) ? 1 : mergeCount(bytes, ranks);
        if (pieces.size >= PIECE_CACHE_LIMIT) pieces.clear();
        pieces.set(piece, n);
      }
      count += n;
    }
    return count;
  };
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Bytes as a string of one char per byte, the rank map's key. */
function binary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}

/** How many tokens tiktoken's byte-pair merge leaves of `bytes` (a binary string). */
function mergeCount(bytes: string, ranks: Map<string, number>): number {
  const parts = bytes.split('');
  const pairRank = new Array<number>(parts.length - 1);
  const rankOf = (i: number) => ranks.get(parts[i]! + parts[i + 1]!) ?? Infinity;
  for (let i = 0; i < pairRank.length; i++) pairRank[i] = rankOf(i);
  let count = parts.length;
  while (count > 1) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i < count - 1; i++) {
      if (pairRank[i]! < best) {
        best = pairRank[i]!;
        at = i;
      }
    }
    if (at < 0) break;
    parts[at] = parts[at]! + parts[at + 1]!;
    parts.splice(at + 1, 1);
    pairRank.splice(at, 1);
    count--;
    if (at > 0) pairRank[at - 1] = rankOf(at - 1);
    if (at < count - 1) pairRank[at] = rankOf(at);
  }
  return count;
}
