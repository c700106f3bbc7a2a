// The kit's core client against software we did not write: `@dwmkerr/mock-llm` (an
// OpenAI-compatible server from npm), directly and through the reference server's proxy, and the
// replayed streams and error bodies of transformers serve, FastAPI, Portkey, Ollama and vLLM.
import {
  AbortError,
  ApiError,
  createChatStore,
  createClient,
  createClientTransport,
  type ChatCompletionChunk,
  type Client,
} from 'parlance/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  REPLAYS,
  fixture,
  startMockLlm,
  startReference,
  startReplay,
  type ReplayName,
  type RunningServer,
} from './servers';

let mock: RunningServer;
let proxy: RunningServer;
let replay: Awaited<ReturnType<typeof startReplay>>;
let replayProxy: RunningServer;

beforeAll(async () => {
  [mock, replay] = await Promise.all([startMockLlm({ chunkSize: 8, intervalMs: 2 }), startReplay()]);
  [proxy, replayProxy] = await Promise.all([
    startReference({ upstream: { baseUrl: mock.baseUrl } }),
    startReference({ upstream: { baseUrl: replay.baseUrl('transformers-stream') } }),
  ]);
});

afterAll(async () => {
  await Promise.all([proxy?.close(), replayProxy?.close()]);
  await Promise.all([mock?.close(), replay?.close()]);
});

const client = (baseUrl: string): Client => createClient({ baseUrl, retry: false, timeoutMs: 20_000 });
const ask = (content: string) => ({ model: 'gpt-4', messages: [{ role: 'user' as const, content }] });
const longText = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

async function streamText(stream: AsyncIterable<ChatCompletionChunk>) {
  let text = '';
  let finish: string | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { text, finish };
}

describe.each([
  ['directly', () => mock.baseUrl],
  ['through the reference proxy', () => proxy.baseUrl],
])('the core client and @dwmkerr/mock-llm, %s', (_, baseUrl) => {
  test('models', async () => {
    const models = await client(baseUrl()).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-5.2']);
  });

  test('chat, plain', async () => {
    const completion = await client(baseUrl()).chat.completions.create(ask('Hello from Parlance'));
    expect(completion.choices[0]!.message.content).toBe('Hello from Parlance');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  test('chat, streamed', async () => {
    const stream = await client(baseUrl()).chat.completions.create({ ...ask(longText), stream: true });
    expect(await streamText(stream)).toEqual({ text: longText, finish: 'stop' });
  });

  test('abort mid-stream: AbortError after the chunks already read', async () => {
    const controller = new AbortController();
    const stream = await client(baseUrl()).chat.completions.create(
      { ...ask(longText), stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    const error = await (async () => {
      for await (const _ of stream) {
        if (++chunks === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(chunks).toBe(2);
  });

  test('a 401 is an ApiError with the server’s message and code', async () => {
    const error = await client(baseUrl())
      .chat.completions.create(ask('error-401'))
      .catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      status: 401,
      message: 'Incorrect API key provided.',
      code: 'invalid_api_key',
    });
  });
});

test('mock-llm’s streamed error (a 200 with one error event) is an ApiError', async () => {
  const stream = await client(mock.baseUrl).chat.completions.create({ ...ask('error-401'), stream: true });
  const error = await streamText(stream).catch((e: unknown) => e);
  expect(ApiError.isInstance(error) && error.message).toBe('Incorrect API key provided.');
});

describe('a transformers serve stream without [DONE]', () => {
  test.each([
    ['directly', () => replay.baseUrl('transformers-stream')],
    ['through the reference proxy', () => replayProxy.baseUrl],
  ])('%s: the core client ends it normally', async (_, baseUrl) => {
    const stream = await client(baseUrl()).chat.completions.create({ ...ask('Capital?'), stream: true });
    expect(await streamText(stream)).toEqual({ text: 'Paris is the capital of France.', finish: 'stop' });
  });

  test('through the reference proxy: the chat store ends the reply done', async () => {
    const store = createChatStore({
      model: 'Qwen/Qwen3-0.6B',
      throttle: 0,
      retry: false,
      transport: createClientTransport({ baseUrl: replayProxy.baseUrl }),
    });
    await store.send('Capital?');
    expect(store.getSnapshot().messages[1]).toMatchObject({
      content: 'Paris is the capital of France.',
      status: 'done',
      finishReason: 'stop',
      error: null,
    });
  });
});

describe('error bodies of other servers, read by the core client', () => {
  const cases: Array<[ReplayName, RegExp]> = [
    ['fastapi-detail', /^Model Qwen\/Qwen3-8B is not available on this server$/],
    ['fastapi-validation', /^messages: Field required$/],
    ['portkey', /^Either x-portkey-config or x-portkey-provider header is required$/],
    ['ollama', /^model "llama3.2" not found, try pulling it first$/],
    ['vllm', /^The model `gpt-4o-mini` does not exist\.$/],
  ];

  test.each(cases)('%s', async (name, message) => {
    const error = await client(replay.baseUrl(name))
      .chat.completions.create(ask('Hi'))
      .catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(REPLAYS[name].status);
    expect(apiError.message).toMatch(message);
    expect(apiError.body).toEqual(JSON.parse(fixture(REPLAYS[name].file)));
  });

  test('vLLM’s type and code come along', async () => {
    const error = await client(replay.baseUrl('vllm'))
      .chat.completions.create(ask('Hi'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, type: 'NotFoundError', code: '404' });
  });
});
