// The standalone widget on a plain HTML page under the README's strict CSP: the installed
// package's dist/ served as static files at /assets/parlance/, the reference server as the API.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { launchChromium } from '../support/chromium';

import {
  expectNoRankTableOnPage,
  expectTokenizerWorker,
  openPage,
  rankSlices,
  sendAndAwaitReply,
  type OpenedPage,
} from './support/browser';
import {
  assertSucceeded,
  installFixture,
  startReferenceServer,
  type Fixture,
  type ReferenceServer,
} from './support/fixture';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

let app: Fixture;
let api: ReferenceServer | undefined;
let site: { url: string; close: () => Promise<void> } | undefined;
let browser: Browser | undefined;
let opened: OpenedPage | undefined;

beforeAll(async () => {
  app = await installFixture('widget-html', inject('parlanceTarball'));
});

afterAll(async () => {
  await opened?.context.close();
  await browser?.close();
  await site?.close();
  await api?.process.stop();
  await app?.remove();
});

/** The README's strict policy: scripts from the page's origin only, connections to the API only. */
const strictCsp = (apiOrigin: string) => `default-src 'none'; script-src 'self'; connect-src ${apiOrigin}`;

/** A static site: the page at `/`, the installed package's dist/ at /assets/parlance/. */
async function serveSite(apiOrigin: string) {
  const dist = path.join(app.dir, 'node_modules/parlance/dist');
  const page = (await readFile(path.join(app.dir, 'index.html'), 'utf8')).replaceAll('__API__', apiOrigin);
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = { 'content-security-policy': strictCsp(apiOrigin), 'cache-control': 'no-store' };
    if (pathname === '/')
      return void res.writeHead(200, { ...headers, 'content-type': TYPES['.html'] }).end(page);
    const file = path.resolve(dist, `.${decodeURIComponent(pathname.replace(/^\/assets\/parlance/, ''))}`);
    if (!pathname.startsWith('/assets/parlance/') || !file.startsWith(dist + path.sep))
      return void res.writeHead(404, headers).end('not found');
    try {
      const body = await readFile(file);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'content-type': type }).end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function widgetPage(): Promise<OpenedPage> {
  if (opened) return opened;
  api = await startReferenceServer(app);
  site = await serveSite(api.origin);
  browser = await launchChromium();
  opened = await openPage(browser, `${site.url}/`);
  return opened;
}

test('installs', async () => {
  assertSucceeded('npm install', app.install);
  const file = path.join(app.dir, 'node_modules/parlance/dist/widget/parlance-chat.js');
  expect((await readFile(file)).byteLength, 'dist/widget/parlance-chat.js ships').toBeGreaterThan(0);
});

test('opens from the launcher and streams a reply in Chromium, under the strict CSP', async () => {
  const shown = await widgetPage();
  const { page, errors } = shown;
  const launcher = page.getByRole('button', { name: /open chat/i });
  await launcher.waitFor({ timeout: 30_000 });
  await launcher.click();
  await page
    .getByRole('textbox')
    .first()
    .waitFor({ timeout: 30_000 })
    .catch((error: unknown) => {
      throw new Error(`The chat panel did not load: ${String(error)}\nerrors: ${errors.join('\n')}`);
    });
  await sendAndAwaitReply(page, 'How do I install Parlance?');
});

test('counts tokens in a worker served as JavaScript', async () => {
  const { page, errors } = await widgetPage();
  await expectTokenizerWorker(page, errors);
});

test('the page itself loads no rank table', async () => {
  await expectNoRankTableOnPage(await widgetPage(), await rankSlices(app.dir));
});

test('logs no errors and no CSP violations', async () => {
  const { errors } = await widgetPage();
  expect(errors).toEqual([]);
});
