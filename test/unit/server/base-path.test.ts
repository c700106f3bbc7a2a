// createServer({ basePath }): the whole server under a prefix, as a framework's route handler
// mounts it (Next.js: app/api/parlance/[...path]/route.ts). `fetch` alone, with no socket.
import http from 'node:http';

import { describe, expect, test } from 'vitest';

import { createServer, loadDocuments } from '../../../src/server/index';
import { envelope, offlineServer, postJson } from './helpers';

const BASE = '/api/parlance';
const server = offlineServer({ basePath: BASE });
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  server.fetch(new Request(`http://localhost:3000${path}`, { method, headers }));
const user = [{ role: 'user', content: 'How do I count tokens?' }];

describe('the API under basePath', () => {
  test('chat, models and images answer under the prefix', async () => {
    expect(server.basePath).toBe(BASE);
    const models = await get(`${BASE}/v1/models`);
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: Array<{ id: string }> }).data[0]!.id).toBe('parlance-offline');

    const chat = await postJson(server, `${BASE}/v1/chat/completions`, { model: 'gpt-4o', messages: user });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { object: string }).object).toBe('chat.completion');
  });

  test('a generated image URL is under the prefix too, and is served there', async () => {
    const response = await postJson(server, `${BASE}/v1/images/generations`, {
      prompt: 'a lighthouse',
      size: '256x256',
    });
    const { data } = (await response.json()) as { data: Array<{ url: string }> };
    const url = new URL(data[0]!.url);
    expect(url.pathname).toMatch(/^\/api\/parlance\/generated\/[0-9a-f]{24}\.png$/);
    const image = await get(url.pathname);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await get(url.pathname.slice(BASE.length))).status).toBe(404);
  });

  test.each(['/v1/models', '/v1/chat/completions', '/api/v1/models', '/api/parlancev1/models', '/'])(
    'a path outside the prefix (%s) is 404',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      const posted = await postJson(server, path, { model: 'gpt-4o', messages: user });
      expect(posted.status).toBe(404);
    },
  );

  test('unknown routes and wrong methods under the prefix keep their envelopes', async () => {
    const unknown = await get(`${BASE}/v1/files`);
    expect(unknown.status).toBe(404);
    expect((await envelope(unknown)).code).toBe('unknown_url');
    const wrong = await get(`${BASE}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect((await envelope(wrong)).code).toBe('method_not_allowed');
  });

  test.each([
    `${BASE}/v1/chat%2Fcompletions`,
    `${BASE}/v1/models%2e%2e`,
    `${BASE}%2Fv1/models`,
    `/api%2fparlance/v1/models`,
    `${BASE}/v1/images%5Cgenerations`,
  ])('an encoded path trick (%s) is 400 invalid_path', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect((await envelope(response)).code).toBe('invalid_path');
  });

  test('dot segments cannot climb out of the prefix into it', async () => {
    // The URL parser resolves them first: /api/parlance/../v1/models is /api/v1/models.
    expect((await get(`${BASE}/../v1/models`)).status).toBe(404);
    expect((await get(`/other/..${BASE}/v1/models`)).status).toBe(200);
  });

  test('the same origin needs no CORS; another origin is refused as without a prefix', async () => {
    expect((await get(`${BASE}/v1/models`, { origin: 'http://localhost:3000' })).status).toBe(200);
    const refused = await get(`${BASE}/v1/models`, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect((await envelope(refused)).code).toBe('origin_not_allowed');
  });

  test('the prefix itself answers the page naming the API URL, when no playground is served', async () => {
    const page = createServer({
      basePath: `${BASE}/`,
      staticDir: '/nonexistent-parlance-dir',
      documents: [],
    });
    expect(page.basePath).toBe(BASE);
    expect(page.playground).toBe(false);
    for (const path of [BASE, `${BASE}/`]) {
      const response = await page.fetch(new Request(`http://localhost:3000${path}`));
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('http://localhost:3000/api/parlance/v1');
      expect(html).toContain('curl http://localhost:3000/api/parlance/v1/chat/completions');
    }
  });

  test('without a socket, rate limits fall back to one shared client', async () => {
    const limited = offlineServer({ basePath: BASE, rateLimits: { chatPerMinute: 1 } });
    const body = { model: 'gpt-4o', messages: user, max_tokens: 1 };
    expect((await postJson(limited, `${BASE}/v1/chat/completions`, body)).status).toBe(200);
    const second = await postJson(limited, `${BASE}/v1/chat/completions`, body, {
      'x-forwarded-for': '203.0.113.9',
    });
    // A header a client can set does not buy it a fresh bucket.
    expect(second.status).toBe(429);
  });

  test.each([
    'api/parlance',
    '/api/../parlance',
    '/api/./x',
    '/api parlance',
    '/api?x=1',
    '/api/%2e%2e',
    '//',
  ])('a malformed basePath (%s) is a TypeError', (basePath) => {
    expect(() => createServer({ basePath, documents: [] })).toThrow(TypeError);
    expect(() => createServer({ basePath, documents: [] })).toThrow(/basePath must be a path/);
  });

  test.each([undefined, '', '/'])('basePath %s mounts at the root', async (basePath) => {
    const root = offlineServer({ basePath });
    expect(root.basePath).toBe('');
    expect((await root.fetch(new Request('http://127.0.0.1:8787/v1/models'))).status).toBe(200);
  });
});

/** POSTs `body` to `url` from the local address `from` (any 127.x.y.z reaches the loopback). */
function postFrom(url: string, from: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('rate limits on the Node listener', () => {
  test('name the client by its socket address', async () => {
    const limited = createServer({ staticDir: null, documents: [], rateLimits: { chatPerMinute: 1 } });
    const { url, close } = await limited.listen({ port: 0, host: '127.0.0.1' });
    try {
      const endpoint = `${url}/v1/chat/completions`;
      const body = JSON.stringify({ model: 'gpt-4o', messages: user, max_tokens: 1 });
      expect(await postFrom(endpoint, '127.0.0.1', body)).toBe(200);
      expect(await postFrom(endpoint, '127.0.0.1', body)).toBe(429);
      expect(await postFrom(endpoint, '127.0.0.2', body)).toBe(200);
    } finally {
      await close();
    }
  });
});

describe('documents, where a bundler moved the server away from its files', () => {
  test('missing files are skipped: the server starts and offline chat still answers', async () => {
    expect(loadDocuments(null)).toEqual([]);
    expect(loadDocuments('/nonexistent-parlance-root')).toEqual([]);
    const moved = createServer({ docsDir: '/nonexistent-parlance-docs', staticDir: null, chunkDelayMs: 0 });
    const response = await postJson(moved, '/v1/chat/completions', { model: 'gpt-4o', messages: user });
    expect(response.status).toBe(200);
    const { choices } = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(choices[0]!.message.content).toMatch(/^_Offline mode/);
  });

  test('by default, the package README and docs are read', () => {
    const paths = loadDocuments().map((document) => document.path);
    expect(paths).toContain('README.md');
    expect(paths).toContain('docs/server.md');
  });
});

describe('links back to the server, behind a route handler', () => {
  test('an offline image URL uses the Host and scheme the client used, not the handler’s URL', async () => {
    const generate = (headers: Record<string, string>) =>
      server.fetch(
        new Request(`http://localhost:3000${BASE}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ prompt: 'a lighthouse', size: '256x256' }),
        }),
      );
    const url = async (response: Response) =>
      ((await response.json()) as { data: Array<{ url: string }> }).data[0]!.url;
    expect(await url(await generate({ host: 'app.example.com', 'x-forwarded-proto': 'https' }))).toMatch(
      /^https:\/\/app\.example\.com\/api\/parlance\/generated\/[0-9a-f]{24}\.png$/,
    );
    expect(await url(await generate({}))).toMatch(/^http:\/\/localhost:3000\/api\/parlance\/generated\//);
    expect(await url(await generate({ host: 'evil"><x', 'x-forwarded-proto': 'javascript' }))).toMatch(
      /^http:\/\/localhost:3000\/api\/parlance\/generated\//,
    );
  });
});
