// One timed count for bench/node/tokens-adversarial.ts: `tsx tokens-adversarial-run.ts LIBRARY PIECE SIZE`.
// Prints {"ms","tokens"}; loading the ranks is not timed.
import { encode as gptTokenizer } from 'gpt-tokenizer/encoding/o200k_base';
import { getEncoding } from 'js-tiktoken';

import { configureTokenizer, countTokens, preloadTokenizer } from '../../src/core/index';

import { adversarialPieces } from './tokens-pieces';

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
const start = performance.now();
const tokens = count(text);
console.log(JSON.stringify({ ms: performance.now() - start, tokens }));
