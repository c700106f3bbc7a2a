// Upstream configuration for real gateways: extra headers and query parameters on every route,
// the key in a named header (Azure's `api-key`), credential header values kept secret like the
// key, and the settings read (and checked) from options, the environment and the command line.
import type { ServerResponse } from 'node:http';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { parseCommandLine, withUpstreamFlags } from '../../../src/server/cli-options';
import { describeMode, optionsFromEnv } from '../../../src/server/env';
import { createServer, type ListeningServer } from '../../../src/server/index';
import { checkUpstream, type UpstreamOptions } from '../../../src/server/proxy';
import { png } from './helpers';
import { chunk, sse, startUpstream, type FakeUpstream, type UpstreamRequest } from './upstream';

const PORTKEY_KEY = 'pk-portkey-secret-0123456789';
const KEY = 'sk-upstream-key-0123456789abcdef';
let upstream: FakeUpstream;
const running: ListeningServer[] = [];
const logs: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.close()));
  await upstream?.close();
});

afterEach(() => {
  upstream.requests.length = 0;
});

async function proxyTo(options: Partial<UpstreamOptions>): Promise<string> {
  const server = await createServer({
    upstream: { baseUrl: upstream.url, timeoutMs: 2_000, ...options },
    staticDir: null,
    rateLimits: false,
    log: (line) => logs.push(line),
  }).listen({ port: 0, host: '127.0.0.1' });
  running.push(server);
  return server.url;
}

/** Every route the proxy forwards, as a request to the proxy at `url`. */
function everyRoute(url: string): Array<[string, () => Promise<Response>]> {
  const json = (path: string, body: unknown) => () =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const form = (path: string, fields: Record<string, string | Blob>) => () => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return fetch(`${url}${path}`, { method: 'POST', body });
  };
  const image = png(8, 8, () => [200, 100, 50, 255]);
  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
  return [
    ['GET /v1/models', () => fetch(`${url}/v1/models`)],
    ['POST /v1/chat/completions', json('/v1/chat/completions', chat)],
    ['POST /v1/chat/completions (stream)', json('/v1/chat/completions', { ...chat, stream: true })],
    ['POST /v1/images/generations', json('/v1/images/generations', { prompt: 'a cat', model: 'dall-e-2' })],
    ['POST /v1/images/edits', form('/v1/images/edits', { image, prompt: 'a hat', model: 'dall-e-2' })],
    ['POST /v1/images/variations', form('/v1/images/variations', { image, model: 'dall-e-2' })],
    ['POST /tokenize', json('/tokenize', { prompt: 'hello' })],
    ['POST /apply-template', json('/apply-template', { messages: chat.messages })],
  ];
}

/** A Portkey-like gateway: 401 in Portkey's shape without its headers, else an OK answer. */
function portkeyGateway(req: UpstreamRequest, res: ServerResponse) {
  if (req.headers['x-portkey-provider'] !== 'openai' || req.headers['x-portkey-api-key'] !== PORTKEY_KEY) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: 'failure',
        message: 'Either x-portkey-config or x-portkey-provider header is required',
      }),
    );
    return;
  }
  answerOk(req, res);
}

function answerOk(req: UpstreamRequest, res: ServerResponse) {
  if (req.headers.accept === 'text/event-stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    sse(res, chunk('ok', 'stop'));
    sse(res, '[DONE]');
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true }));
}

describe('a gateway that needs its headers, on every route', () => {
  test('without them, every route carries the gateway’s 401 and its message', async () => {
    upstream.handle(portkeyGateway);
    for (const [name, send] of everyRoute(await proxyTo({}))) {
      const response = await send();
      expect(response.status, name).toBe(401);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message, name).toBe(
        'Either x-portkey-config or x-portkey-provider header is required',
      );
    }
  });

  test('with upstream.headers, every route gets through', async () => {
    upstream.handle(portkeyGateway);
    const url = await proxyTo({
      headers: { 'x-portkey-provider': 'openai', 'x-portkey-api-key': PORTKEY_KEY },
    });
    for (const [name, send] of everyRoute(url)) {
      const response = await send();
      expect(response.status, name).toBe(200);
      await response.text();
    }
    expect(upstream.requests).toHaveLength(8);
    for (const request of upstream.requests) {
      expect(request.headers['x-portkey-provider']).toBe('openai');
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  test('from PARLANCE_UPSTREAM_HEADERS too', async () => {
    upstream.handle(portkeyGateway);
    const options = optionsFromEnv({
      PARLANCE_UPSTREAM_URL: upstream.url,
      PARLANCE_UPSTREAM_HEADERS: JSON.stringify({
        'x-portkey-provider': 'openai',
        'x-portkey-api-key': PORTKEY_KEY,
      }),
    });
    const url = await proxyTo(options.upstream!);
    for (const [name, send] of everyRoute(url)) {
      const response = await send();
      expect(response.status, name).toBe(200);
      await response.text();
    }
  });
});

describe('Azure OpenAI: a deployment path, api-version and the key in api-key', () => {
  /** Answers only what Azure would: the deployment path, the version, the key in `api-key`. */
  function azure(req: UpstreamRequest, res: ServerResponse) {
    const url = new URL(req.url, 'http://azure.example');
    const ok =
      url.pathname.startsWith('/openai/deployments/gpt-4o/') &&
      url.searchParams.get('api-version') === '2024-10-21' &&
      req.headers['api-key'] === KEY &&
      req.headers.authorization === undefined;
    if (!ok) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: '401', message: 'Access denied due to invalid subscription key.' } }),
      );
      return;
    }
    answerOk(req, res);
  }

  test('upstream.keyHeader and upstream.query', async () => {
    upstream.handle(azure);
    const origin = upstream.url.replace(/\/v1$/, '');
    const url = await proxyTo({
      baseUrl: `${origin}/openai/deployments/gpt-4o`,
      apiKey: KEY,
      keyHeader: 'api-key',
      query: { 'api-version': '2024-10-21' },
    });
    const routes = everyRoute(url).filter(([name]) => name.includes('/v1/'));
    for (const [name, send] of routes) {
      const response = await send();
      expect(response.status, name).toBe(200);
      await response.text();
    }
    expect(upstream.requests.map((r) => r.url)).toContain(
      '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    );
  });

  test('from the environment, with the version in the URL’s own query or in PARLANCE_UPSTREAM_QUERY', async () => {
    upstream.handle(azure);
    const origin = upstream.url.replace(/\/v1$/, '');
    for (const env of [
      {
        PARLANCE_UPSTREAM_URL: `${origin}/openai/deployments/gpt-4o`,
        PARLANCE_UPSTREAM_QUERY: 'api-version=2024-10-21',
      },
      {
        PARLANCE_UPSTREAM_URL: `${origin}/openai/deployments/gpt-4o?api-version=2024-10-21`,
      },
      {
        PARLANCE_UPSTREAM_URL: `${origin}/openai/deployments/gpt-4o?api-version=2023-05-15`,
        PARLANCE_UPSTREAM_QUERY: '{"api-version": "2024-10-21"}',
      },
    ]) {
      const options = optionsFromEnv({
        ...env,
        PARLANCE_UPSTREAM_KEY: KEY,
        PARLANCE_UPSTREAM_KEY_HEADER: 'api-key',
      });
      const url = await proxyTo(options.upstream!);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status, JSON.stringify(env)).toBe(200);
    }
  });
});

describe('credential header values are secrets like the key', () => {
  test('echoed in headers, error bodies, 2xx bodies and stream events, they never come back; other values do', async () => {
    upstream.handle((req, res) => {
      const echo = `${req.headers['x-portkey-api-key']} ${req.headers['x-title']}`;
      if (req.url.endsWith('/models')) {
        res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': echo });
        res.end(JSON.stringify({ status: 'failure', message: `bad ${echo}` }));
      } else if (req.headers.accept === 'text/event-stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        sse(res, chunk(echo, 'stop'));
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo }));
      }
    });
    const url = await proxyTo({
      apiKey: KEY,
      headers: { 'X-Title': 'Parlance demo', 'x-portkey-api-key': PORTKEY_KEY },
    });
    const texts: string[] = [];
    for (const [, send] of everyRoute(url).slice(0, 3)) {
      const response = await send();
      texts.push(JSON.stringify([...response.headers]), await response.text());
    }
    for (const text of [...texts, ...logs]) expect(text).not.toContain(PORTKEY_KEY);
    expect(texts.join('\n')).toContain('[redacted] Parlance demo');
  });

  test('describeMode names the headers and parameters, never their values', () => {
    const line = describeMode(
      optionsFromEnv({
        PARLANCE_UPSTREAM_URL: 'https://r.openai.azure.com/openai/deployments/d?api-version=2024-10-21',
        PARLANCE_UPSTREAM_KEY: KEY,
        PARLANCE_UPSTREAM_KEY_HEADER: 'api-key',
        PARLANCE_UPSTREAM_HEADERS: JSON.stringify({ 'x-portkey-api-key': PORTKEY_KEY }),
        PARLANCE_UPSTREAM_QUERY: 'sig=sas-signature-0123',
      }),
    );
    expect(line).toBe(
      'proxy to https://r.openai.azure.com/openai/deployments/d (key held by the server, sent as api-key; headers x-portkey-api-key; query sig)',
    );
  });
});

describe('settings are checked', () => {
  const base = { baseUrl: 'http://127.0.0.1:1/v1' };
  test.each<[string, Partial<UpstreamOptions>, RegExp]>([
    ['a name that is not a token', { headers: { 'X Title': 'a' } }, /"X Title" is not a header name/],
    ['a value with a line break', { headers: { 'X-Title': 'a\r\nInjected: yes' } }, /without line breaks/],
    ['a value that is not a string', { headers: { 'X-Title': 3 as unknown as string } }, /must be a string/],
    ['a header the proxy sets', { headers: { 'Content-Length': '1' } }, /set by the proxy/],
    ['the same header twice', { headers: { 'x-a': '1', 'X-A': '2' } }, /given twice/],
    [
      'authorization beside a key',
      { apiKey: KEY, headers: { Authorization: 'Bearer x' } },
      /carries the key/,
    ],
    [
      'the key header beside a key',
      { apiKey: KEY, keyHeader: 'api-key', headers: { 'API-Key': 'x' } },
      /carries the key/,
    ],
    ['a key header that is not a name', { keyHeader: 'api key' }, /keyHeader must be a header name/],
    ['a query value that is not a string', { query: { v: 1 as unknown as string } }, /string value/],
  ])('%s is a TypeError naming the setting', (_, options, message) => {
    expect(() => checkUpstream({ ...base, ...options })).toThrow(TypeError);
    expect(() => checkUpstream({ ...base, ...options })).toThrow(message);
    expect(() => createServer({ upstream: { ...base, ...options }, staticDir: null })).toThrow(message);
  });

  test('authorization may be set by headers when no key is configured, and is then a secret', async () => {
    upstream.handle((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `got ${req.headers.authorization}` }));
    });
    const url = await proxyTo({ headers: { Authorization: 'Token gateway-token-0123' } });
    const response = await fetch(`${url}/v1/models`);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('got [redacted]');
    expect(upstream.requests[0]!.headers.authorization).toBe('Token gateway-token-0123');
  });

  test.each([
    [
      { PARLANCE_UPSTREAM_HEADERS: '{"X-Title": ' },
      /PARLANCE_UPSTREAM_HEADERS must be a JSON object.*not JSON/,
    ],
    [{ PARLANCE_UPSTREAM_HEADERS: '["X-Title"]' }, /PARLANCE_UPSTREAM_HEADERS must be a JSON object/],
    [{ PARLANCE_UPSTREAM_HEADERS: '{"X-Title": 1}' }, /PARLANCE_UPSTREAM_HEADERS: the value of X-Title/],
    [{ PARLANCE_UPSTREAM_HEADERS: '{"Host": "x"}' }, /PARLANCE_UPSTREAM_HEADERS: Host is set by the proxy/],
    [{ PARLANCE_UPSTREAM_QUERY: '{"v": true}' }, /PARLANCE_UPSTREAM_QUERY: the value of v/],
    [{ PARLANCE_UPSTREAM_KEY_HEADER: 'a:b' }, /PARLANCE_UPSTREAM_KEY_HEADER must be a header name/],
  ])('the environment: %j', (env, message) => {
    expect(() => optionsFromEnv({ PARLANCE_UPSTREAM_URL: 'http://127.0.0.1:1/v1', ...env })).toThrow(message);
  });

  test('the environment: extras with no upstream are refused, not ignored', () => {
    expect(() => optionsFromEnv({ PARLANCE_UPSTREAM_HEADERS: '{"X-Title": "a"}' })).toThrow(
      /PARLANCE_UPSTREAM_HEADERS need an upstream: set PARLANCE_UPSTREAM_URL/,
    );
  });

  test('the environment: a query as a=b&c=d or JSON', () => {
    const read = (query: string) =>
      optionsFromEnv({ PARLANCE_UPSTREAM_URL: 'http://h/v1', PARLANCE_UPSTREAM_QUERY: query }).upstream!
        .query;
    expect(read('api-version=2024-10-21&x=a%20b')).toEqual({ 'api-version': '2024-10-21', x: 'a b' });
    expect(read('?api-version=1')).toEqual({ 'api-version': '1' });
    expect(read('{"api-version": "2"}')).toEqual({ 'api-version': '2' });
  });
});

describe('the command line', () => {
  test('--upstream-header and --upstream-query, repeatable, win over the environment', () => {
    const command = parseCommandLine(
      [
        '--upstream-header',
        'HTTP-Referer: https://app.example',
        '--upstream-header',
        'x-title:My app',
        '--upstream-query',
        'api-version=2024-10-21',
      ],
      {},
    );
    expect(command).toEqual({
      kind: 'serve',
      port: 8787,
      host: '127.0.0.1',
      upstreamHeaders: { 'HTTP-Referer': 'https://app.example', 'x-title': 'My app' },
      upstreamQuery: { 'api-version': '2024-10-21' },
    });
    const options = withUpstreamFlags(
      optionsFromEnv({
        PARLANCE_UPSTREAM_URL: 'http://h/v1',
        PARLANCE_UPSTREAM_HEADERS: '{"X-Title": "from env", "X-Other": "kept"}',
      }),
      command as Extract<typeof command, { kind: 'serve' }>,
    );
    expect(options.upstream!.headers).toEqual({
      'X-Other': 'kept',
      'HTTP-Referer': 'https://app.example',
      'x-title': 'My app',
    });
    expect(options.upstream!.query).toEqual({ 'api-version': '2024-10-21' });
  });

  test('a flag without a name is a usage error; flags without an upstream are refused', () => {
    expect(parseCommandLine(['--upstream-header', 'no separator'], {})).toEqual({
      kind: 'error',
      message: '--upstream-header must be "Name: value", not "no separator"',
    });
    expect(parseCommandLine(['--upstream-query', '=1'], {})).toMatchObject({ kind: 'error' });
    const command = parseCommandLine(['--upstream-header', 'X-Title: a'], {});
    expect(() => withUpstreamFlags({}, command as Extract<typeof command, { kind: 'serve' }>)).toThrow(
      /need an upstream/,
    );
    const bad = parseCommandLine(['--upstream-header', 'Host: x'], {});
    expect(() =>
      withUpstreamFlags(
        optionsFromEnv({ PARLANCE_UPSTREAM_URL: 'http://h/v1' }),
        bad as Extract<typeof bad, { kind: 'serve' }>,
      ),
    ).toThrow('--upstream-header: Host is set by the proxy itself and cannot be added');
  });
});
