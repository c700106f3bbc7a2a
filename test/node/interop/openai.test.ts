// The official `openai` npm client against the reference server (offline, over HTTP on 127.0.0.1),
// and against a replayed `transformers serve` stream that has no [DONE].
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { squarePng, startClientSuiteServers, type RunningServer, type startReplay } from './servers';

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

const client = (baseURL: string) =>
  new OpenAI({ baseURL, apiKey: 'sk-offline', maxRetries: 0, timeout: 20_000 });
const messages = [{ role: 'user' as const, content: 'What does useChat return?' }];

describe('openai against the reference server', () => {
  test('models', async () => {
    const page = await client(reference.baseUrl).models.list();
    expect(page.data.map((m) => m.id)).toContain('parlance-offline');
  });

  test('chat, plain, with usage', async () => {
    const completion = await client(reference.baseUrl).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toMatch(/^_Offline mode/);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.total_tokens).toBe(
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );
  });

  test('chat, streamed, with stream_options.include_usage', async () => {
    const stream = await client(reference.baseUrl).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toMatch(/^_Offline mode/);
    expect(finish).toBe('stop');
    expect(usage!.completion_tokens).toBeGreaterThan(0);
  });

  test('abort mid-stream: the loop ends there (openai ends it quietly, no error)', async () => {
    const controller = new AbortController();
    const stream = await client(paced.baseUrl).chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) chunks++;
      if (chunks === 2) controller.abort();
    }
    // The offline reply runs to over a hundred chunks; a few already read may still come out.
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(chunks).toBeLessThan(20);
    expect(stream.controller.signal.aborted).toBe(true);
  });

  test('image generation, edit and variation', async () => {
    const openai = client(reference.baseUrl);
    const generated = await openai.images.generate({
      prompt: 'a kite',
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(generated.data![0]!.b64_json!.length).toBeGreaterThan(100);
    const image = await toFile(squarePng(64), 'image.png', { type: 'image/png' });
    const mask = await toFile(squarePng(64, true), 'mask.png', { type: 'image/png' });
    const edited = await openai.images.edit({
      image,
      mask,
      prompt: 'a field of flowers',
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(edited.data).toHaveLength(1);
    const varied = await openai.images.createVariation({
      image: await toFile(squarePng(64), 'image.png', { type: 'image/png' }),
      n: 2,
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(varied.data).toHaveLength(2);
  });

  test('a validation 400 is the client’s own BadRequestError, with param and code', async () => {
    const error = await client(reference.baseUrl)
      .chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 9 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'temperature', code: 'invalid_value' });
  });
});

describe('openai against @dwmkerr/mock-llm', () => {
  test('chat, plain and streamed', async () => {
    const openai = client(mock.baseUrl);
    const ask = [{ role: 'user' as const, content: 'Echo this, please' }];
    const completion = await openai.chat.completions.create({ model: 'gpt-4', messages: ask });
    expect(completion.choices[0]!.message.content).toBe('Echo this, please');
    let text = '';
    for await (const chunk of await openai.chat.completions.create({
      model: 'gpt-4',
      messages: ask,
      stream: true,
    }))
      text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo this, please');
  });
});

describe('openai against a replayed server', () => {
  test('a transformers serve stream without [DONE] ends normally', async () => {
    const stream = await client(replay.baseUrl('transformers-stream')).chat.completions.create({
      model: 'Qwen/Qwen3-0.6B',
      messages,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Paris is the capital of France.');
  });
});
