// The README Quick start's situation in a real browser: a page on http://localhost:<port> (an
// app's dev server) calls the reference server on http://127.0.0.1:<other port>/v1. Offline mode
// answers the preflight and streams the reply; proxy mode refuses the page, which then sees only
// the browser's opaque TypeError (the core client turns it into a NetworkError that explains).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { createServer as createViteServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { launchChromium } from '../../support/chromium';
import { offlineServer } from './helpers';

let offline: ListeningServer;
let proxied: ListeningServer;
let app: http.Server;
let appOrigin: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  offline = await offlineServer().listen({ port: 0, host: '127.0.0.1' });
  proxied = await createServer({
    upstream: {
      baseUrl: 'https://upstream.invalid/v1',
      fetch: async () =>
        new Response('{"object":"list","data":[]}', { headers: { 'content-type': 'application/json' } }),
    },
    staticDir: null,
    rateLimits: false,
  }).listen({ port: 0, host: '127.0.0.1' });
  app = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>App</title><h1>App</h1>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${appOrigin}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await offline?.close();
  await proxied?.close();
  await new Promise((resolve) => app?.close(resolve));
});

/** POSTs a streamed chat request from the page, as the kit's client does (JSON: a preflight). */
function chatFromPage(apiUrl: string) {
  return page.evaluate(async (url) => {
    try {
      const response = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'How do I count tokens?' }],
        }),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }, apiUrl);
}

test('offline mode: a page on localhost gets its reply from 127.0.0.1, preflight and all', async () => {
  expect(await page.evaluate(() => location.origin)).toBe(appOrigin);
  const result = await chatFromPage(`${offline.url}/v1`);
  expect(result.status).toBe(200);
  expect(result.text).toContain('"chat.completion.chunk"');
  expect(result.text).toMatch(/data: \[DONE\]\s*$/);
}, 30_000);

test('proxy mode: the same page is refused, and sees only an opaque TypeError', async () => {
  const result = await chatFromPage(`${proxied.url}/v1`);
  expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
}, 30_000);

test('proxy mode through a Vite dev proxy with changeOrigin: the browser’s page is same-origin', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'parlance-vite-app-'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Vite app</title><h1>Vite app</h1>');
  const vite = await createViteServer({
    configFile: false,
    root,
    logLevel: 'silent',
    server: {
      host: '127.0.0.1',
      port: 0,
      proxy: { '/v1': { target: proxied.url, changeOrigin: true } },
    },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    await vite.listen();
    const port = (vite.httpServer!.address() as AddressInfo).port;
    const vitePage = await browser.newPage();
    await vitePage.goto(`http://localhost:${port}/`);
    const result = await vitePage.evaluate(async () => {
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      return { status: response.status, text: await response.text() };
    });
    // The fake upstream answers every route with its model list: what matters is that it was reached.
    expect(result).toEqual({ status: 200, text: '{"object":"list","data":[]}' });
    await vitePage.close();
  } finally {
    await vite.close();
    await rm(root, { recursive: true, force: true });
  }
}, 60_000);
