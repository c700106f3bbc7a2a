// Stream framing in proxy mode: an error event the proxy adds starts on a fresh SSE line (the
// core client sees a typed error, not a malformed stream), the upstream timeout measures upstream
// silence only (a client slow to read never trips it), and the body limit follows the route's
// bytes whatever content type the request claims.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { ApiError, MalformedResponseError, StreamInterruptedError } from '../../../src/core/errors';
import { iterateStream, parseSSEStream } from '../../../src/core/stream/parse-sse-stream';
import { createServer, type ListeningServer } from '../../../src/server/index';
import { SSEFramer, eventsEnd } from '../../../src/server/proxy';
import { chunk, sse, startUpstream, type FakeUpstream } from './upstream';

const TIMEOUT_MS = 600;
let upstream: FakeUpstream;
let proxy: ListeningServer;

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await createServer({
    upstream: { baseUrl: upstream.url, apiKey: 'sk-framing-0123456789', timeoutMs: TIMEOUT_MS },
    staticDir: null,
    rateLimits: false,
  }).listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

afterEach(() => {
  upstream.requests.length = 0;
});

const streamBody = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
});

const postStream = () =>
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: streamBody,
  });

/** Reads the proxied stream with the core's own parser: its events, then how it ended. */
async function readWithCore(response: Response): Promise<{ contents: string[]; error: unknown }> {
  const contents: string[] = [];
  try {
    for await (const value of iterateStream(
      parseSSEStream<{ choices: { delta: { content?: string } }[] }>(response.body!),
    )) {
      contents.push(value.choices[0]?.delta.content ?? '');
    }
    return { contents, error: undefined };
  } catch (error) {
    return { contents, error };
  }
}

describe('an error event the proxy adds', () => {
  test('after an unterminated line and a break-off, starts on a fresh line: the client sees a typed error', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('whole'));
      res.write('data: {"id":"chatcmpl-up","choices":[{"index":0,"delta":{"content":"cut');
      setTimeout(() => res.destroy(), 30);
    });
    const { contents, error } = await readWithCore(await postStream());
    expect(contents).toEqual(['whole']);
    expect(error).not.toBeInstanceOf(MalformedResponseError);
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).code).toBe('upstream_interrupted');
  });

  test('after an unterminated line and upstream silence, the timeout event is parseable too', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('whole'));
      res.write('data: {"id":"chatcmpl-up","choices":[{"index":0,"delta":{"content":"cut');
    });
    const { contents, error } = await readWithCore(await postStream());
    expect(contents).toEqual(['whole']);
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).code).toBe('upstream_timeout');
  });

  test('an upstream that ends cleanly mid-event gives an interruption, never half an event', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('whole'));
      res.end('data: {"choices":[{"index":0,"delta":{"content":"cut');
    });
    const { contents, error } = await readWithCore(await postStream());
    expect(contents).toEqual(['whole']);
    expect(ApiError.isInstance(error) || StreamInterruptedError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(MalformedResponseError);
  });
});

describe('the upstream timeout measures upstream silence only', () => {
  test('a client that does not read for longer than the timeout, while the upstream is fast, gets the whole stream', async () => {
    // Far more than the sockets buffer, so the proxy has to wait for the client.
    const filler = 'x'.repeat(1_000);
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 8_000; i++) sse(res, chunk(filler));
      sse(res, chunk('last', 'stop'));
      sse(res, '[DONE]');
      res.end();
    });
    const response = await postStream();
    const reader = response.body!.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2.5));
    const rest = new Response(
      new ReadableStream({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
      }),
    );
    const text = await rest.text();
    expect(text).not.toContain('upstream_timeout');
    expect(text).toContain('"last"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  test('an upstream silent for longer than the timeout ends the stream with a timeout event', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('one'));
    });
    const started = performance.now();
    const { contents, error } = await readWithCore(await postStream());
    expect(contents).toEqual(['one']);
    expect((error as ApiError).code).toBe('upstream_timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  test('an upstream silent before its headers is a 504', async () => {
    upstream.handle(() => undefined);
    const response = await postStream();
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_timeout');
  });
});

describe('the body limit applies to the bytes, whatever the content type claims', () => {
  test('8 MB of JSON labelled multipart to the chat route is a 413 and never reaches the upstream', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const big = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'a '.repeat(4 * 1024 * 1024) }],
    });
    const response = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=nothing' },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect(upstream.requests).toHaveLength(0);
  });

  test('the same bytes sent in chunks, with no length announced, are a 413 too', async () => {
    const part = new TextEncoder().encode('a'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 8) controller.close();
        else controller.enqueue(part);
      },
    });
    const response = await fetch(`${proxy.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=nothing' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('SSEFramer', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const text = (value: Uint8Array | null) => (value ? new TextDecoder().decode(value) : null);

  test('passes whole events only, however the chunks split them, with LF, CR and CRLF line ends', () => {
    for (const end of ['\n', '\r', '\r\n']) {
      const stream = `data: {"a":1}${end}${end}: comment${end}data: {"b":2}${end}${end}`;
      for (let cut = 1; cut < stream.length; cut++) {
        const framer = new SSEFramer(null);
        const out = [
          text(framer.push(bytes(stream.slice(0, cut)))),
          text(framer.push(bytes(stream.slice(cut)))),
        ];
        // A CR as the very last byte may be half of a CRLF: that event waits for the next byte.
        const whole = end === '\r' ? stream.slice(0, stream.indexOf(': comment')) : stream;
        expect(out.filter((part) => part !== null).join('')).toBe(whole);
        expect(framer.hasPartial).toBe(end === '\r');
      }
    }
  });

  test('holds an unfinished event and says so', () => {
    const framer = new SSEFramer(null);
    expect(text(framer.push(bytes('data: {"a":1}\n\ndata: {"b"')))).toBe('data: {"a":1}\n\n');
    expect(framer.hasPartial).toBe(true);
    expect(eventsEnd(bytes('data: x\n'))).toBe(0);
    expect(eventsEnd(bytes('data: x\r\n\r'))).toBe(0);
  });

  test('finds the usage object of the last event when asked, not "usage": null', () => {
    const framer = new SSEFramer(null, true);
    framer.push(bytes('data: {"choices":[],"usage":null}\n\n'));
    expect(framer.usage).toBeUndefined();
    framer.push(bytes('data: {"choices":[],"usage" : {"prompt_tokens":3,"completion_tokens":5}}\n\n'));
    expect(framer.usage).toEqual({ prompt_tokens: 3, completion_tokens: 5 });
  });
});
