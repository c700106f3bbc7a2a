import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

/** Counts the tokens of one text. */
export type CountFn = (text: string) => number;

/**
 * Special-token lookalikes in user text (`<|endoftext|>`) are ordinary text to the API, so
 * nothing is allowed as special and nothing is refused: the default would throw on them.
 */
export function countWith(tiktoken: Tiktoken): CountFn {
  return (text) => (text === '' ? 0 : tiktoken.encode(text, [], []).length);
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
