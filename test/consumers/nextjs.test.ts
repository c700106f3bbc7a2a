// Next.js 16 App Router (create-next-app's TypeScript set-up, Cache Components on): a Server
// Component page importing ChatWindow, a client page with the hooks, and the reference server
// mounted as a route handler with basePath. Built with Turbopack (the default) and with webpack.
import { existsSync } from 'node:fs';
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
import { assertSucceeded, freePort, installFixture, type Fixture } from './support/fixture';
import { describeFailure, start, type Started } from './support/process';

let app: Fixture;
let server: Started | undefined;
let origin = '';
let browser: Browser | undefined;
const pages = new Map<string, OpenedPage>();
const timings: Record<string, number> = {};

beforeAll(async () => {
  app = await installFixture('nextjs', inject('parlanceTarball'));
  timings.install = app.install.ms;
});

afterAll(async () => {
  for (const { context } of pages.values()) await context.close();
  await browser?.close();
  await server?.stop();
  console.log(`consumers/nextjs timings (ms): ${JSON.stringify(timings)}`);
  await app?.remove();
});

/** `next start` on the Turbopack build, and a page of it opened once in Chromium. */
async function open(route: string): Promise<OpenedPage> {
  const known = pages.get(route);
  if (known) return known;
  expect(existsSync(path.join(app.dir, '.next/BUILD_ID')), 'the app was built').toBe(true);
  if (!server) {
    const port = await freePort();
    server = await start('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: app.dir,
      ready: /Ready in/,
      timeoutMs: 60_000,
    });
    origin = `http://127.0.0.1:${port}`;
  }
  browser ??= await launchChromium();
  const opened = await openPage(browser, `${origin}${route}`);
  pages.set(route, opened);
  return opened;
}

/** The build's route table marks the page prerendered: static (○) or a partial prerender (◐). */
function expectPrerendered(stdout: string, route: string) {
  const line = stdout.split('\n').find((l) => new RegExp(`^[┌├└]\\s+\\S+\\s+${route}(\\s|$)`).test(l));
  expect(line, `next build lists ${route}:\n${stdout}`).toBeDefined();
  expect(line, `next build prerenders ${route}`).toMatch(/[○◐]/);
}

test('installs', () => {
  assertSucceeded('npm install', app.install);
  expect(existsSync(path.join(app.dir, 'node_modules/parlance/package.json'))).toBe(true);
});

test('builds with Turbopack (type check and prerendering included)', async () => {
  const result = await app.run('node_modules/.bin/next', ['build']);
  timings.buildTurbopack = result.ms;
  expect(result.code, describeFailure('next build', result)).toBe(0);
  expectPrerendered(result.stdout, '/');
  expectPrerendered(result.stdout, '/chat');
});

test('serves the route handler: the reference server under /api/parlance', async () => {
  await open('/');
  const response = await fetch(`${origin}/api/parlance/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }),
  });
  const body = await response.text();
  expect(response.status, body.slice(0, 500)).toBe(200);
  expect(JSON.parse(body)).toMatchObject({ object: 'chat.completion' });
});

test('streams a reply in Chromium on the Server Component page', async () => {
  const started = performance.now();
  const { page } = await open('/');
  await sendAndAwaitReply(page, 'How do I install Parlance?');
  timings.chat = Math.round(performance.now() - started);
});

test('counts tokens in a worker on the Server Component page', async () => {
  const { page, errors } = await open('/');
  await expectTokenizerWorker(page, errors);
});

test('the Server Component page itself loads no rank table', async () => {
  await expectNoRankTableOnPage(await open('/'), await rankSlices(app.dir));
});

test('streams a reply on the client page (useChat) and counts tokens in a worker (useTokenCount)', async () => {
  const shown = await open('/chat');
  const { page, errors } = shown;
  await sendAndAwaitReply(page, 'What is Parlance?');
  const tokens = page.getByTestId('tokens');
  await expect.poll(() => tokens.getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
  expect(Number.parseInt(await tokens.innerText(), 10)).toBeGreaterThan(5);
  await expectTokenizerWorker(page, errors);
  await expectNoRankTableOnPage(shown, await rankSlices(app.dir));
});

test('logs no errors on either page', async () => {
  const errors = await Promise.all(['/', '/chat'].map(async (route) => (await open(route)).errors));
  expect(errors.flat()).toEqual([]);
});

test('builds with webpack', async () => {
  await server?.stop();
  server = undefined;
  const result = await app.run('node_modules/.bin/next', ['build', '--webpack']);
  timings.buildWebpack = result.ms;
  expect(result.code, describeFailure('next build --webpack', result)).toBe(0);
  expectPrerendered(result.stdout, '/');
  expectPrerendered(result.stdout, '/chat');
});
