// One timed count for bench/node/tokens-adversarial.ts: `tsx tokens-adversarial-run.ts LIBRARY PIECE SIZE`.
// Prints {"ms","tokens"}: the best of up to twenty runs; loading the ranks is not timed.
import { encode as gptTokenizer } from 'gpt-tokenizer/encoding/o200k_base';
import { getEncoding } from 'js-tiktoken';

import { configureTokenizer, countTokens, preloadTokenizer } from '../../src/core/index';

import { adversarialPieces } from '../../test/support/adversarial-pieces';

const [library, piece, size] = process.argv.slice(2) as [string, string, string];
const text = adversarialPieces[piece]!(Number(size));

let count: (text: string) => number;
if (library === 'parlance') {
  configureTokenizer({ engine: 'in-process' });
  await preloadTokenizer('gpt-4o');
  count = (t) => countTokens(t, 'gpt-4o') as number;
} else if (library === 'gpt-tokenizer') {
  count = (t) => gptTokenizer(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() }).length;
} else {
  const encoding = getEncoding('o200k_base');
  count = (t) => encoding.encode(t, [], []).length;
}
count('warm up');
const RUNS = 20;
const PREFIXES: Record<string, string> = {
  'a CJK run': '我你他她它们这那里外上下左右前后东西南北',
  'an emoji run': '!#%&*+-=?@^~|<>:;,._',
};
// The best of up to twenty runs, while they take under a second in all: a single run of a few
// milliseconds is mostly noise (and would make the growth ratios noise too).
let best = Infinity;
let tokens = 0;
for (let run = 0, spent = 0; run < RUNS && (run === 0 || spent < 1_000); run++) {
  // Each run counts a new piece (one more character in front), so no library's cache of pieces
  // answers a run from the one before.
  const fresh = [...(PREFIXES[piece] ?? 'bcdfghjklmnpqrstvwxz')][run]! + text;
  const start = performance.now();
  const counted = count(fresh);
  const ms = performance.now() - start;
  best = Math.min(best, ms);
  // The figure compared across libraries is the first run's: every library counts that text.
  if (run === 0) tokens = counted;
  spent += ms;
}
console.log(JSON.stringify({ ms: best, tokens }));
