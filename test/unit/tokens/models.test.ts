import { afterEach, describe, expect, it } from 'vitest';

import {
  configureTokenizer,
  getModelInfo,
  measureTokens,
  registerModel,
  unregisterModel,
} from 'parlance/core';
import { UNKNOWN_MODEL } from '../../../src/core/tokens/models';

afterEach(() => {
  unregisterModel('llama3.1');
  unregisterModel('proxy-4o');
});

describe('getModelInfo', () => {
  it.each([
    ['gpt-3.5-turbo', 'cl100k_base', 16_385],
    ['gpt-3.5-turbo-0301', 'cl100k_base', 4_096],
    ['gpt-3.5-turbo-0613', 'cl100k_base', 4_096],
    ['gpt-4', 'cl100k_base', 8_192],
    ['gpt-4-turbo-2024-04-09', 'cl100k_base', 128_000],
    ['gpt-4o', 'o200k_base', 128_000],
    ['gpt-4o-2024-08-06', 'o200k_base', 128_000],
    ['gpt-4o-mini-2024-07-18', 'o200k_base', 128_000],
    ['gpt-4.1-nano-2025-04-14', 'o200k_base', 1_047_576],
    ['o1-2024-12-17', 'o200k_base', 200_000],
    ['o3-mini', 'o200k_base', 200_000],
    ['o4-mini-2025-04-16', 'o200k_base', 200_000],
    ['openai/gpt-4o', 'o200k_base', 128_000],
  ])('%s → %s, %i tokens', (id, encoding, contextWindow) => {
    expect(getModelInfo(id)).toMatchObject({ encoding, contextWindow, isKnown: true });
  });

  it('matches the longest prefix at a dash', () => {
    expect(getModelInfo('gpt-4o-mini-2024-07-18').matched).toBe('gpt-4o-mini');
    expect(getModelInfo('gpt-4-0613').matched).toBe('gpt-4');
    // "gpt-4" is not a prefix of "gpt-4o-foo" at a boundary.
    expect(getModelInfo('gpt-4o-foo').matched).toBe('gpt-4o');
  });

  it('never throws on an unknown or empty model', () => {
    for (const id of ['', 'mistral-7b', undefined, null]) {
      expect(getModelInfo(id)).toMatchObject({
        isKnown: false,
        encoding: UNKNOWN_MODEL.encoding,
        matched: null,
      });
    }
  });
});

describe('registerModel', () => {
  it('adds a model with a chosen encoding, matched by prefix too', () => {
    registerModel('proxy-4o', { encoding: 'o200k_base', contextWindow: 64_000, maxOutputTokens: 2_000 });
    expect(getModelInfo('proxy-4o-eu')).toMatchObject({ contextWindow: 64_000, isKnown: true });
  });

  it('counts an approximate model by characters and flags it', async () => {
    configureTokenizer({ engine: 'in-process' });
    registerModel('llama3.1', { encoding: 'approximate', contextWindow: 131_072, maxOutputTokens: 4_096 });
    const latin = await measureTokens('abcdefgh', 'llama3.1:8b');
    expect(latin).toMatchObject({ tokens: 2, isApproximate: true, encoding: 'approximate' });
    expect((await measureTokens('你好世界', 'llama3.1')).tokens).toBe(4);
    expect((await measureTokens('你好 abcd', 'llama3.1')).tokens).toBe(2 + 2);
  });

  it('rejects nonsense', () => {
    expect(() =>
      registerModel('x', { encoding: 'o200k_base', contextWindow: 0, maxOutputTokens: 1 }),
    ).toThrow(RangeError);
  });
});
