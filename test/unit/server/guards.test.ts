// Cost guards in proxy mode: caps on n and max_tokens, the model allowlist, image sizes per model
// and the per-user daily token budget. Each refusal is OpenAI's envelope with a status, a code and
// a message naming the limit and the setting that changes it, and never reaches the upstream.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { countChatTokens } from '../../../src/core/tokens/count';
import {
  createMemoryStore,
  createServer,
  optionsFromEnv,
  type CostGuardOptions,
  type ServerStore,
} from '../../../src/server/index';
import { modelMatches } from '../../../src/server/guards';
import { envelope, postForm, postJson, png } from './helpers';
import { chunk, sse, startUpstream, type FakeUpstream } from './upstream';

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream?.close();
});

afterEach(() => {
  upstream.requests.length = 0;
});

const messages = [{ role: 'user', content: 'How many tokens is this?' }];

function proxyServer(costGuards: CostGuardOptions | undefined, store?: ServerStore) {
  return createServer({
    upstream: { baseUrl: upstream.url, apiKey: 'sk-guards-0123456789', timeoutMs: 2_000 },
    staticDir: null,
    rateLimits: false,
    costGuards,
    store,
    clientId: () => 'alice',
  });
}

/** The upstream answers every request with a completion whose usage says `completion` tokens. */
function answerJson(completion: number) {
  upstream.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: completion, total_tokens: 1 + completion },
      }),
    );
  });
}

describe('caps', () => {
  let server: ReturnType<typeof proxyServer>;
  beforeAll(() => {
    server = proxyServer({
      maxN: 2,
      maxTokens: 1_000,
      allowedModels: ['gpt-4o-mini', 'gpt-image-*', 'dall-e-2'],
    });
  });

  test.each([
    ['n above the cap', { n: 3 }, 400, 'n_above_limit', 'n', /limit of 2.*PARLANCE_MAX_N/],
    [
      'max_tokens above the cap',
      { max_tokens: 1_001 },
      400,
      'max_tokens_above_limit',
      'max_tokens',
      /1000.*PARLANCE_MAX_TOKENS/,
    ],
    [
      'max_completion_tokens above the cap',
      { max_completion_tokens: 2 ** 40 },
      400,
      'max_tokens_above_limit',
      'max_completion_tokens',
      /1000.*PARLANCE_MAX_TOKENS/,
    ],
    [
      'a model outside the allowlist',
      { model: 'o3-pro' },
      403,
      'model_not_allowed',
      'model',
      /'o3-pro'.*Allowed: gpt-4o-mini, gpt-image-\*, dall-e-2.*PARLANCE_ALLOWED_MODELS/,
    ],
  ])('chat: %s is refused', async (_label, fields, status, code, param, message) => {
    answerJson(1);
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages,
      ...fields,
    });
    expect(response.status).toBe(status);
    const error = await envelope(response);
    expect(error).toMatchObject({ code, param });
    expect(error.message).toMatch(message);
    expect(upstream.requests).toHaveLength(0);
  });

  test('chat within every cap is forwarded unchanged', async () => {
    answerJson(1);
    const body = { model: 'gpt-4o-mini', messages, n: 2, max_tokens: 1_000 };
    const response = await postJson(server, '/v1/chat/completions', body);
    expect(response.status).toBe(200);
    expect(JSON.parse(upstream.requests[0]!.body.toString())).toEqual(body);
  });

  test.each([
    ['n above the cap', { model: 'dall-e-2', n: 3 }, 'n_above_limit', /limit of 2/],
    [
      'a size gpt-image-1.5 does not take',
      { model: 'gpt-image-1.5', size: '1792x1024' },
      'image_size_not_allowed',
      /1024x1024, 1536x1024, 1024x1536, auto/,
    ],
    [
      'a size gpt-image-1-mini does not take',
      { model: 'gpt-image-1-mini', size: '4096x4096' },
      'image_size_not_allowed',
      /1024x1536/,
    ],
    [
      'a gpt-image-2 size not divisible by 16',
      { model: 'gpt-image-2', size: '1000x1000' },
      'image_size_not_allowed',
      /divisible by 16/,
    ],
    [
      'a gpt-image-2 size past 3840x2160',
      { model: 'gpt-image-2', size: '3840x3840' },
      'image_size_not_allowed',
      /3840x2160/,
    ],
    ['no model while an allowlist is set', {}, 'model_not_allowed', /Name one in 'model'/],
  ])('image generation: %s is a 400', async (_label, fields, code, message) => {
    const response = await postJson(server, '/v1/images/generations', { prompt: 'a cat', ...fields });
    expect(response.status).toBe(400);
    const error = await envelope(response);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(upstream.requests).toHaveLength(0);
  });

  test('image generation: a model outside the allowlist is a 403', async () => {
    const response = await postJson(server, '/v1/images/generations', { prompt: 'a cat', model: 'dall-e-3' });
    expect(response.status).toBe(403);
    expect((await envelope(response)).code).toBe('model_not_allowed');
  });

  test('image generation: sizes the model takes are forwarded', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"created":1,"data":[]}');
    });
    for (const fields of [
      { model: 'gpt-image-1.5', size: '1536x1024' },
      { model: 'gpt-image-2', size: '1536x864' },
      { model: 'dall-e-2', size: '512x512', n: 2 },
    ]) {
      const response = await postJson(server, '/v1/images/generations', { prompt: 'a cat', ...fields });
      expect(response.status).toBe(200);
    }
    expect(upstream.requests).toHaveLength(3);
  });

  test('image edit: a size the model does not take is refused from the form', async () => {
    const response = await postForm(server, '/v1/images/edits', {
      image: png(4, 4, () => [0, 0, 0, 255]),
      prompt: 'a hat',
      model: 'gpt-image-1-mini',
      size: '1792x1024',
    });
    expect(response.status).toBe(400);
    expect((await envelope(response)).code).toBe('image_size_not_allowed');
    expect(upstream.requests).toHaveLength(0);
  });

  test('a model the table does not know is held to the pixel limit', async () => {
    const open = proxyServer({ maxImagePixels: 1024 * 1024 });
    const response = await postJson(open, '/v1/images/generations', {
      prompt: 'a cat',
      model: 'my-sd',
      size: '2048x2048',
    });
    expect(response.status).toBe(400);
    expect((await envelope(response)).message).toMatch(/1048576 pixels.*PARLANCE_MAX_IMAGE_PIXELS/);
  });

  test('the defaults: n at most 4, max_tokens at most 16,384', async () => {
    const defaults = proxyServer(undefined);
    const n = await postJson(defaults, '/v1/chat/completions', { model: 'gpt-4o', messages, n: 5 });
    expect(n.status).toBe(400);
    const max = await postJson(defaults, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages,
      max_tokens: 2 ** 53 - 1,
    });
    expect(max.status).toBe(400);
    expect((await envelope(max)).message).toMatch(/16384/);
  });

  test('globs match whole ids only', () => {
    expect(modelMatches('gpt-4o*', 'gpt-4o-mini')).toBe(true);
    expect(modelMatches('gpt-4o*', 'xgpt-4o')).toBe(false);
    expect(modelMatches('gpt-4.1', 'gpt-4x1')).toBe(false);
  });
});

describe('the daily token budget', () => {
  const BUDGET = 400;
  const dayKey = () => `budget:tokens:${new Date().toISOString().slice(0, 10)}:alice`;

  test('counts the prompt, reserves the reply, charges the usage a JSON answer reports, and refuses past the budget', async () => {
    const store = createMemoryStore();
    const server = proxyServer({ dailyTokenBudget: BUDGET }, store);
    const prompt = await countChatTokens(messages, 'gpt-4o-mini');
    answerJson(10);
    const first = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 200,
    });
    expect(first.status).toBe(200);
    await first.text();
    expect(await store.count(dayKey())).toBe(prompt + 10);

    // Needs prompt + 390 more: over the budget with what is spent.
    const second = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 390,
    });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    const error = await envelope(second);
    expect(error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(error.message).toMatch(
      new RegExp(`${prompt + 10} of this user's ${BUDGET} tokens.*PARLANCE_DAILY_TOKEN_BUDGET`),
    );
    expect(upstream.requests).toHaveLength(1);
    expect(await store.count(dayKey())).toBe(prompt + 10);
  });

  test('a prompt too long to count on the request path reserves its size, and the usage the upstream reports settles it', async () => {
    const store = createMemoryStore();
    const server = proxyServer({ dailyTokenBudget: 10_000_000 }, store);
    // 1.6 million characters: counting them exactly would hold the event loop for seconds, so the
    // reserve is their UTF-8 size (no text has more tokens than bytes), not a count.
    const long = [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(60_000) }];
    answerJson(10);
    let reserved = 0;
    const take = store.increment.bind(store);
    store.increment = async (key, amount, ttl) => {
      if (amount > 0 && reserved === 0) reserved = amount;
      return take(key, amount, ttl);
    };
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages: long,
      max_tokens: 100,
    });
    expect(response.status).toBe(200);
    await response.text();
    const size = new TextEncoder().encode(JSON.stringify([long, null])).byteLength;
    expect(reserved).toBe(size + 100);
    // Settled with the upstream's prompt_tokens (1) and completion_tokens (10).
    await expect.poll(() => store.count(dayKey())).toBe(11);
  });

  test('a stream goes upstream with include_usage, and its usage event is what is charged', async () => {
    const store = createMemoryStore();
    const server = proxyServer({ dailyTokenBudget: BUDGET }, store);
    const prompt = await countChatTokens(messages, 'gpt-4o-mini');
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { ...chunk('Hi'), usage: null });
      sse(res, { ...chunk('', 'stop'), usage: null });
      sse(res, {
        id: 'x',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [],
        usage: { prompt_tokens: 9, completion_tokens: 42, total_tokens: 51 },
      });
      sse(res, '[DONE]');
      res.end();
    });
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      max_tokens: 300,
    });
    const text = await response.text();
    expect(text).toContain('"completion_tokens":42');
    const sent = JSON.parse(upstream.requests[0]!.body.toString()) as {
      stream_options?: { include_usage?: boolean };
    };
    expect(sent.stream_options?.include_usage).toBe(true);
    await expect.poll(() => store.count(dayKey())).toBe(prompt + 42);
  });

  test('a stream that never reports usage keeps the reserve charged; an upstream error refunds it', async () => {
    const store = createMemoryStore();
    const server = proxyServer({ dailyTokenBudget: BUDGET }, store);
    const prompt = await countChatTokens(messages, 'gpt-4o-mini');
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('Hi', 'stop'));
      sse(res, '[DONE]');
      res.end();
    });
    const streamed = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      max_tokens: 50,
    });
    await streamed.text();
    await expect.poll(() => store.count(dayKey())).toBe(prompt + 50);

    upstream.handle((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"boom","type":"server_error","param":null,"code":null}}');
    });
    const failed = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 100,
    });
    expect(failed.status).toBe(500);
    await failed.text();
    expect(await store.count(dayKey())).toBe(prompt + 50);
  });

  test('concurrent requests cannot both pass a budget only one fits', async () => {
    const store = createMemoryStore();
    const server = proxyServer({ dailyTokenBudget: BUDGET }, store);
    answerJson(1);
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        postJson(server, '/v1/chat/completions', { model: 'gpt-4o-mini', messages, max_tokens: 250 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 429, 429]);
  });
});

describe('environment', () => {
  test('PARLANCE_MAX_N, PARLANCE_MAX_TOKENS, PARLANCE_ALLOWED_MODELS, PARLANCE_DAILY_TOKEN_BUDGET and PARLANCE_MAX_IMAGE_PIXELS', () => {
    expect(
      optionsFromEnv({
        OPENAI_API_KEY: 'sk-1',
        PARLANCE_MAX_N: '2',
        PARLANCE_MAX_TOKENS: '4096',
        PARLANCE_ALLOWED_MODELS: 'gpt-4o-mini, gpt-image-* ,',
        PARLANCE_DAILY_TOKEN_BUDGET: '100000',
        PARLANCE_MAX_IMAGE_PIXELS: '1048576',
      }).costGuards,
    ).toEqual({
      maxN: 2,
      maxTokens: 4096,
      allowedModels: ['gpt-4o-mini', 'gpt-image-*'],
      dailyTokenBudget: 100_000,
      maxImagePixels: 1_048_576,
    });
    expect(optionsFromEnv({ OPENAI_API_KEY: 'sk-1' }).costGuards).toBeUndefined();
  });

  test('a value that is not a positive whole number is a TypeError naming the variable', () => {
    expect(() => optionsFromEnv({ PARLANCE_DAILY_TOKEN_BUDGET: '10k' })).toThrow(TypeError);
    expect(() => optionsFromEnv({ PARLANCE_MAX_N: '0' })).toThrow(/PARLANCE_MAX_N/);
  });
});
