import { encode as gptTokenizerO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { getEncoding } from 'js-tiktoken';
import { bench, describe } from 'vitest';

import { configureTokenizer, measureChatTokens, preloadTokenizer } from 'parlance/core';
import { Tokenizer } from '../src/core/tokens/tokenizer';

import { chineseText, englishText, longConversation } from './tokens-corpus';

// Node runs the tokenizer in-process, so "Parlance" here also pays for encoding the draft,
// which a browser does in the worker: an upper bound on its main-thread cost.
configureTokenizer({ engine: 'in-process' });
await preloadTokenizer('gpt-4o');
const history = longConversation(500);
await measureChatTokens(history, 'gpt-4o');
const reference = getEncoding('o200k_base');

let keystroke = 0;
const draftBase = 'Could you summarise the discussion above and list the open question';
const draft = () => ({ role: 'user', content: draftBase.slice(0, 20 + (keystroke++ % 48)) });

describe('per keystroke: prompt tokens of a 500-message conversation plus the draft (o200k)', () => {
  bench('Parlance (counts of unchanged messages cached)', () => {
    measureChatTokens([...history, draft()], 'gpt-4o');
  });
  bench('js-tiktoken, recounting every message (naive)', () => {
    let total = 3;
    for (const m of [...history, draft()])
      total += 3 + reference.encode(m.role).length + reference.encode(m.content).length;
    if (total < 0) throw new Error('unreachable');
  });
});

const englishMB = englishText(1_000_000);
const chinese200K = chineseText(200_000);
const uncached = new Tokenizer({ engine: 'in-process', cacheSize: 0 });
await uncached.load('o200k_base');
const once = { iterations: 3, time: 0, warmupIterations: 1 };

describe('throughput: 1 MB of English (o200k)', () => {
  bench('Parlance (no message cache)', () => void uncached.count('o200k_base', [englishMB]), once);
  bench('gpt-tokenizer', () => void gptTokenizerO200k(englishMB), once);
  bench('js-tiktoken', () => void reference.encode(englishMB), once);
});

describe('throughput: 200 KB of Chinese (o200k)', () => {
  bench('Parlance (no message cache)', () => void uncached.count('o200k_base', [chinese200K]), once);
  bench('gpt-tokenizer', () => void gptTokenizerO200k(chinese200K), once);
  bench('js-tiktoken', () => void reference.encode(chinese200K), once);
});
