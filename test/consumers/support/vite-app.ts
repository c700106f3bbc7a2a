// The tests a Vite + React app passes: it installs the tarball, type-checks, builds, and its built
// page chats with a reference server started from the installed package, counting tokens in a
// worker, without loading a rank table on the page and without errors. With `quickStart`, the
// README's Quick start and docs/vite.md's proxy recipe also run in Vite's dev server.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { launchChromium } from '../../support/chromium';

import {
  expectNoRankTableOnPage,
  expectTokenizerWorker,
  openPage,
  rankSlices,
  sendAndAwaitReply,
  type OpenedPage,
} from './browser';
import {
  assertSucceeded,
  freePort,
  installFixture,
  startReferenceServer,
  type Fixture,
  type ReferenceServer,
} from './fixture';
import { describeFailure, repoRoot, start, type Started } from './process';

export function viteAppSuite(name: string, options: { quickStart?: boolean } = {}) {
  let app: Fixture;
  let api: ReferenceServer | undefined;
  let preview: Started | undefined;
  let dev: Started | undefined;
  let browser: Browser | undefined;
  let opened: OpenedPage | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    app = await installFixture(name, inject('parlanceTarball'), { base: 'vite-app' });
    timings.install = app.install.ms;
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await dev?.stop();
    await preview?.stop();
    await api?.process.stop();
    console.log(`consumers/${name} timings (ms): ${JSON.stringify(timings)}`);
    await app?.remove();
  });

  /**
   * Puts a documented component in src/App.tsx, as the docs say, and has main.tsx render it:
   * create-vite's main.tsx (the fixture's) renders App's default export; a block with a named
   * export only (an older README) gets a main.tsx that renders that one.
   */
  async function pasteApp(code: string) {
    const named = code.match(/export function (\w+)/)?.[1];
    const component = code.match(/export default (\w+)/)?.[1];
    expect(component ?? named, 'the documented block exports a component').toBeTruthy();
    await writeFile(path.join(app.dir, 'src/App.tsx'), code);
    await writeFile(
      path.join(app.dir, 'src/main.tsx'),
      [
        "import { StrictMode } from 'react';",
        "import { createRoot } from 'react-dom/client';",
        component ? `import ${component} from './App';` : `import { ${named} } from './App';`,
        '',
        "createRoot(document.getElementById('root')!).render(",
        `  <StrictMode><${component ?? named} /></StrictMode>,`,
        ');',
        '',
      ].join('\n'),
    );
  }

  /** Starts `vite` (dev) on 127.0.0.1 and asks a reply on the app's dev origin, `localhost`. */
  async function chatInDevMode() {
    await dev?.stop();
    const port = await freePort();
    dev = await start(
      'node_modules/.bin/vite',
      ['--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      { cwd: app.dir, ready: /http:\/\/127\.0\.0\.1:\d+/, timeoutMs: 60_000 },
    );
    browser ??= await launchChromium();
    const page = await openPage(browser, `http://localhost:${port}/`);
    try {
      await sendAndAwaitReply(page.page, 'What is Parlance?');
      expect(page.errors).toEqual([]);
    } finally {
      await page.context.close();
    }
  }

  /** The built app's page, served by `vite preview`, opened once and shared by the checks. */
  async function builtPage(): Promise<OpenedPage> {
    if (opened) return opened;
    expect(existsSync(path.join(app.dir, 'dist/index.html')), 'the app was built').toBe(true);
    api ??= await startReferenceServer(app);
    const port = await freePort();
    preview = await start(
      'node_modules/.bin/vite',
      ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      { cwd: app.dir, ready: /http:\/\/127\.0\.0\.1:\d+/, timeoutMs: 30_000 },
    );
    browser ??= await launchChromium();
    opened = await openPage(browser, `http://127.0.0.1:${port}/?api=${api.origin}/v1`);
    return opened;
  }

  test('installs', () => {
    assertSucceeded('npm install', app.install);
    expect(existsSync(path.join(app.dir, 'node_modules/parlance/package.json'))).toBe(true);
  });

  test('type-checks', async () => {
    const result = await app.run('node_modules/.bin/tsc', ['-p', 'tsconfig.json']);
    timings.typecheck = result.ms;
    expect(result.code, describeFailure('tsc -p tsconfig.json', result)).toBe(0);
  });

  test('builds', async () => {
    const result = await app.run('node_modules/.bin/vite', ['build']);
    timings.build = result.ms;
    expect(result.code, describeFailure('vite build', result)).toBe(0);
  });

  test('streams a reply in Chromium', async () => {
    const started = performance.now();
    const { page } = await builtPage();
    await sendAndAwaitReply(page, 'How do I install Parlance?');
    timings.chat = Math.round(performance.now() - started);
  });

  test('runs a tool round in Chromium: the call runs in the page and the model answers', async () => {
    const { page, errors } = await builtPage();
    const assistants = page.locator('[data-role="assistant"]');
    const before = await assistants.count();
    await page.locator('textarea').first().fill('What is the weather in Lyon?');
    await page.getByRole('button', { name: 'Send', exact: true }).first().click();
    const card = page.locator('[data-tool="get_weather"]').last();
    await card.waitFor({ timeout: 60_000 });
    await expect.poll(() => card.innerText(), { timeout: 60_000 }).toContain('consumer app');
    await expect.poll(() => assistants.count(), { timeout: 60_000 }).toBe(before + 2);
    await expect.poll(() => assistants.last().getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(errors).toEqual([]);
  });

  test('counts tokens in a worker served as JavaScript', async () => {
    const { page, errors } = await builtPage();
    await expectTokenizerWorker(page, errors);
  });

  test('the page itself loads no rank table', async () => {
    const shown = await builtPage();
    await expectNoRankTableOnPage(shown, await rankSlices(app.dir));
  });

  test('logs no errors', async () => {
    const { errors } = await builtPage();
    expect(errors).toEqual([]);
  });

  if (options.quickStart)
    test('runs the README Quick start in Vite dev mode: a reply streams', async () => {
      // The README's first tsx block, pasted over the app's src/App.tsx as the README says; only
      // the reference server's port differs from the documented 8787 (another server may hold that
      // port on a shared machine).
      const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('## Quick start'));
      const block = section.match(/```tsx\n([\s\S]*?)```/)?.[1];
      expect(block, 'README.md has a tsx block under "## Quick start"').toBeTruthy();
      expect(block).toContain('http://127.0.0.1:8787/v1');
      api ??= await startReferenceServer(app);
      await pasteApp(block!.replaceAll('http://127.0.0.1:8787', api.origin));
      // A fresh app has no widget markup: its own test is "type-checks".
      await rm(path.join(app.dir, 'src/WidgetMarkup.tsx'), { force: true });
      const typecheck = await app.run('node_modules/.bin/tsc', ['-p', 'tsconfig.json']);
      expect(typecheck.code, describeFailure('tsc on the Quick start', typecheck)).toBe(0);
      await chatInDevMode();
    });

  if (options.quickStart)
    test("runs docs/vite.md's proxy recipe in Vite dev mode: same origin, a reply streams", async () => {
      // The guide's vite.config.ts (proxying /v1 to the reference server) and its App with the
      // relative baseUrl '/v1'; again only the server's port differs from the documented 8787.
      const guide = await readFile(path.join(repoRoot, 'docs/vite.md'), 'utf8').catch(() => '');
      const blocks = [...guide.matchAll(/```(tsx?)\n([\s\S]*?)```/g)];
      const config = blocks.findIndex(([, lang, code]) => lang === 'ts' && /proxy/.test(code!));
      expect(config, 'docs/vite.md has a vite.config.ts block with a proxy').toBeGreaterThan(-1);
      const appBlock = blocks.slice(config + 1).find(([, lang]) => lang === 'tsx')?.[2];
      expect(appBlock, 'docs/vite.md has an App after its proxy config').toMatch(/baseUrl="\/v1"/);
      api ??= await startReferenceServer(app);
      const port = new URL(api.origin).port;
      await writeFile(
        path.join(app.dir, 'vite.config.ts'),
        blocks[config]![2]!.replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`),
      );
      await pasteApp(appBlock!);
      await chatInDevMode();
    });
}
