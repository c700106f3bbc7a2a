// The official `openai` client against the offline server over real HTTP on 127.0.0.1, with every
// response checked against the official OpenAPI description.
import { decode, encode } from 'fast-png';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { validateSchema } from '../../support/openapi';

let server: ListeningServer;
let client: OpenAI;

beforeAll(async () => {
  server = await createServer({ staticDir: null, chunkDelayMs: 0, rateLimits: false }).listen({
    port: 0,
    host: '127.0.0.1',
  });
  client = new OpenAI({
    baseURL: `${server.url}/v1`,
    apiKey: 'sk-not-needed-offline',
    maxRetries: 0,
    timeout: 30_000,
  });
});

afterAll(async () => {
  await server?.close();
});

function square(size: number, alpha: (x: number, y: number) => number): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data.set([x, y, 128, alpha(x, y)], (y * size + x) * 4);
  }
  return encode({ width: size, height: size, data, channels: 4, depth: 8 });
}

const messages = [{ role: 'user' as const, content: 'What does countChatTokens return?' }];

describe('the openai client', () => {
  test('chat, plain', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 64,
    });
    expect(validateSchema('CreateChatCompletionResponse', completion).errors).toEqual([]);
    expect(completion.choices[0]!.message.content).toMatch(/^_Offline mode/);
    expect(completion.usage!.completion_tokens).toBeLessThanOrEqual(64);
  });

  test('chat, streamed, with usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(validateSchema('CreateChatCompletionStreamResponse', chunk).errors).toEqual([]);
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(chunks).toBeGreaterThan(10);
    expect(text).toContain('countChatTokens');
    expect(usage!.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens);
  });

  test('image generation (b64_json and url)', async () => {
    const b64 = await client.images.generate({
      prompt: 'a kite',
      size: '256x256',
      n: 2,
      response_format: 'b64_json',
    });
    expect(validateSchema('ImagesResponse', b64).errors).toEqual([]);
    expect(b64.data).toHaveLength(2);
    expect(decode(Buffer.from(b64.data![0]!.b64_json!, 'base64')).width).toBe(256);
    const url = await client.images.generate({ prompt: 'a kite', size: '256x256' });
    expect(validateSchema('ImagesResponse', url).errors).toEqual([]);
    expect((await fetch(url.data![0]!.url!)).headers.get('content-type')).toBe('image/png');
  });

  test('image edit', async () => {
    const result = await client.images.edit({
      image: await toFile(
        square(128, () => 255),
        'image.png',
        { type: 'image/png' },
      ),
      mask: await toFile(
        square(128, (x) => (x < 64 ? 0 : 255)),
        'mask.png',
        { type: 'image/png' },
      ),
      prompt: 'a field of flowers',
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(validateSchema('ImagesResponse', result).errors).toEqual([]);
    expect(decode(Buffer.from(result.data![0]!.b64_json!, 'base64')).width).toBe(256);
  });

  test('image variation', async () => {
    const result = await client.images.createVariation({
      image: await toFile(
        square(128, () => 255),
        'image.png',
        { type: 'image/png' },
      ),
      n: 2,
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(validateSchema('ImagesResponse', result).errors).toEqual([]);
    expect(result.data).toHaveLength(2);
  });

  test('models', async () => {
    const page = await client.models.list();
    expect(validateSchema('ListModelsResponse', { object: 'list', data: page.data }).errors).toEqual([]);
    expect(page.data.map((m) => m.id)).toContain('parlance-offline');
  });

  test('errors arrive as the typed BadRequestError with param, and validate as ErrorResponse', async () => {
    const error = await client.images
      .generate({ prompt: 'x', size: '300x300' as '256x256' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const e = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.param).toBe('size');
    expect(validateSchema('ErrorResponse', { error: e.error }).errors).toEqual([]);
  });
});
