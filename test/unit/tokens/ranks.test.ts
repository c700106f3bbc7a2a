import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { compactRanks, moduleSource, outputPath, SOURCES, tokensOf } from '../../../scripts/generate-ranks';
import { RankTable } from '../../../src/core/tokens/encoder';
import cl100k from '../../../src/core/tokens/ranks/cl100k_base';
import o200k from '../../../src/core/tokens/ranks/o200k_base';

const COMPACT = { cl100k_base: cl100k, o200k_base: o200k };

describe.each(Object.keys(SOURCES) as (keyof typeof SOURCES)[])('compact ranks: %s', (encoding) => {
  it('are what the generator writes from the installed js-tiktoken (npx tsx scripts/generate-ranks.ts)', () => {
    const fresh = compactRanks(SOURCES[encoding]);
    expect(readFileSync(outputPath(encoding), 'utf8')).toBe(moduleSource(encoding, fresh));
    expect(COMPACT[encoding]).toEqual(fresh);
  }, 30_000);

  it("rebuild every one of js-tiktoken's tokens at its rank, and nothing else", () => {
    const table = new RankTable(COMPACT[encoding]);
    const tokens = tokensOf(SOURCES[encoding]);
    expect(tokens.length).toBe(COMPACT[encoding].tokens);
    const wrong = tokens.flatMap((token, rank) => {
      const bytes = new Uint8Array(token);
      return table.get(bytes, 0, bytes.length) === rank ? [] : [rank];
    });
    expect(wrong).toEqual([]);
    // Byte strings that are not tokens are not found.
    const notTokens = ['\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001', 'zzqxzzqxzzqx', '🚀🚀🚀🚀'].map(
      (s) => new TextEncoder().encode(s),
    );
    for (const bytes of notTokens) expect(table.get(bytes, 0, bytes.length)).toBe(Infinity);
  });

  it('refuse damaged data with a clear error', () => {
    const ranks = COMPACT[encoding];
    expect(() => new RankTable({ ...ranks, data: ranks.data.slice(0, -400) })).toThrow(/damaged/);
  });
});
