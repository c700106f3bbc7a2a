// The tokenizer routes: `POST {basePath}/tokenize` (and `/apply-template` in proxy mode), beside
// `/v1` as llama.cpp and vLLM serve them. Proxy mode passes them to the upstream's root with the
// same body limits, origin rules, rate limits and key handling as the API; offline mode answers
// `/tokenize` itself in vLLM's shape with the kit's own count.
import { getEncoding } from 'js-tiktoken';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { countChatTokens, createTokenizerEndpoint } from 'parlance/core';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { offlineServer, postJson } from './helpers';
import { startUpstream, type FakeUpstream } from './upstream';

const o200k = getEncoding('o200k_base');
const KEY = 'sk-test-tokenize-0123456789SECRET';

describe('offline /tokenize', () => {
  const server = offlineServer();

  test('counts a prompt with o200k in vLLM’s shape', async () => {
    const prompt = 'Hello, 世界! tiktoken is great.';
    const response = await postJson(server, '/tokenize', { model: 'my-local-model', prompt });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      count: o200k.encode(prompt, [], []).length,
      max_model_len: 8_192,
      tokens: [],
    });
  });

  test('accepts llama.cpp’s content field, and a known model’s window', async () => {
    const response = await postJson(server, '/tokenize', { model: 'gpt-4o', content: 'one two three' });
    expect(await response.json()).toMatchObject({ count: 3, max_model_len: 128_000 });
  });

  test('counts messages as the offline chat route reports usage.prompt_tokens', async () => {
    const messages = [
      { role: 'system', content: 'You are brief.' },
      { role: 'user', content: 'What is Parlance?' },
    ];
    const counted = (await (
      await postJson(server, '/tokenize', { model: 'parlance-offline', messages })
    ).json()) as {
      count: number;
    };
    expect(counted.count).toBe(await countChatTokens(messages, 'parlance-offline'));
    const reply = (await (
      await postJson(server, '/v1/chat/completions', { model: 'parlance-offline', messages })
    ).json()) as { usage: { prompt_tokens: number } };
    expect(counted.count).toBe(reply.usage.prompt_tokens);
  });

  test('is what createTokenizerEndpoint reads, under a basePath too', async () => {
    const mounted = offlineServer({ basePath: '/api/parlance' });
    const endpoint = createTokenizerEndpoint({
      baseUrl: 'http://127.0.0.1:8787/api/parlance/v1',
      fetch: (url, init) => mounted.fetch(new Request(url, init)),
    });
    const result = await endpoint.count('a b c d', { model: 'local' });
    expect(result).toEqual({ tokens: 4, kind: 'vllm', maxModelLen: 8_192 });
    expect((await postJson(mounted, '/tokenize', { prompt: 'x' })).status).toBe(404);
  });

  test('refuses bad input with a clear 400, too much text with a 413, other methods with a 405', async () => {
    const small = offlineServer({ bodyLimits: { tokenizeChars: 10 } });
    const bad = await postJson(small, '/tokenize', { prompt: 42 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("'prompt'");
    expect((await postJson(small, '/tokenize', { messages: 'hi' })).status).toBe(400);
    expect((await postJson(small, '/tokenize', { messages: [{ content: 'no role' }] })).status).toBe(400);
    expect((await postJson(small, '/tokenize', '[1,2]')).status).toBe(400);

    const long = await postJson(small, '/tokenize', { prompt: 'x'.repeat(11) });
    expect(long.status).toBe(413);
    expect(await long.json()).toMatchObject({ error: { code: 'text_too_long' } });
    const longChat = await postJson(small, '/tokenize', {
      messages: [
        { role: 'user', content: 'x'.repeat(6) },
        { role: 'user', content: [{ type: 'text', text: 'y'.repeat(6) }] },
      ],
    });
    expect(longChat.status).toBe(413);

    const tinyBody = offlineServer({ bodyLimits: { json: 64 } });
    expect((await postJson(tinyBody, '/tokenize', { prompt: 'z'.repeat(100) })).status).toBe(413);

    const get = await server.fetch(new Request('http://127.0.0.1:8787/tokenize'));
    expect(get.status).toBe(405);
    expect((await postJson(server, '/apply-template', { messages: [] })).status).toBe(404);
  });

  test('follows the origin rules of /v1', async () => {
    const foreign = await postJson(server, '/tokenize', { prompt: 'x' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const local = await postJson(server, '/tokenize', { prompt: 'x' }, { origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const preflight = await server.fetch(
      new Request('http://127.0.0.1:8787/tokenize', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
  });

  test('has its own rate limit', async () => {
    const limited = offlineServer({ rateLimits: { tokenizePerMinute: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(limited, '/tokenize', { prompt: 'x' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    // The chat bucket is untouched.
    const chat = await postJson(limited, '/v1/chat/completions', {
      model: 'parlance-offline',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(200);
  });
});

describe('proxy /tokenize and /apply-template', () => {
  let upstream: FakeUpstream;
  let proxy: ListeningServer;
  const logs: string[] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    upstream = await startUpstream();
    proxy = await createServer({
      upstream: { baseUrl: upstream.url, apiKey: KEY, timeoutMs: 1_000 },
      staticDir: null,
      rateLimits: false,
      log: (line) => logs.push(line),
    }).listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
    for (const text of [...seen, ...logs]) expect(text).not.toContain(KEY);
  });

  afterEach(() => {
    upstream.requests.length = 0;
  });

  async function call(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${proxy.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    seen.push(JSON.stringify([...response.headers]), text);
    return { response, text };
  }

  test('passes /tokenize to the upstream root byte for byte, with the server key only', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
      res.end(JSON.stringify({ tokens: [1, 2, 3] }));
    });
    const body = { content: 'hey you', add_special: false };
    const { response, text } = await call('/tokenize', body, { authorization: 'Bearer sk-client' });
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ tokens: [1, 2, 3] });
    expect(response.headers.get('set-cookie')).toBeNull();
    const [received] = upstream.requests;
    expect(upstream.url.endsWith('/v1')).toBe(true);
    expect(received!.url).toBe('/tokenize');
    expect(received!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(received!.body.toString())).toEqual(body);
  });

  test('lets a client count a llama.cpp conversation through the proxy (apply-template, then tokenize)', async () => {
    upstream.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/apply-template') res.end(JSON.stringify({ prompt: '<s>[INST] hi [/INST]' }));
      else res.end(JSON.stringify({ tokens: Array.from({ length: 9 }, (_, i) => i) }));
    });
    const endpoint = createTokenizerEndpoint({ baseUrl: `${proxy.url}/v1`, kind: 'llama.cpp' });
    const result = await endpoint.countChat([{ role: 'user', content: 'hi' }]);
    expect(result).toEqual({ tokens: 9, kind: 'llama.cpp', maxModelLen: null });
    expect(upstream.requests.map((r) => r.url)).toEqual(['/apply-template', '/tokenize']);
  });

  test('checks the body before forwarding: a 400 or 413 never reaches the upstream', async () => {
    expect((await call('/tokenize', { prompt: 7 })).response.status).toBe(400);
    expect((await call('/apply-template', { prompt: 'x' })).response.status).toBe(400);
    expect((await call('/tokenize', { prompt: 'x'.repeat(200_001) })).response.status).toBe(413);
    expect(upstream.requests).toHaveLength(0);
  });

  test('refuses a foreign origin, and redacts the key from an upstream error', async () => {
    expect(
      (await call('/tokenize', { prompt: 'x' }, { origin: 'http://localhost:3000' })).response.status,
    ).toBe(403);
    upstream.handle((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: `bad key ${KEY}`, type: 'auth', code: 'invalid_api_key' } }),
      );
    });
    const { response, text } = await call('/tokenize', { prompt: 'x' });
    expect(response.status).toBe(401);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(KEY);
  });

  test('an upstream without the endpoint is a 404 the client reads as unavailable', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('File Not Found');
    });
    const endpoint = createTokenizerEndpoint({ baseUrl: `${proxy.url}/v1` });
    await expect(endpoint.count('x')).rejects.toMatchObject({ name: 'ApiError', status: 404 });
    expect(endpoint.status).toBe('unavailable');
  });
});
