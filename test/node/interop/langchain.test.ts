// LangChain's `ChatOpenAI` (`@langchain/openai`) against the reference server (offline, over HTTP on
// 127.0.0.1), and against a replayed stream without [DONE].
import type { AIMessageChunk } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
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

function chat(baseURL: string, options: Partial<ConstructorParameters<typeof ChatOpenAI>[0]> = {}) {
  return new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'sk-offline',
    configuration: { baseURL },
    maxRetries: 0,
    streamUsage: true,
    ...options,
  });
}

const question = 'What does useChat return?';

describe('ChatOpenAI against the reference server', () => {
  test('chat, plain, with usage', async () => {
    const reply = await chat(reference.baseUrl).invoke(question);
    expect(reply.content).toMatch(/^_Offline mode/);
    expect(reply.response_metadata.finish_reason).toBe('stop');
    expect(reply.usage_metadata!.output_tokens).toBeGreaterThan(0);
  });

  test('chat, streamed, with usage (stream_options.include_usage)', async () => {
    let text = '';
    let last: AIMessageChunk | undefined;
    for await (const chunk of await chat(reference.baseUrl).stream(question)) {
      if (typeof chunk.content === 'string') text += chunk.content;
      last = last ? last.concat(chunk) : chunk;
    }
    expect(text).toMatch(/^_Offline mode/);
    expect(last!.usage_metadata!.output_tokens).toBeGreaterThan(0);
    expect(last!.usage_metadata!.total_tokens).toBe(
      last!.usage_metadata!.input_tokens + last!.usage_metadata!.output_tokens,
    );
  });

  test('abort mid-stream', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const error = await (async () => {
      for await (const chunk of await chat(paced.baseUrl).stream(question, { signal: controller.signal })) {
        if (chunk.content) chunks++;
        if (chunks === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    // LangChain ends the loop with its own "Aborted" error.
    expect((error as Error).message).toMatch(/abort/i);
    // The offline reply runs to over a hundred chunks; a few already read may still come out.
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(chunks).toBeLessThan(20);
  });

  test('a validation 400 is the openai client’s BadRequestError, with param and code', async () => {
    const error = await chat(reference.baseUrl, { temperature: 9 })
      .invoke(question)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'temperature', code: 'invalid_value' });
  });
});

describe('ChatOpenAI against @dwmkerr/mock-llm', () => {
  test('chat, plain and streamed', async () => {
    const model = chat(mock.baseUrl, { model: 'gpt-4', streamUsage: false });
    expect((await model.invoke('Echo this')).content).toBe('Echo this');
    let text = '';
    for await (const chunk of await model.stream('Echo this')) {
      if (typeof chunk.content === 'string') text += chunk.content;
    }
    expect(text).toBe('Echo this');
  });
});

describe('ChatOpenAI against a replayed server', () => {
  test('a transformers serve stream without [DONE] ends normally', async () => {
    let text = '';
    const model = chat(replay.baseUrl('transformers-stream'), { model: 'Qwen/Qwen3-0.6B' });
    for await (const chunk of await model.stream(question)) {
      if (typeof chunk.content === 'string') text += chunk.content;
    }
    expect(text).toBe('Paris is the capital of France.');
  });
});
