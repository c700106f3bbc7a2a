// The AI SDK 5 (`ai`) with `@ai-sdk/openai-compatible` and `@ai-sdk/openai`'s `.chat` against the
// reference server (offline, over HTTP on 127.0.0.1), and against a replayed stream without [DONE].
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, streamText, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { startClientSuiteServers, type RunningServer, type startReplay } from './servers';

let servers: Awaited<ReturnType<typeof startClientSuiteServers>> | undefined;
let reference: RunningServer;
let paced: RunningServer;
let replay: Awaited<ReturnType<typeof startReplay>>;
let mock: RunningServer;

beforeAll(async () => {
  servers = await startClientSuiteServers();
  ({ reference, paced, replay, mock } = servers);
});

afterAll(async () => {
  await servers?.close();
});

const providers: Record<string, (baseURL: string, model?: string) => LanguageModel> = {
  '@ai-sdk/openai-compatible': (baseURL, model = 'gpt-4o-mini') =>
    createOpenAICompatible({ name: 'parlance', baseURL, apiKey: 'sk-offline', includeUsage: true })(model),
  '@ai-sdk/openai .chat': (baseURL, model = 'gpt-4o-mini') =>
    createOpenAI({ baseURL, apiKey: 'sk-offline' }).chat(model),
};

const prompt = 'What does useChat return?';

describe.each(Object.entries(providers))('ai with %s', (name, model) => {
  test('chat, plain, with usage', async () => {
    const result = await generateText({ model: model(reference.baseUrl), prompt, maxRetries: 0 });
    expect(result.text).toMatch(/^_Offline mode/);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.totalTokens).toBe(result.usage.inputTokens! + result.usage.outputTokens!);
  });

  test('chat, streamed, with usage', async () => {
    const errors: unknown[] = [];
    const result = streamText({
      model: model(reference.baseUrl),
      prompt,
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(errors).toEqual([]);
    expect(text).toMatch(/^_Offline mode/);
    expect(await result.finishReason).toBe('stop');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  test('abort mid-stream ends the text there', async () => {
    const controller = new AbortController();
    let aborted = false;
    const result = streamText({
      model: model(paced.baseUrl),
      prompt,
      maxRetries: 0,
      abortSignal: controller.signal,
      onAbort: () => {
        aborted = true;
      },
      onError: () => {},
    });
    let deltas = 0;
    const error = await (async () => {
      for await (const delta of result.textStream) {
        if (delta) deltas++;
        if (deltas === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    // The AI SDK ends textStream quietly and calls onAbort.
    expect(error).toBeUndefined();
    // The offline reply runs to over a hundred chunks; a few already read may still come out.
    expect(deltas).toBeGreaterThanOrEqual(2);
    expect(deltas).toBeLessThan(20);
    expect(aborted).toBe(true);
  });

  test('a validation 400 is an APICallError with the server’s status and message', async () => {
    const error = await generateText({
      model: model(reference.baseUrl),
      prompt,
      temperature: 9,
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect((error as APICallError).message).toMatch(/temperature/);
  });

  test('a transformers serve stream without [DONE] ends normally', async () => {
    const errors: unknown[] = [];
    const result = streamText({
      model: model(replay.baseUrl('transformers-stream'), 'Qwen/Qwen3-0.6B'),
      prompt,
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(errors).toEqual([]);
    expect(text).toBe('Paris is the capital of France.');
    expect(await result.finishReason).toBe('stop');
  });

  test('@dwmkerr/mock-llm: chat, streamed', async () => {
    const streamed = streamText({ model: model(mock.baseUrl, 'gpt-4'), prompt: 'Echo this', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe('Echo this');
    expect(await streamed.finishReason).toBe('stop');
  });

  // mock-llm's default plain answer has no `choices[0].index`: @ai-sdk/openai's schema requires it.
  const strict = name === '@ai-sdk/openai .chat';
  test(`@dwmkerr/mock-llm: chat, plain ${strict ? 'is refused (no choices[0].index)' : 'works'}`, async () => {
    const plain = generateText({ model: model(mock.baseUrl, 'gpt-4'), prompt: 'Echo this', maxRetries: 0 });
    if (strict) {
      const error = await plain.catch((e: unknown) => e);
      expect(APICallError.isInstance(error) && error.message).toBe('Invalid JSON response');
    } else {
      expect((await plain).text).toBe('Echo this');
    }
  });
});
