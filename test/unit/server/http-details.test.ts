// HTTP details every answer keeps: `Allow` on a 405, `HEAD` wherever `GET` is served, dot
// segments refused as sent (before the URL parser resolves them), and an `x-request-id` on every
// answer, offline and through the proxy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { envelope, offlineServer, postJson } from './helpers';
import { rawRequest } from './http';
import { startUpstream, type FakeUpstream } from './upstream';

const REQUEST_ID = /^req_[0-9a-f]{32}$/;

let offline: ListeningServer;
let upstream: FakeUpstream;
let proxy: ListeningServer;

beforeAll(async () => {
  offline = await offlineServer().listen({ port: 0, host: '127.0.0.1' });
  upstream = await startUpstream();
  proxy = await createServer({
    upstream: { baseUrl: upstream.url, apiKey: 'sk-http-details-0123456789' },
    staticDir: null,
    rateLimits: false,
  }).listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await Promise.all([offline?.close(), proxy?.close()]);
  await upstream?.close();
});

describe('405 answers carry Allow', () => {
  test.each([
    ['GET', '/v1/chat/completions', 'POST, OPTIONS'],
    ['PUT', '/v1/images/generations', 'POST, OPTIONS'],
    ['DELETE', '/v1/models', 'GET, HEAD, OPTIONS'],
    ['POST', '/v1/models', 'GET, HEAD, OPTIONS'],
    ['GET', '/tokenize', 'POST, OPTIONS'],
  ])('%s %s', async (method, path, allow) => {
    const response = await rawRequest(`${offline.url}${path}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(JSON.parse(response.body).error.code).toBe('method_not_allowed');
  });

  test('under a basePath too, through fetch alone', async () => {
    const server = offlineServer({ basePath: '/api/parlance' });
    const response = await server.fetch(
      new Request('http://localhost:3000/api/parlance/v1/chat/completions'),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('HEAD is answered wherever GET is', () => {
  /** GET and HEAD of `url`: same status and headers (but the date and the request id), no body. */
  async function compare(url: string) {
    const [get, head] = [await rawRequest(url), await rawRequest(url, { method: 'HEAD' })];
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const strip = (headers: Record<string, unknown>) => {
      const { date: _date, 'x-request-id': _id, ...rest } = headers;
      return rest;
    };
    expect(strip(head.headers)).toEqual(strip(get.headers));
    // The length GET's body had (the listener counts it for GET; HEAD has no body to count).
    expect(head.headers['content-length']).toMatch(/^[1-9]\d*$/);
    return head;
  }

  test('HEAD /v1/models, offline', async () => {
    const head = await compare(`${offline.url}/v1/models`);
    expect(head.headers['content-type']).toBe('application/json');
  });

  test('HEAD /v1/models, through the proxy (the upstream is asked with GET)', async () => {
    upstream.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.method === 'GET' ? JSON.stringify({ object: 'list', data: [{ id: 'm' }] }) : '');
    });
    await compare(`${proxy.url}/v1/models`);
    expect(upstream.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  test('HEAD of static files and of a generated image', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parlance-head-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Playground</title>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("hello");\n'.repeat(100));
    const page = await offlineServer({ staticDir: dir }).listen({ port: 0, host: '127.0.0.1' });
    try {
      expect((await compare(`${page.url}/`)).headers['content-type']).toContain('text/html');
      expect((await compare(`${page.url}/assets/app.js`)).headers['content-length']).toBe('2200');
    } finally {
      await page.close();
      rmSync(dir, { recursive: true });
    }
    const generated = await fetch(`${offline.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a lighthouse', size: '256x256' }),
    });
    const url = ((await generated.json()) as { data: Array<{ url: string }> }).data[0]!.url;
    const head = await compare(url);
    expect(head.headers['content-type']).toBe('image/png');
  });
});

describe('dot segments are refused as sent', () => {
  test.each([
    '/v1/chat/%2e%2e/models',
    '/v1/chat/%2E%2E/models',
    '/v1/chat/%2E./models',
    '/v1/chat/.%2e/models',
    '/v1/chat/../models',
    '/v1/./models',
    '/./v1/models',
    '/v1/models/.',
    '/v1/images/generations/../../v1/models',
  ])('%s is 400 invalid_path', async (path) => {
    const response = await sendTarget(offline, path);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('invalid_path');
  });

  test('a request target in absolute form is checked too', async () => {
    const absolute = (path: string) => sendTarget(offline, `${offline.url}${path}`);
    expect((await absolute('/v1/chat/../models')).status).toBe(400);
    expect((await absolute('/v1/models?x=/../')).status).toBe(200);
  });

  test('dots inside a name are not segments', async () => {
    expect((await sendTarget(offline, '/v1/models..')).status).toBe(404);
    expect((await sendTarget(offline, '/v1/models?after=/../')).status).toBe(200);
  });
});

/**
 * Sends `target` as the request target exactly as written (`rawRequest` parses its URL, which
 * resolves dot segments before anything is sent).
 */
function sendTarget(server: ListeningServer, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: target, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('every answer carries x-request-id', () => {
  test('offline: answers, streams, errors, refusals and preflights, each its own', async () => {
    const server = offlineServer();
    const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    const responses = await Promise.all([
      server.fetch(new Request('http://127.0.0.1:8787/v1/models')),
      postJson(server, '/v1/chat/completions', chat),
      postJson(server, '/v1/chat/completions', { ...chat, stream: true }),
      postJson(server, '/v1/chat/completions', { messages: [] }),
      postJson(server, '/tokenize', { prompt: 'hello' }),
      server.fetch(new Request('http://127.0.0.1:8787/v1/files')),
      server.fetch(new Request('http://127.0.0.1:8787/nothing-here')),
      server.fetch(new Request('http://127.0.0.1:8787/v1/models%2e%2e')),
      server.fetch(
        new Request('http://127.0.0.1:8787/v1/models', { headers: { origin: 'https://evil.example' } }),
      ),
      server.fetch(
        new Request('http://127.0.0.1:8787/v1/chat/completions', {
          method: 'OPTIONS',
          headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
        }),
      ),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400, 200, 404, 404, 400, 403, 204]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(REQUEST_ID);
    expect(new Set(ids).size).toBe(ids.length);
    // A browser page may read it: CORS exposes it.
    expect(responses[9]!.headers.get('access-control-expose-headers')).toContain('x-request-id');
    await Promise.all(responses.map((r) => r.body?.cancel()));
  });

  test('proxy: the upstream’s id passes through, on answers and errors alike', async () => {
    upstream.handle((req, res) => {
      const status = req.url.endsWith('/models') ? 200 : 429;
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_up_${status}` });
      res.end(status === 200 ? '{"object":"list","data":[]}' : '{"error":{"message":"slow down"}}');
    });
    const models = await fetch(`${proxy.url}/v1/models`);
    expect(models.headers.get('x-request-id')).toBe('req_up_200');
    const limited = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-request-id')).toBe('req_up_429');
    expect((await envelope(limited)).message).toBe('slow down');
  });

  test('proxy: an upstream that sends none, or cannot be reached, still gets one', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[]}');
    });
    const models = await fetch(`${proxy.url}/v1/models`);
    expect(models.headers.get('x-request-id')).toMatch(REQUEST_ID);
    const unreachable = createServer({
      upstream: { baseUrl: 'http://127.0.0.1:9/v1' },
      staticDir: null,
      rateLimits: false,
    });
    const response = await unreachable.fetch(new Request('http://127.0.0.1:8787/v1/models'));
    expect(response.status).toBe(502);
    expect(response.headers.get('x-request-id')).toMatch(REQUEST_ID);
  });
});
