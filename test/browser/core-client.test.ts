import { expect, inject, test } from 'vitest';

import {
  AbortError,
  ApiError,
  StreamInterruptedError,
  createClient,
  type ChatCompletionChunk,
} from 'parlance/core';
import { ChatCompletionAccumulator } from '../../src/core/stream/accumulate';

const baseUrl = inject('testServerUrl');
const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }];
const client = (testId: string) =>
  createClient({ baseUrl, apiKey: 'sk-browser', headers: { 'x-test-id': testId } });

test('runs in Chromium against a real HTTP server', () => {
  expect(navigator.userAgent).toContain('Chrome');
  expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
});

test('a JSON completion', async () => {
  const reply = await client('json').chat.completions.create({ model: 'scenario-json', messages });
  expect(reply.choices[0]?.message.content).toBe('The capital of France is Paris.');
  expect(reply.usage?.total_tokens).toBe(31);
});

test('a streamed reply arrives chunk by chunk, in order, over time', async () => {
  const stream = await client('stream').chat.completions.create({
    model: 'scenario-stream',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  expect(stream.requestId).toMatch(/^req_fake_/);
  const acc = new ChatCompletionAccumulator();
  const arrivals: number[] = [];
  for await (const chunk of stream) {
    arrivals.push(performance.now());
    acc.add(chunk);
  }
  expect(acc.content).toBe(
    'The capital of France is Paris. It sits on the Seine, and about 2.1 million people live in the city proper.',
  );
  expect(acc.finishReason).toBe('stop');
  expect(acc.usage?.total_tokens).toBe(50);
  // Written 15 ms apart: they must not all arrive at once (no buffering of the whole body).
  expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(200);
});

test('a 429 with Retry-After: 0 is retried once, then streams', async () => {
  const retries: number[] = [];
  const stream = await createClient({
    baseUrl,
    headers: { 'x-test-id': `429-${Math.random()}` },
    onRetry: ({ error }) => retries.push((error as ApiError).status!),
  }).chat.completions.create({ model: 'scenario-rate-limited', messages, stream: true });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(retries).toEqual([429]);
  expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('The capital of');
});

test.each(['scenario-cut', 'scenario-reset'])(
  '%s: StreamInterruptedError, chunks before it kept',
  async (model) => {
    const stream = await client(model).chat.completions.create({ model, messages, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    expect((error as StreamInterruptedError).chunks).toEqual(chunks);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toMatch(/^This/);
  },
);

test('abort mid-stream ends the loop with AbortError', async () => {
  const controller = new AbortController();
  const stream = await client('abort').chat.completions.create(
    { model: 'scenario-stream', messages, stream: true },
    { signal: controller.signal },
  );
  let count = 0;
  const error = await (async () => {
    for await (const _ of stream) if (++count === 3) controller.abort();
  })().catch((e: unknown) => e);
  expect(count).toBe(3);
  expect(AbortError.isInstance(error)).toBe(true);
});

test('a 401 rejects with ApiError', async () => {
  const error = await client('401')
    .chat.completions.create({ model: 'scenario-unauthorized', messages })
    .catch((e: unknown) => e);
  expect(ApiError.isInstance(error) && error).toMatchObject({ status: 401, code: 'invalid_api_key' });
});
