import { afterAll, beforeAll, expect, test } from 'vitest';

import {
  AbortError,
  ApiError,
  StreamInterruptedError,
  createClient,
  type ChatCompletionChunk,
} from 'parlance/core';

import { chunk } from '../../support/fake-fetch';
import { startFakeOpenAI, type FakeOpenAI } from '../../support/fake-openai-server';
import { readResponseFixture, readStreamFixture } from '../../support/fixtures';

let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());

const body = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hi' }],
  stream: true as const,
};
const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

test('a held-open stream delivers each chunk as it is written', async () => {
  const reply = server.script({ type: 'controlled' });
  const client = createClient({ baseUrl: server.url, apiKey: 'sk-local' });
  const stream = await client.chat.completions.create(body);
  const request = await reply.request;
  expect(request.path).toBe('/chat/completions');
  expect(request.headers.authorization).toBe('Bearer sk-local');
  expect(request.json).toEqual(body);

  const iterator = stream[Symbol.asyncIterator]();
  reply.write(chunk('first'));
  expect((await iterator.next()).value?.choices[0]?.delta.content).toBe('first');
  reply.write(': keep-alive\n\n');
  reply.write(chunk(' second', 'stop'));
  expect((await iterator.next()).value?.choices[0]?.delta.content).toBe(' second');
  reply.done();
  expect((await iterator.next()).done).toBe(true);
});

test('a recorded stream sent in small raw pieces over HTTP', async () => {
  const raw = readStreamFixture('chinese-emoji');
  const pieces = Array.from({ length: Math.ceil(raw.length / 7) }, (_, i) => raw.subarray(i * 7, i * 7 + 7));
  server.script({ type: 'raw', chunks: pieces });
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of await createClient({ baseUrl: server.url }).chat.completions.create(body))
    chunks.push(c);
  expect(text(chunks)).toBe('你好！我是一个人工智能助手🤖。今天天气很好 ☀️，适合去公园散步 🌳。祝你愉快！👨‍👩‍👧');
});

test('abort mid-stream: AbortError, consumed chunks kept', async () => {
  const reply = server.script({ type: 'controlled' });
  const controller = new AbortController();
  const stream = await createClient({ baseUrl: server.url }).chat.completions.create(body, {
    signal: controller.signal,
  });
  const received: ChatCompletionChunk[] = [];
  reply.write(chunk('kept'));
  const error = await (async () => {
    for await (const c of stream) {
      received.push(c);
      controller.abort();
    }
  })().catch((e: unknown) => e);
  expect(text(received)).toBe('kept');
  expect(AbortError.isInstance(error)).toBe(true);
});

test.each(['cut', 'reset'] as const)(
  'a stream that ends without [DONE] (%s): StreamInterruptedError after its chunks',
  async (how) => {
    const reply = server.script({ type: 'controlled' });
    const stream = await createClient({ baseUrl: server.url }).chat.completions.create(body);
    const received: ChatCompletionChunk[] = [];
    reply.write(chunk('a'));
    reply.write(chunk('b'));
    const error = await (async () => {
      for await (const c of stream) {
        received.push(c);
        if (received.length === 2) reply[how]();
      }
    })().catch((e: unknown) => e);
    expect(text(received)).toBe('ab');
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect((error as StreamInterruptedError).chunks).toHaveLength(2);
  },
);

test('429 with Retry-After: 0 is retried; the second answer wins', async () => {
  server.script({
    type: 'json',
    status: 429,
    headers: { 'retry-after': '0' },
    body: readResponseFixture('error-429.json'),
  });
  server.script({ type: 'sse', events: [chunk('after retry', 'stop')] });
  const before = server.requests.length;
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of await createClient({ baseUrl: server.url }).chat.completions.create(body))
    chunks.push(c);
  expect(text(chunks)).toBe('after retry');
  expect(server.requests.length - before).toBe(2);
});

test('a proxy HTML page and an unknown model become readable ApiErrors', async () => {
  server.script({ type: 'text', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
  server.script({ type: 'json', status: 404, body: readResponseFixture('error-404-model.json') });
  const client = createClient({ baseUrl: server.url, retry: false });
  const proxy = await client.chat.completions.create(body).catch((e: unknown) => e);
  expect(ApiError.isInstance(proxy) && proxy.message).toBe('HTTP 502 Bad Gateway: 502 Bad Gateway');
  const model = await client.chat.completions.create(body).catch((e: unknown) => e);
  expect(ApiError.isInstance(model) && model).toMatchObject({ status: 404, code: 'model_not_found' });
  expect((model as ApiError).requestId).toMatch(/^req_fake_/);
});

test('images.edit reaches the server as multipart with both files', async () => {
  const reply = server.script({ type: 'json', body: readResponseFixture('images-b64.json') });
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const result = await createClient({ baseUrl: server.url }).images.edit({
    image: new Blob([png], { type: 'image/png' }),
    mask: new Blob([png], { type: 'image/png' }),
    prompt: 'a fox',
  });
  expect(result.data?.[0]?.b64_json).toMatch(/^iVBOR/);
  const request = await reply.request;
  expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  const raw = request.body.toString('latin1');
  expect(raw).toContain('name="image"; filename="image.png"');
  expect(raw).toContain('name="mask"; filename="mask.png"');
  expect(raw).toContain('a fox');
});
