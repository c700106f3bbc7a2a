// The default transport over real HTTP: the chat store against the fake OpenAI server.
import { createChatStore, createClientTransport } from 'parlance/core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { chunk } from '../../support/fake-fetch';
import { startFakeOpenAI, type FakeOpenAI } from '../../support/fake-openai-server';
import { readStreamFixture } from '../../support/fixtures';

let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());

function chat(options: Parameters<typeof createChatStore>[0] = {}) {
  return createChatStore({
    model: 'gpt-4o-mini',
    throttle: 0,
    retry: { baseDelayMs: 1, jitter: false },
    transport: createClientTransport(() => ({ baseUrl: server.url, headers: { 'x-from': 'client' } })),
    ...options,
  });
}

test('streams over HTTP with stream_options.include_usage and the extra headers', async () => {
  server.script({ type: 'raw', chunks: [readStreamFixture('english-usage')] });
  const store = chat({ headers: { 'x-turn': '1' }, maxTokens: 64 });
  const result = await store.send('Hello');
  const request = server.requests.at(-1)!;
  expect(request.json).toMatchObject({
    model: 'gpt-4o-mini',
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 64,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  expect(request.headers['x-from']).toBe('client');
  expect(request.headers['x-turn']).toBe('1');
  expect(result).toMatchObject({ type: 'finished', reason: 'stop' });
  const reply = store.getSnapshot().messages[1]!;
  expect(reply.status).toBe('done');
  expect(reply.content.length).toBeGreaterThan(0);
  expect(reply.usage?.total_tokens).toBeGreaterThan(0);
});

test('a 429 with Retry-After over HTTP: wait shown, retried once by the store (not twice by the client)', async () => {
  server.script({
    type: 'json',
    status: 429,
    headers: { 'retry-after-ms': '20' },
    body: { error: { message: 'Rate limit', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
  });
  server.script({ type: 'sse', events: [chunk('ok', 'stop')] });
  const store = chat();
  const waits: number[] = [];
  store.subscribe(() => {
    const retry = store.getSnapshot().retryWait;
    if (retry) waits.push(retry.delayMs);
  });
  const before = server.requests.length;
  await store.send('Hi');
  expect(waits).toContain(20);
  expect(server.requests.length - before).toBe(2);
  expect(store.getSnapshot().messages[1]!.content).toBe('ok');
});

test('a socket reset mid-stream: the partial reply is interrupted', async () => {
  const reply = server.script({ type: 'controlled' });
  const store = chat();
  const sent = store.send('Hi');
  await reply.request;
  reply.write(chunk('Partial '));
  reply.write(chunk('answer'));
  await new Promise((r) => setTimeout(r, 50));
  reply.reset();
  await sent;
  expect(store.getSnapshot().messages[1]).toMatchObject({ content: 'Partial answer', status: 'interrupted' });
  expect(store.getSnapshot().status).toBe('error');
});
