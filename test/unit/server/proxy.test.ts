// Proxy mode against a local fake upstream on 127.0.0.1: the key is added here and never leaves,
// client credentials are dropped, streams pass through as they arrive, a client that goes away
// aborts the upstream request, and upstream errors come back in OpenAI's envelope.
import http from 'node:http';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { chunk, sse, startUpstream, type FakeUpstream } from './upstream';

const KEY = 'sk-test-0123456789abcdefSECRET';
let upstream: FakeUpstream;
let proxy: ListeningServer;
const logs: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
  const server = createServer({
    upstream: { baseUrl: upstream.url, apiKey: KEY, timeoutMs: 1_000 },
    staticDir: null,
    rateLimits: false,
    log: (line) => logs.push(line),
  });
  proxy = await server.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  // Nothing any test saw, and no log line, ever carried the key.
  for (const text of [...seen, ...logs]) expect(text).not.toContain(KEY);
  expect(logs.length).toBeGreaterThan(5);
});

afterEach(() => {
  upstream.requests.length = 0;
});

/** Fetches from the proxy and records the status line, headers and body for the key check. */
async function call(path: string, init: RequestInit = {}): Promise<{ response: Response; text: string }> {
  const response = await fetch(`${proxy.url}${path}`, init);
  const text = await response.text();
  seen.push(JSON.stringify([...response.headers]), text, response.statusText);
  return { response, text };
}

const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

describe('credentials', () => {
  test('adds the server key and drops every credential the client sent', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=upstream' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] }));
    });
    const { response } = await call('/v1/chat/completions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sk-client-should-not-pass',
        'api-key': 'client-azure-key',
        cookie: 'session=abc',
        'openai-organization': 'org-client',
        'x-forwarded-for': '203.0.113.9',
      },
      body: chatBody,
    });
    expect(response.status).toBe(200);
    const [received] = upstream.requests;
    expect(received!.url).toBe('/v1/chat/completions');
    expect(received!.headers.authorization).toBe(`Bearer ${KEY}`);
    for (const header of ['api-key', 'cookie', 'openai-organization', 'x-forwarded-for']) {
      expect(received!.headers[header]).toBeUndefined();
    }
    expect(received!.body.toString()).toBe(chatBody);
    expect(received!.headers['content-length']).toBe(String(Buffer.byteLength(chatBody)));
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  test('an upstream error that echoes the key comes back with the key redacted', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${KEY}.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        }),
      );
    });
    const { response, text } = await call('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_api_key');
    expect(body.error.message).toContain('[redacted]');
    expect(text).not.toContain(KEY);
  });
});

describe('errors', () => {
  test('passes an upstream 429 through with its envelope and Retry-After', async () => {
    const envelope = {
      error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    };
    upstream.handle((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify(envelope));
    });
    const { response, text } = await call('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody,
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(text)).toEqual(envelope);
  });

  test('wraps a non-JSON upstream error in the envelope', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    const { response, text } = await call('/v1/models');
    expect(response.status).toBe(502);
    expect((JSON.parse(text) as { error: { type: string } }).error.type).toBe('upstream_error');
  });

  test('an upstream that does not answer in time is a 504', async () => {
    upstream.handle(() => undefined);
    const { response, text } = await call('/v1/models');
    expect(response.status).toBe(504);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('upstream_timeout');
  });

  test('an unreachable upstream is a 502', async () => {
    const gone = await startUpstream();
    const url = gone.url;
    await gone.close();
    const server = createServer({ upstream: { baseUrl: url, apiKey: KEY }, staticDir: null });
    const response = await server.fetch(new Request('http://127.0.0.1/v1/models'));
    const text = await response.text();
    seen.push(text);
    expect(response.status).toBe(502);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
  });

  test('invalid requests are refused here and never reach the upstream', async () => {
    const { response } = await call('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [], temperature: 9 }),
    });
    expect(response.status).toBe(400);
    expect(upstream.requests).toHaveLength(0);
  });
});

/** A raw HTTP request, so the request target is sent exactly as written. */
function raw(target: string, headers: Record<string, string> = {}): Promise<number> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: target, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('no open proxy', () => {
  test.each([
    '/v1/../v1/models/../../secret',
    '/v1/chat%2Fcompletions',
    '/v1/%2e%2e/%2e%2e/admin',
    '//evil.example/v1/models',
    'http://evil.example/v1/files',
    '/v1/files',
    '/v1/models/../files',
    '/v1/models?url=http://evil.example',
  ])('%s reaches no upstream path but the fixed ones', async (target) => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[]}');
    });
    await raw(target, { host: 'evil.example' });
    expect(upstream.requests.filter((r) => r.url !== '/v1/models')).toEqual([]);
  });
});

describe('streaming', () => {
  test('forwards the first chunk before the upstream has finished', async () => {
    let finish!: () => void;
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('Hel'));
      finish = () => {
        sse(res, chunk('lo', 'stop'));
        sse(res, '[DONE]');
        res.end();
      };
    });
    const response = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    expect(first.value).toContain('"Hel"');
    expect(first.value).not.toContain('[DONE]');
    finish();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
    expect(rest).toContain('"lo"');
    expect(rest.trim().endsWith('data: [DONE]')).toBe(true);
    seen.push(first.value!, rest);
  });

  test('a client that disconnects aborts the upstream request', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('one'));
      // …and never finishes on its own.
    });
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const closed = await upstream.requests[0]!.closed;
    expect(closed.finished).toBe(false);
  });

  test('an upstream stream that stalls ends with an error event, not a hang', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, chunk('partial'));
    });
    const { text } = await call('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    });
    expect(text).toContain('"partial"');
    expect(text).toContain('"upstream_timeout"');
  });
});

describe('images', () => {
  test('forwards a multipart edit byte for byte, with the key', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ created: 1, data: [{ url: 'https://images.example/1.png' }] }));
    });
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'image.png');
    form.append('prompt', 'a cat');
    form.append('model', 'my-local-model');
    form.append('size', '768x768');
    const { response, text } = await call('/v1/images/edits', { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ created: 1, data: [{ url: 'https://images.example/1.png' }] });
    const [received] = upstream.requests;
    expect(received!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(received!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(received!.body.toString('latin1')).toContain('my-local-model');
  });
});
