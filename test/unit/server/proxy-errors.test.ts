// Every error shape through the proxy: what FastAPI, Portkey, Ollama, vLLM and any other JSON
// error say comes back in OpenAI's envelope with the upstream's status, message, type and code;
// text that is not JSON comes back as a snippet; every message capped and the key taken out.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { MAX_ERROR_MESSAGE } from '../../../src/server/proxy';
import { startUpstream, type FakeUpstream } from './upstream';

const KEY = 'sk-proxy-errors-0123456789abcdef';
let upstream: FakeUpstream;
let proxy: ListeningServer;

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await createServer({
    upstream: { baseUrl: upstream.url, apiKey: KEY, timeoutMs: 2_000 },
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

interface Envelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Has the upstream answer `status` with `body`, then asks the proxy for a chat completion. */
async function answerWith(
  status: number,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; error: Envelope['error']; text: string }> {
  upstream.handle((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  const response = await fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const text = await response.text();
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, error: (JSON.parse(text) as Envelope).error, text };
}

describe('the upstream’s own words come through', () => {
  test('FastAPI / transformers serve: {"detail": "text"}', async () => {
    const answer = await answerWith(400, '{"detail":"Model Qwen/Qwen3-8B is not available on this server"}');
    expect(answer.status).toBe(400);
    expect(answer.error).toEqual({
      message: 'Model Qwen/Qwen3-8B is not available on this server',
      type: 'upstream_error',
      param: null,
      code: 'upstream_error',
    });
  });

  test('FastAPI validation: {"detail": [{loc, msg}]} reads as a sentence naming the fields', async () => {
    const detail = [
      { type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: {} },
      { type: 'float_type', loc: ['body', 'temperature'], msg: 'Input should be a valid number' },
      { type: 'int_type', loc: ['body', 'n'], msg: 'Input should be a valid integer' },
      { type: 'missing', loc: ['body', 'model'], msg: 'Field required' },
      { type: 'missing', loc: ['body', 'stop', 0], msg: 'Field required' },
    ];
    const answer = await answerWith(422, JSON.stringify({ detail }));
    expect(answer.status).toBe(422);
    expect(answer.error).toEqual({
      message:
        'messages: Field required; temperature: Input should be a valid number; n: Input should be a valid integer (and 2 more)',
      type: 'invalid_request_error',
      param: 'messages',
      code: 'upstream_error',
    });
  });

  test('Portkey: {"status": "failure", "message"}', async () => {
    const answer = await answerWith(
      400,
      '{"status":"failure","message":"Either x-portkey-config or x-portkey-provider header is required"}',
    );
    expect(answer.status).toBe(400);
    expect(answer.error.message).toBe('Either x-portkey-config or x-portkey-provider header is required');
  });

  test('Ollama: {"error": "text"}', async () => {
    const answer = await answerWith(404, '{"error":"model \\"llama3.2\\" not found, try pulling it first"}');
    expect(answer.status).toBe(404);
    expect(answer.error.message).toBe('model "llama3.2" not found, try pulling it first');
  });

  test('vLLM: {"object": "error", "message", "type", "code"} keeps its type and code', async () => {
    const answer = await answerWith(
      404,
      '{"object":"error","message":"The model `gpt-4o-mini` does not exist.","type":"NotFoundError","param":null,"code":404}',
    );
    expect(answer).toMatchObject({
      status: 404,
      error: {
        message: 'The model `gpt-4o-mini` does not exist.',
        type: 'NotFoundError',
        param: null,
        code: '404',
      },
    });
  });

  test('any JSON with a message string', async () => {
    expect((await answerWith(503, '{"message":"Service overloaded"}')).error.message).toBe(
      'Service overloaded',
    );
  });

  test('JSON with no message: the status and the body’s start', async () => {
    const answer = await answerWith(500, '{"status": "down",\n "retry": true}');
    expect(answer.status).toBe(500);
    expect(answer.error.message).toBe(
      'The upstream server answered 500 Internal Server Error: {"status":"down","retry":true}',
    );
  });

  test('an HTML page: its text, without tags, scripts or styles', async () => {
    const answer = await answerWith(
      502,
      '<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>',
      'text/html',
    );
    expect(answer.status).toBe(502);
    expect(answer.error.message).toBe('The upstream server answered 502 Bad Gateway: 502 Bad Gateway nginx');
  });

  test('plain text, and an empty body', async () => {
    expect((await answerWith(500, 'upstream crashed\n', 'text/plain')).error.message).toBe(
      'The upstream server answered 500 Internal Server Error: upstream crashed',
    );
    expect((await answerWith(503, '', 'text/plain')).error.message).toBe(
      'The upstream server answered 503 Service Unavailable',
    );
  });

  test('a status that is not an error (a redirect, never followed) becomes a 502', async () => {
    const answer = await answerWith(302, '{"detail":"moved"}');
    expect(answer.status).toBe(502);
    expect(answer.error.message).toBe('moved');
  });
});

describe('capped', () => {
  test.each([
    ['a detail', (long: string) => JSON.stringify({ detail: long })],
    ['an envelope', (long: string) => JSON.stringify({ error: { message: long, type: 'x' } })],
    ['a text body', (long: string) => long],
  ])('%s of 50,000 characters comes back in at most 1,000', async (_, body) => {
    const answer = await answerWith(400, body('word '.repeat(10_000)), 'text/plain');
    expect(MAX_ERROR_MESSAGE).toBe(1_000);
    expect(answer.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
    expect(answer.error.message.endsWith('…')).toBe(true);
  });
});

describe('the key never comes back', () => {
  const escaped = KEY.replace(/./g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const entities = KEY.replace(/./g, (c) => `&#${c.charCodeAt(0)};`);

  test.each([
    ['in a detail', 401, JSON.stringify({ detail: `Bad key ${KEY}` }), 'application/json'],
    ['JSON-escaped in a detail', 401, `{"detail":"Bad key ${escaped}"}`, 'application/json'],
    [
      'in a validation entry',
      422,
      JSON.stringify({ detail: [{ loc: ['body', KEY], msg: KEY }] }),
      'application/json',
    ],
    [
      'in vLLM’s type and code',
      400,
      JSON.stringify({ object: 'error', message: 'm', type: KEY, code: KEY }),
      'application/json',
    ],
    ['escaped in JSON with no message', 500, `{"echo":"${escaped}"}`, 'application/json'],
    ['as HTML entities', 502, `<p>key ${entities}</p>`, 'text/html'],
    ['in plain text', 500, `key=${KEY}`, 'text/plain'],
  ])('%s', async (_, status, body, contentType) => {
    const answer = await answerWith(status, body, contentType);
    expect(answer.text).not.toContain(KEY);
    expect(answer.text).not.toContain(escaped);
    expect(answer.text).toContain('[redacted]');
  });

  test('where the cap cuts, no part of the key shows', async () => {
    // The key straddles character 1,000: redacted first, then capped.
    const answer = await answerWith(400, JSON.stringify({ detail: `${'x'.repeat(990)}${KEY} tail` }));
    expect(answer.text).not.toContain(KEY.slice(0, 8));
    expect(answer.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
  });
});
