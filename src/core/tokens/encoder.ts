import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

/** Counts the tokens of one text. */
export type CountFn = (text: string) => number;

/**
 * Counts with `tiktoken`'s pattern and ranks. Special-token lookalikes in user text
 * (`<|endoftext|>`) are ordinary text to the API, so they are encoded as text, exactly as
 * `encode(text, [], [])` does (the default would throw on them).
 *
 * Only the count is needed, so each piece the pattern splits off is merged on the byte-pair
 * ranks directly: the same lowest-rank-first, leftmost-first merge as tiktoken, but keyed by
 * joining adjacent parts' keys instead of re-slicing the bytes, which is what makes long runs
 * without spaces (Chinese, Japanese) slow in js-tiktoken's own `encode`. Agreement tests hold
 * it to js-tiktoken's result; if js-tiktoken's internals change shape it falls back to `encode`.
 */
export function countWith(tiktoken: Tiktoken): CountFn {
  const internals = tiktoken as unknown as { rankMap?: unknown; patStr?: unknown };
  const ranks = internals.rankMap;
  if (!(ranks instanceof Map) || typeof internals.patStr !== 'string') {
    return (text) => (text === '' ? 0 : tiktoken.encode(text, [], []).length);
  }
  const rankMap = ranks as Map<string, number>;
  const pattern = new RegExp(internals.patStr, 'ug');
  const utf8 = new TextEncoder();
  // Words repeat: each distinct piece is merged once, then looked up. Bounded, so a long session
  // of unusual text cannot grow it without limit.
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
        n = bytes.length === 1 || rankMap.has(bytes.join(',')) ? 1 : mergeCount(bytes, rankMap);
        if (pieces.size >= PIECE_CACHE_LIMIT) pieces.clear();
        pieces.set(piece, n);
      }
      count += n;
    }
    return count;
  };
}

const PIECE_CACHE_LIMIT = 50_000;

function mergeCount(bytes: Uint8Array, ranks: Map<string, number>): number {
  const keys = Array.from(bytes, String);
  const pairRank = new Array<number>(keys.length - 1);
  const rankOf = (i: number) => ranks.get(`${keys[i]},${keys[i + 1]}`) ?? Infinity;
  for (let i = 0; i < pairRank.length; i++) pairRank[i] = rankOf(i);
  let parts = keys.length;
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
    keys[at] = `${keys[at]},${keys[at + 1]}`;
    keys.splice(at + 1, 1);
    pairRank.splice(at, 1);
    parts--;
    if (at > 0) pairRank[at - 1] = rankOf(at - 1);
    if (at < parts - 1) pairRank[at] = rankOf(at);
  }
  return parts;
}

const BASE64 = new Int16Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach(
  (c, i) => (BASE64[c.charCodeAt(0)] = i),
);

/** A base64 token as js-tiktoken keys its rank map: its bytes joined by commas. */
function rankKey(token: string): string {
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
      key += (key ? ',' : '') + ((buffer >> bits) & 255);
    }
  }
  return key;
}

/**
 * A js-tiktoken encoder for `ranks`, built about three times faster than its constructor (which
 * dominates the cold start): the rank map is filled in one pass, and the reverse map used only by
 * `decode` is skipped, since Parlance only counts. If js-tiktoken's internals ever change shape,
 * this falls back to the constructor; the agreement tests pin the result either way.
 */
export function createTiktoken(ranks: TiktokenBPE): Tiktoken {
  const tiktoken = new Tiktoken({ ...ranks, bpe_ranks: '' });
  const rankMap = (tiktoken as unknown as { rankMap?: unknown }).rankMap;
  if (!(rankMap instanceof Map) || rankMap.size !== 0) return new Tiktoken(ranks);
  for (const line of ranks.bpe_ranks.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const offset = Number.parseInt(fields[1]!, 10);
    for (let i = 2; i < fields.length; i++) rankMap.set(rankKey(fields[i]!), offset + i - 2);
  }
  return tiktoken;
}
