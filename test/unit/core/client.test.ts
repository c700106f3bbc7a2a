import { afterEach, describe, expect, test, vi } from 'vitest';

import {
  AbortError,
  ApiError,
  MalformedResponseError,
  createClient,
  type ChatCompletionChunk,
} from 'parlance/core';
import { ChatCompletionStream } from '../../../src/core/client/chat-completion-stream';

import { chunk, controlledBody, errorResponse, fakeFetch, jsonResponse } from '../../support/fake-fetch';
import { readResponseFixture } from '../../support/fixtures';

const completion = readResponseFixture('chat-completion.json');
const images = readResponseFixture('images-url.json');
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('requests', () => {
  test('chat: URL, method, JSON body and headers (request headers win over client headers)', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(completion));
    const client = createClient({
      baseUrl: 'https://api.test/v1/',
      apiKey: 'sk-test',
      headers: { 'x-app': 'parlance', 'x-override': 'client' },
      fetch,
    });
    const result = await client.chat.completions.create(
      { ...body, temperature: 0.2, max_tokens: 64 },
      { headers: { 'x-override': 'request' } },
    );
    expect(result).toEqual(completion);
    const [call] = calls;
    expect(call!.url).toBe('https://api.test/v1/chat/completions');
    expect(call!.init.method).toBe('POST');
    expect(JSON.parse(call!.init.body as string)).toEqual({ ...body, temperature: 0.2, max_tokens: 64 });
    expect(Object.fromEntries(call!.headers)).toMatchObject({
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      accept: 'application/json',
      'x-app': 'parlance',
      'x-override': 'request',
    });
  });

  test('no apiKey, no Authorization header', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(completion));
    await createClient({ baseUrl: 'http://x/v1', fetch }).chat.completions.create(body);
    expect(calls[0]!.headers.has('authorization')).toBe(false);
  });

  test('the default fetch is globalThis.fetch, looked up when the request is sent', async () => {
    const client = createClient({ baseUrl: 'http://x/v1' });
    const { fetch, calls } = fakeFetch(jsonResponse({ object: 'list', data: [] }));
    vi.stubGlobal('fetch', fetch);
    expect(await client.models.list()).toEqual({ object: 'list', data: [] });
    expect(calls[0]!.url).toBe('http://x/v1/models');
    expect(calls[0]!.init.method).toBe('GET');
  });

  test('images.generate sends JSON; edit and createVariation send multipart with filenames', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(images));
    const client = createClient({ baseUrl: 'http://x/v1', fetch });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

    expect(await client.images.generate({ prompt: 'a fox', n: 2, size: '512x512' })).toEqual(images);
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ prompt: 'a fox', n: 2, size: '512x512' });

    await client.images.edit({
      image: new File([png], 'photo.png', { type: 'image/png' }),
      mask: new Blob([png], { type: 'image/png' }),
      prompt: 'a fox in snow',
      n: 1,
      size: '256x256',
      response_format: 'b64_json',
    });
    const form = calls[1]!.init.body as FormData;
    expect(calls[1]!.url).toBe('http://x/v1/images/edits');
    expect(calls[1]!.headers.has('content-type')).toBe(false);
    expect((form.get('image') as File).name).toBe('photo.png');
    expect((form.get('mask') as File).name).toBe('mask.png');
    expect(new Uint8Array(await (form.get('mask') as File).arrayBuffer())).toEqual(png);
    expect([form.get('prompt'), form.get('n'), form.get('size'), form.get('response_format')]).toEqual([
      'a fox in snow',
      '1',
      '256x256',
      'b64_json',
    ]);

    await client.images.createVariation({ image: new Blob([png]), n: 3 });
    const variation = calls[2]!.init.body as FormData;
    expect(calls[2]!.url).toBe('http://x/v1/images/variations');
    expect((variation.get('image') as File).name).toBe('image.png');
    expect(variation.get('n')).toBe('3');
    expect(variation.has('mask')).toBe(false);
  });
});

describe('responses', () => {
  test('a 2xx body that is not JSON, or not the right shape, is a MalformedResponseError', async () => {
    const html = new Response('<html>captive portal</html>', { status: 200 });
    const client = createClient({ baseUrl: 'http://x/v1', fetch: fakeFetch(html).fetch });
    const error = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(MalformedResponseError.isInstance(error) && error.text).toBe('<html>captive portal</html>');

    const wrong = createClient({
      baseUrl: 'http://x/v1',
      fetch: fakeFetch(jsonResponse({ ok: true })).fetch,
    });
    await expect(wrong.chat.completions.create(body)).rejects.toSatisfy(MalformedResponseError.isInstance);
    await expect(wrong.models.list()).rejects.toSatisfy(MalformedResponseError.isInstance);
  });

  test('an error status rejects with ApiError carrying the request id', async () => {
    const client = createClient({
      baseUrl: 'http://x/v1',
      fetch: fakeFetch(errorResponse(401, { 'x-request-id': 'req_1' }, 'Incorrect API key')).fetch,
    });
    const error = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && error).toMatchObject({
      status: 401,
      message: 'Incorrect API key',
      requestId: 'req_1',
    });
  });
});

describe('streaming', () => {
  function streamingClient() {
    const sse = controlledBody();
    const response = new Response(sse.stream, {
      headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_stream' },
    });
    const { fetch, calls } = fakeFetch(() => response);
    return { client: createClient({ baseUrl: 'http://x/v1', fetch }), sse, calls };
  }

  test('resolves at the headers to an iterable of chunks, with response and requestId', async () => {
    const { client, sse, calls } = streamingClient();
    const stream = await client.chat.completions.create({ ...body, stream: true });
    expect(stream).toBeInstanceOf(ChatCompletionStream);
    expect(stream.requestId).toBe('req_stream');
    expect(stream.response.status).toBe(200);
    expect(calls[0]!.headers.get('accept')).toBe('text/event-stream');
    sse.event(chunk('Hel'));
    sse.event(chunk('lo', 'stop'));
    sse.event('[DONE]');
    sse.close();
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content)).toEqual(['Hel', 'lo']);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  test('abort mid-stream: the loop throws AbortError after the chunks already consumed', async () => {
    const { client, sse } = streamingClient();
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { ...body, stream: true },
      { signal: controller.signal },
    );
    sse.event(chunk('one'));
    sse.event(chunk(' two'));
    const received: string[] = [];
    const error = await (async () => {
      for await (const c of stream) {
        received.push(c.choices[0]!.delta.content!);
        if (received.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(received).toEqual(['one', ' two']);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(sse.state.cancelled).toBe(true);
  });

  test('[DONE] ends the loop even if the server holds the connection open', async () => {
    const { client, sse } = streamingClient();
    const stream = await client.chat.completions.create({ ...body, stream: true });
    sse.event(chunk('end'));
    sse.event('[DONE]');
    const received: string[] = [];
    for await (const c of stream) received.push(c.choices[0]!.delta.content!);
    expect(received).toEqual(['end']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sse.state.cancelled).toBe(true);
  });

  test('leaving the loop early cancels the body', async () => {
    const { client, sse } = streamingClient();
    const stream = await client.chat.completions.create({ ...body, stream: true });
    sse.event(chunk('only'));
    for await (const c of stream) {
      expect(c.choices[0]!.delta.content).toBe('only');
      break;
    }
    expect(sse.state.cancelled).toBe(true);
  });

  test('a mid-stream error event throws ApiError; a chunk that is not JSON throws MalformedResponseError', async () => {
    const first = streamingClient();
    const stream = await first.client.chat.completions.create({ ...body, stream: true });
    first.sse.event(chunk('partial'));
    first.sse.event({ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]!.delta.content!);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['partial']);
    expect(ApiError.isInstance(error) && error.message).toBe('Overloaded');

    const second = streamingClient();
    const bad = await second.client.chat.completions.create({ ...body, stream: true });
    second.sse.push('data: {"choices": [\n\n');
    await expect(
      (async () => {
        for await (const _ of bad) void _;
      })(),
    ).rejects.toSatisfy(MalformedResponseError.isInstance);
  });

  test('toReadableStream gives the same chunks and errors', async () => {
    const { client, sse } = streamingClient();
    const stream = await client.chat.completions.create({ ...body, stream: true });
    sse.event(chunk('x'));
    sse.close();
    const reader = stream.toReadableStream().getReader();
    expect((await reader.read()).value?.choices[0]?.delta.content).toBe('x');
    await expect(reader.read()).rejects.toMatchObject({ name: 'StreamInterruptedError' });
  });
});
