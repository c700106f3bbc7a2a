import { getEncoding } from 'js-tiktoken';
import { beforeEach, describe, expect, test } from 'vitest';

import {
  buildChatRequest,
  configureTokenizer,
  countChatTokens,
  estimateCost,
  estimateRequestCost,
  findModelPrice,
  measureChatTokens,
  planChatRequest,
  sumUsage,
  type ChatRequestPlan,
  type ModelPrices,
} from 'parlance/core';
import { imageSizeFromBytes, imageSizeFromDataUrl } from '../../../src/core/tokens/images';

import { createOfflineEngine } from '../../../src/server/offline/index';

const o200k = getEncoding('o200k_base');
const tokens = (text: string) => o200k.encode(text, [], []).length;

beforeEach(() => {
  configureTokenizer({ engine: 'in-process' });
});

// Example prices for the tests only: Parlance ships none.
const prices: ModelPrices = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, currency: 'EUR' },
};

describe('estimateCost', () => {
  test('prices usage per million tokens, cached prompt tokens at the cached price', () => {
    const cost = estimateCost(
      {
        prompt_tokens: 2_000,
        completion_tokens: 500,
        total_tokens: 2_500,
        prompt_tokens_details: { cached_tokens: 1_000 },
      },
      prices['gpt-4o']!,
    );
    expect(cost.input).toBeCloseTo(0.0025, 10);
    expect(cost.cachedInput).toBeCloseTo(0.00125, 10);
    expect(cost.output).toBeCloseTo(0.005, 10);
    expect(cost.total).toBeCloseTo(0.00875, 10);
    expect(cost.currency).toBe('USD');
  });

  test('plain token counts; cached input defaults to the input price; other currencies', () => {
    expect(estimateCost({ input: 1e6, cachedInput: 5e5 }, { input: 2, output: 8 }).total).toBe(2);
    expect(estimateCost({ input: 1e6, output: 1e6 }, prices['gpt-4o-mini']!)).toMatchObject({
      total: 0.75,
      currency: 'EUR',
    });
  });

  test('refuses a negative or non-finite price with a RangeError', () => {
    expect(() => estimateCost({ input: 1 }, { input: -1, output: 1 })).toThrow(RangeError);
    expect(() => estimateCost({ input: 1 }, { input: 1, output: Number.NaN })).toThrow(/output/);
  });

  test('the next request: prompt at the input price plus the longest reply at the output price', () => {
    const cost = estimateRequestCost({ promptTokens: 182, maxReplyTokens: 20 }, prices['gpt-4o']!);
    expect(cost.input).toBeCloseTo((182 * 2.5) / 1e6, 12);
    expect(cost.maxOutput).toBeCloseTo((20 * 10) / 1e6, 12);
    expect(cost.total).toBeCloseTo(cost.input + cost.maxOutput, 12);
  });

  test('finds a price by id, by dated snapshot, behind a provider prefix; not by a partial word', () => {
    expect(findModelPrice(prices, 'gpt-4o')).toBe(prices['gpt-4o']);
    expect(findModelPrice(prices, 'gpt-4o-2024-08-06')).toBe(prices['gpt-4o']);
    expect(findModelPrice(prices, 'gpt-4o-mini-2024-07-18')).toBe(prices['gpt-4o-mini']);
    expect(findModelPrice(prices, 'openai/gpt-4o')).toBe(prices['gpt-4o']);
    expect(findModelPrice(prices, 'gpt-4oo')).toBeUndefined();
    expect(findModelPrice(undefined, 'gpt-4o')).toBeUndefined();
  });

  test('sums the usage of a conversation, cached tokens included', () => {
    const usage = sumUsage([
      { usage: null },
      { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
      {
        usage: {
          prompt_tokens: 30,
          completion_tokens: 7,
          total_tokens: 37,
          prompt_tokens_details: { cached_tokens: 8 },
        },
      },
    ]);
    expect(usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 12,
      total_tokens: 52,
      prompt_tokens_details: { cached_tokens: 8 },
    });
  });
});

function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

function jpeg(width: number, height: number, exifBytes = 0): Uint8Array {
  const app1 =
    exifBytes > 0
      ? [0xff, 0xe1, (exifBytes + 2) >> 8, (exifBytes + 2) & 0xff, ...new Array<number>(exifBytes).fill(0)]
      : [];
  const sof = [
    0xff,
    0xc0,
    0,
    17,
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3,
    ...new Array<number>(9).fill(0),
  ];
  return new Uint8Array([0xff, 0xd8, ...app1, ...sof, 0xff, 0xd9]);
}

const dataUrl = (mime: string, bytes: Uint8Array) =>
  `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;

describe('image sizes from headers', () => {
  test('PNG, JPEG (past a large EXIF block), GIF, WebP', () => {
    expect(imageSizeFromBytes(png(1024, 600))).toEqual({ width: 1024, height: 600 });
    expect(imageSizeFromBytes(jpeg(4032, 3024, 40_000))).toEqual({ width: 4032, height: 3024 });
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x40, 0x01, 0xf0, 0x00]);
    expect(imageSizeFromBytes(gif)).toEqual({ width: 320, height: 240 });
    const webp = new Uint8Array(30);
    webp.set(
      [...'RIFF'].map((c) => c.charCodeAt(0)),
      0,
    );
    webp.set(
      [...'WEBPVP8X'].map((c) => c.charCodeAt(0)),
      8,
    );
    webp.set([0xff, 0x03, 0x00, 0x57, 0x02, 0x00], 24); // 1024 × 600, stored minus one
    expect(imageSizeFromBytes(webp)).toEqual({ width: 1024, height: 600 });
    expect(imageSizeFromBytes(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  test('data URLs are sized; other URLs are not', () => {
    expect(imageSizeFromDataUrl(dataUrl('image/jpeg', jpeg(800, 2000, 60_000)))).toEqual({
      width: 800,
      height: 2000,
    });
    expect(imageSizeFromDataUrl('https://example.com/a.png')).toBeUndefined();
    expect(imageSizeFromDataUrl('data:text/plain,hello')).toBeUndefined();
  });

  test('a sized data-URL image is charged exactly, an unsized one the worst case, flagged', async () => {
    const part = (url: string) => ({ type: 'image_url' as const, image_url: { url } });
    const sized = await measureChatTokens(
      [
        {
          role: 'user',
          content: [{ type: 'text', text: 'What is this?' }, part(dataUrl('image/png', png(1024, 600)))],
        },
      ],
      'gpt-4o',
    );
    // 1024×600: no scaling, 2×2 tiles of 512: 85 + 4 × 170.
    expect(sized.tokens).toBe(3 + tokens('user') + tokens('What is this?') + 765 + 3);
    expect(sized.isApproximate).toBe(false);
    const unsized = await measureChatTokens(
      [{ role: 'user', content: [part('https://example.com/a.png')] }],
      'gpt-4o',
    );
    expect(unsized.isApproximate).toBe(true);
  });
});

describe('buildChatRequest and planChatRequest', () => {
  const history = [
    { id: 'u1', role: 'user' as const, content: 'Hi' },
    { id: 'a1', role: 'assistant' as const, content: 'Hello! How can I help?' },
    { id: 'a-empty', role: 'assistant' as const, content: '' },
  ];

  test('builds what the store sends: system first, instructions in the last user turn, max_tokens, body', () => {
    const { body } = buildChatRequest(
      {
        model: 'gpt-4o',
        system: 'Be brief.',
        instructions: 'Answer in French.',
        maxTokens: 20,
        body: { top_p: 0.5 },
      },
      history,
      'What time is it?',
    );
    expect(body).toEqual({
      top_p: 0.5,
      model: 'gpt-4o',
      max_tokens: 20,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: 'Answer in French.\n\nWhat time is it?' },
      ],
    });
  });

  test('counts the system message and honours max_tokens in the reply room', async () => {
    const draft = buildChatRequest({ model: 'gpt-4o', system: 'Be brief.', maxTokens: 20 }, history, 'Next?');
    const plan = (await planChatRequest(draft)) as ChatRequestPlan;
    expect(plan.promptTokens).toBe(await countChatTokens(draft.body.messages, 'gpt-4o'));
    expect(plan.replyRoom).toBe(128_000 - plan.promptTokens);
    expect(plan.maxReplyTokens).toBe(20);
    const open = (await planChatRequest(
      buildChatRequest({ model: 'gpt-4o' }, history, 'Next?'),
    )) as ChatRequestPlan;
    expect(open.maxReplyTokens).toBe(16_384); // the model's output limit, not the whole window
    const newer = buildChatRequest(
      { model: 'gpt-4o', body: { max_completion_tokens: 50 } },
      history,
      'Next?',
    );
    expect(((await planChatRequest(newer)) as ChatRequestPlan).maxReplyTokens).toBe(50);
  });

  test('trims with a context policy, never the system message, and names what was dropped', async () => {
    const long = [
      { id: 'old', role: 'user' as const, content: 'word '.repeat(3_500) },
      { id: 'old-reply', role: 'assistant' as const, content: 'ok' },
      { id: 'new', role: 'user' as const, content: 'And now?' },
    ];
    const draft = buildChatRequest({ model: 'gpt-3.5-turbo-0613', system: 'Be brief.' }, long);
    const plan = await planChatRequest(draft, { policy: 'dropOldest' });
    expect(plan.droppedIds).toEqual(['old', 'old-reply']);
    expect(plan.droppedCount).toBe(2);
    expect(plan.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(plan.promptTokens).toBe(await countChatTokens(plan.body.messages, 'gpt-3.5-turbo-0613'));
    expect(plan.droppedTokens).toBeGreaterThan(3_000);
  });

  test('tool definitions are counted, flagged approximate, and the server counts them the same way', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: {
            type: 'object',
            properties: {
              city: { type: 'string', description: 'City name' },
              unit: { type: 'string', enum: ['c', 'f'] },
            },
            required: ['city'],
          },
        },
      },
    ];
    const messages = [{ role: 'user', content: 'Weather in Paris?' }];
    const without = await measureChatTokens(messages, 'gpt-4o');
    const withTools = await measureChatTokens(messages, 'gpt-4o', { tools });
    expect(withTools.tools).toBeGreaterThan(20);
    expect(withTools.tokens).toBe(without.tokens + withTools.tools);
    expect(withTools.isApproximate).toBe(true);
    const draft = buildChatRequest({ model: 'gpt-4o', body: { tools } }, [], 'Weather in Paris?');
    expect((await planChatRequest(draft)).promptTokens).toBe(withTools.tokens);
  });
});

describe('the offline reference server counts as the client does', () => {
  const engine = createOfflineEngine({
    documents: [{ path: 'docs/a.md', text: '# Kites\n\nFly in steady wind.' }],
  });
  const usageOf = async (body: object) => {
    const response = await engine.fetch('https://offline.invalid/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { usage: { prompt_tokens: number } }).usage.prompt_tokens;
  };

  test('system message, instructions, a data-URL image and tools', async () => {
    const tools = [
      {
        type: 'function',
        function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
      },
    ];
    const image = dataUrl('image/png', png(1024, 600));
    const draft = buildChatRequest(
      { model: 'gpt-4o', system: 'Be brief.', instructions: 'Answer in English.', body: { tools } },
      [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
      ],
      [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: image } },
      ],
    );
    const plan = await planChatRequest(draft);
    expect(await usageOf(draft.body)).toBe(plan.promptTokens);
  });

  test('malformed tool definitions are counted as far as they go, never a server error', async () => {
    const tools = [
      null,
      'x',
      { type: 'function', function: { name: 'f', parameters: { properties: { a: null, b: 5 } } } },
    ];
    const usage = await usageOf({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], tools });
    expect(usage).toBeGreaterThan(await countChatTokens([{ role: 'user', content: 'Hi' }], 'gpt-4o'));
  });
});
