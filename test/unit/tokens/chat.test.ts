import { readFileSync } from 'node:fs';

import { getEncoding } from 'js-tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  configureTokenizer,
  countChatTokens,
  measureChatTokens,
  type ChatCompletionMessageParam,
  type TokenMessage,
} from 'parlance/core';
import { imageTokens } from '../../../src/core/tokens/images';

interface UsageFixture {
  request: { messages: ChatCompletionMessageParam[] };
  usage: { model: string; prompt_tokens: number }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/tokens/cookbook-usage.json', import.meta.url), 'utf8'),
) as UsageFixture;

beforeAll(() => {
  configureTokenizer({ engine: 'in-process' });
});

describe('countChatTokens equals the API’s usage.prompt_tokens', () => {
  it.each(fixture.usage.map((u) => [u.model, u.prompt_tokens] as const))(
    '%s: %i',
    async (model, promptTokens) => {
      expect(await countChatTokens(fixture.request.messages, model)).toBe(promptTokens);
    },
  );

  it('applies the 0301 format: 4 per message, a name replaces the role', async () => {
    const cl = getEncoding('cl100k_base');
    const one: TokenMessage[] = [{ role: 'user', name: 'ada', content: 'Hi there' }];
    const text = cl.encode('user').length + cl.encode('ada').length + cl.encode('Hi there').length;
    expect(await countChatTokens(one, 'gpt-3.5-turbo-0301')).toBe(text + 4 - 1 + 3);
    expect(await countChatTokens(one, 'gpt-4-0613')).toBe(text + 3 + 1 + 3);
  });

  it('counts each message with its overhead', async () => {
    const result = await measureChatTokens(fixture.request.messages, 'gpt-4o');
    expect(result.perMessage).toHaveLength(6);
    expect(result.perMessage.reduce((a, b) => a + b, result.primer)).toBe(124);
    expect(result.isApproximate).toBe(false);
  });

  it('counts the text parts of array content like the same string', async () => {
    const asString = await countChatTokens([{ role: 'user', content: 'Describe the picture' }], 'gpt-4o');
    const asParts = await countChatTokens(
      [{ role: 'user', content: [{ type: 'text', text: 'Describe the picture' }] }],
      'gpt-4o',
    );
    expect(asParts).toBe(asString);
  });
});

describe('image parts', () => {
  const tiles = { kind: 'tiles', base: 85, perTile: 170 } as const;

  it.each([
    ['low detail, any size', 'low', { width: 4096, height: 8192 }, 85],
    ['1024 square, high', 'high', { width: 1024, height: 1024 }, 765],
    ['2048×4096, high', 'high', { width: 2048, height: 4096 }, 1105],
    ['512 square, auto', 'auto', { width: 512, height: 512 }, 255],
  ] as const)('%s', (_, detail, size, expected) => {
    expect(imageTokens(tiles, detail, size)).toEqual({ tokens: expected, isApproximate: false });
  });

  it('charges the worst case and flags the count when the size is unknown', async () => {
    expect(imageTokens(tiles, 'high', undefined)).toEqual({ tokens: 85 + 170 * 8, isApproximate: true });
    const message: TokenMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
      ],
    };
    const unsized = await measureChatTokens([message], 'gpt-4o');
    expect(unsized.isApproximate).toBe(true);
    const sized = await measureChatTokens([message], 'gpt-4o', {
      imageSize: () => ({ width: 1024, height: 1024 }),
    });
    expect(sized.isApproximate).toBe(false);
    expect(unsized.tokens - sized.tokens).toBe(85 + 170 * 8 - 765);
  });

  it('uses the patch rule for models that publish one', () => {
    const rule = { kind: 'patches', multiplier: 1.62 } as const;
    // 1024×1024: 32×32 patches = 1024, under the 1,536 cap.
    expect(imageTokens(rule, 'high', { width: 1024, height: 1024 }).tokens).toBe(Math.ceil(1024 * 1.62));
    // 1800×2400 is scaled down to at most 1,536 patches.
    expect(imageTokens(rule, 'high', { width: 1800, height: 2400 }).tokens).toBeLessThanOrEqual(
      Math.ceil(1536 * 1.62),
    );
  });
});
