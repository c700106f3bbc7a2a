import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { encode as gptTokenizerCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as gptTokenizerO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { getEncoding } from 'js-tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';

import { configureTokenizer, countTokens, measureTokens, measureTokensNow } from 'parlance/core';

import { adversarialPieces } from '../../support/adversarial-pieces';

const corpus = JSON.parse(
  readFileSync(new URL('../../fixtures/tokens/corpus.json', import.meta.url), 'utf8'),
) as Record<string, string[]>;

// The reference: js-tiktoken's full entry, with special-token lookalikes encoded as text.
const reference = {
  cl100k_base: getEncoding('cl100k_base'),
  o200k_base: getEncoding('o200k_base'),
};
// An independent implementation, with the same treatment of special-token lookalikes.
const independent = {
  cl100k_base: (t: string) =>
    gptTokenizerCl100k(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() }),
  o200k_base: (t: string) =>
    gptTokenizerO200k(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() }),
};
const models = { cl100k_base: 'gpt-4', o200k_base: 'gpt-4o' } as const;

beforeAll(() => {
  configureTokenizer({ engine: 'in-process' });
});

describe.each(Object.entries(models))('%s', (encoding, model) => {
  const ref = reference[encoding as keyof typeof reference];
  const other = independent[encoding as keyof typeof independent];

  for (const [group, texts] of Object.entries(corpus)) {
    it(`equals the reference on ${group}`, async () => {
      for (const text of texts) {
        const expected = ref.encode(text, [], []).length;
        expect(await countTokens(text, model), JSON.stringify(text)).toBe(expected);
        expect(other(text).length, JSON.stringify(text)).toBe(expected);
      }
    });
  }

  it('counts special-token lookalikes as text, never as one special token', async () => {
    const n = await countTokens('<|endoftext|>', model);
    expect(n).toBeGreaterThan(1);
    expect(n).not.toBe(ref.encode('<|endoftext|>', 'all').length);
  });

  it('answers synchronously once the ranks are loaded in-process', async () => {
    await countTokens('warm up', model);
    const fresh = `never counted before ${encoding} ${Math.random()}`;
    const result = countTokens(fresh, model);
    expect(typeof result).toBe('number');
    expect(result).toBe(ref.encode(fresh, [], []).length);
    expect(measureTokensNow(fresh, model)?.tokens).toBe(result);
  });

  it('agrees with the reference on random Unicode strings', async () => {
    await countTokens('', model);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(countTokens(text, model)).toBe(ref.encode(text, [], []).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(Object.entries(models))('%s, long runs without spaces', (encoding, model) => {
  const ref = reference[encoding as keyof typeof reference];
  // Mixed-script fragments joined without separators: long pieces that need many merges.
  const fragment = fc.constantFrom(
    '模型',
    '以词元为单位',
    '读取文本',
    '上下文窗口',
    'お誕生日',
    'おめでとう',
    '안녕하세요',
    'Привет',
    'token',
    'ization',
    '🚀',
    '👨‍👩‍👧',
    ' ',
    '\n',
    '123',
    '—',
    'é',
    'ß',
    '<|endoftext|>',
  );

  it('agrees with the reference on random mixed-script text', async () => {
    await countTokens('', model);
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 120 }), (parts) => {
        const text = parts.join('');
        expect(countTokens(text, model)).toBe(ref.encode(text, [], []).length);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees on 2 KB of Chinese in one piece', async () => {
    const chars = [
      ...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经',
    ];
    const text = Array.from({ length: 700 }, (_, i) => chars[(i * 7919) % chars.length]).join('');
    expect(await countTokens(text, model)).toBe(ref.encode(text, [], []).length);
  });
});

// Inputs that make a byte-pair merge slow (test/support/adversarial-pieces.ts, shared with the
// bench): one long piece the split pattern cannot cut. The merge must agree with the reference on
// every one of them, at every size.
describe.each(Object.entries(models))('%s, adversarial pieces', (encoding, model) => {
  const ref = reference[encoding as keyof typeof reference];
  describe.each(Object.entries(adversarialPieces))('%s', (_, make) => {
    it.each([16, 256, 2_000])('agrees with the reference at %i characters', async (size) => {
      const text = make(size);
      expect(await countTokens(text, model)).toBe(ref.encode(text, [], []).length);
    });
  });
});

describe('published counts (OpenAI cookbook, "How to count tokens with tiktoken")', () => {
  it.each([
    ['tiktoken is great!', 'gpt-4o', 6],
    ['antidisestablishmentarianism', 'gpt-4', 6],
    ['antidisestablishmentarianism', 'gpt-4o', 6],
    ['2 + 2 = 4', 'gpt-4', 7],
    ['2 + 2 = 4', 'gpt-4o', 7],
    ['お誕生日おめでとう', 'gpt-4', 9],
    ['お誕生日おめでとう', 'gpt-4o', 8],
  ])('%s on %s is %i tokens', async (text, model, expected) => {
    expect(await countTokens(text, model)).toBe(expected);
  });
});

describe('unknown and approximate models', () => {
  it('counts an unknown model with o200k_base and flags it approximate', async () => {
    const text = 'Hello from a local model';
    const result = await measureTokens(text, 'my-local-llm');
    expect(result.tokens).toBe(reference.o200k_base.encode(text, [], []).length);
    expect(result).toMatchObject({ isApproximate: true, encoding: 'o200k_base' });
    expect((await measureTokens(text, 'gpt-4o')).isApproximate).toBe(false);
  });
});
