// Which pages may call the API. Offline mode (no secret) answers loopback origins on any port, so
// an app's dev server on this machine works as is; proxy mode (it holds a key) answers only its
// own origin and the allowlist. Then through a real Vite dev server's `server.proxy`, with the
// headers it really forwards.
import type { AddressInfo } from 'node:net';

import { createServer as createViteServer, type ProxyOptions, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { envelope, offlineServer } from './helpers';

const MODELS = {
  object: 'list',
  data: [{ id: 'upstream-model', object: 'model', created: 0, owned_by: 'x' }],
};

/** Proxy mode against an in-process upstream that lists one model. */
function proxyServer(allowedOrigins?: readonly string[]) {
  return createServer({
    upstream: {
      baseUrl: 'https://upstream.invalid/v1',
      apiKey: 'sk-test-origins',
      fetch: async () =>
        new Response(JSON.stringify(MODELS), { headers: { 'content-type': 'application/json' } }),
    },
    allowedOrigins,
    staticDir: null,
    rateLimits: false,
  });
}

const request = (server: { fetch(r: Request): Promise<Response> }, origin: string, method = 'GET') =>
  server.fetch(
    new Request('http://127.0.0.1:8787/v1/chat/completions', {
      method,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    }),
  );

const LOOPBACK = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://[::1]:5173',
  'http://localhost',
  'http://localhost:3000',
  'https://localhost:5173',
];
const NOT_LOOPBACK = [
  'http://localhost.evil.example',
  'http://127.0.0.1.evil.example:5173',
  'http://evil.example',
  'http://localhost:5173.evil.example',
  'http://127.0.0.2:5173',
  'null',
  'file://',
];

describe('offline mode', () => {
  const server = offlineServer();

  test.each(LOOPBACK)('a page on %s gets its preflight answered with CORS headers', async (origin) => {
    const preflight = await request(server, origin, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const models = await server.fetch(
      new Request('http://127.0.0.1:8787/v1/models', { headers: { origin } }),
    );
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBe(origin);
  });

  test.each(NOT_LOOPBACK)('a page on %s is still refused', async (origin) => {
    const response = await request(server, origin, 'OPTIONS');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('proxy mode stays deny-by-default', () => {
  test.each(LOOPBACK)('a page on %s is refused, preflight included', async (origin) => {
    const server = proxyServer();
    for (const method of ['OPTIONS', 'POST']) {
      const response = await request(server, origin, method);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect((await envelope(response)).code).toBe('origin_not_allowed');
    }
  });

  test('an origin on the allowlist is answered; its own origin needs nothing', async () => {
    const server = proxyServer(['http://localhost:5173']);
    const preflight = await request(server, 'http://localhost:5173', 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await request(server, 'http://127.0.0.1:5173', 'OPTIONS')).status).toBe(403);
    const own = await server.fetch(
      new Request('http://127.0.0.1:8787/v1/models', { headers: { origin: 'http://127.0.0.1:8787' } }),
    );
    expect(own.status).toBe(200);
  });
});

describe('same origin, behind a framework or a proxy that rewrote the URL or Host', () => {
  // `next start` hands a route handler http://localhost:<port>/… whatever the browser asked for.
  const routeHandler = (headers: Record<string, string>) =>
    proxyServer().fetch(
      new Request('http://localhost:3000/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    );

  test('the browser’s Host matching its Origin is same-origin, in proxy mode too', async () => {
    const response = await routeHandler({ host: 'app.example.com', origin: 'https://app.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await routeHandler({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' })).status).toBe(
      200,
    );
  });

  test('Sec-Fetch-Site: same-origin (set by the browser, never by a page) is same-origin', async () => {
    const response = await routeHandler({
      host: '127.0.0.1:8787',
      origin: 'http://localhost:5173',
      'sec-fetch-site': 'same-origin',
    });
    expect(response.status).toBe(200);
  });

  test.each<Record<string, string>>([
    { host: 'app.example.com', origin: 'https://evil.example' },
    { host: 'app.example.com', origin: 'https://app.example.com.evil.example' },
    { host: 'app.example.com', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    { host: 'app.example.com', origin: 'https://sub.app.example.com', 'sec-fetch-site': 'same-site' },
    { host: 'app.example.com', origin: 'null' },
  ])('a page on another host is still refused: %j', async (headers) => {
    const response = await routeHandler(headers);
    expect(response.status).toBe(403);
    expect((await envelope(response)).code).toBe('origin_not_allowed');
  });
});

describe('through a Vite dev server proxy', () => {
  let offline: ListeningServer;
  let proxied: ListeningServer;
  const vites: ViteDevServer[] = [];

  beforeAll(async () => {
    offline = await offlineServer().listen({ port: 0, host: '127.0.0.1' });
    proxied = await proxyServer().listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const vite of vites) await vite.close();
    await offline?.close();
    await proxied?.close();
  });

  /** A Vite dev server on 127.0.0.1 whose `/v1` goes to `target`; resolves to its origin. */
  async function vite(proxy: ProxyOptions): Promise<string> {
    const server = await createViteServer({
      configFile: false,
      root: import.meta.dirname,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false, proxy: { '/v1': proxy }, ws: false },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await server.listen();
    vites.push(server);
    return `http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`;
  }

  /** What the browser on the app's page sends: its own origin, to its own dev server. */
  const fromPage = (app: string, path: string) => fetch(`${app}${path}`, { headers: { origin: app } });

  test('offline mode: the plain recipe works with or without changeOrigin', async () => {
    for (const changeOrigin of [false, true]) {
      const app = await vite({ target: offline.url, changeOrigin });
      const response = await fromPage(app, '/v1/models');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: Array<{ id: string }> }).data[0]!.id).toBe(
        'parlance-offline',
      );
    }
  });

  test('proxy mode: without changeOrigin the request is same-origin (Host passes through)', async () => {
    const app = await vite({ target: proxied.url });
    const response = await fromPage(app, '/v1/models');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(MODELS);
  });

  test('proxy mode with changeOrigin: a browser’s Sec-Fetch-Site passes through, and it is same-origin', async () => {
    const app = await vite({ target: proxied.url, changeOrigin: true });
    const response = await fetch(`${app}/v1/models`, {
      headers: { origin: app, 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(MODELS);
  });

  test('proxy mode: changeOrigin with no Sec-Fetch-Site is refused; dropping Origin in `configure` works', async () => {
    const refused = await fromPage(await vite({ target: proxied.url, changeOrigin: true }), '/v1/models');
    expect(refused.status).toBe(403);
    expect((await envelope(refused)).code).toBe('origin_not_allowed');

    const app = await vite({
      target: proxied.url,
      changeOrigin: true,
      configure: (proxy) => proxy.on('proxyReq', (proxyReq) => proxyReq.removeHeader('origin')),
    });
    const response = await fromPage(app, '/v1/models');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(MODELS);
  });
});
