// <parlance-chat> on real host pages: plain HTML served over HTTP, the self-contained file as the
// package ships it (run `npm run build` first; npm test does), Debian's Chromium driven by
// playwright-core, and the fake OpenAI server as the backend. The site serves the whole dist/
// folder keeping its layout, as the widget docs tell users to: dist/widget/parlance-chat.js and
// its chunks reach the tokenizer's workers and rank tables in dist/core/tokens/.
import { existsSync } from 'node:fs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { launchChromium } from '../support/chromium';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pages = path.join(root, 'test/fixtures/widget-pages');
const dist = path.join(root, 'dist');
const react18 = path.join(root, 'test/fixtures/react18-host/node_modules');

let out: string;
let api: FakeOpenAI;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;
let context: BrowserContext | undefined;
/** While set, the chat panel's chunk answers 503, as during an outage or a broken deploy. */
let chunkOutage = false;
/** While set, the chat panel's chunk is held back until this settles, as on a slow network. */
let chunkGate: Promise<void> | undefined;
/** Requests for the tokenizer's files: which file, who asked (Referer), and what was answered. */
let tokenizerRequests: Array<{ path: string; referer: string; status: number }> = [];

beforeAll(async () => {
  expect(existsSync(path.join(dist, 'widget/parlance-chat.js')), 'dist is missing: run npm run build').toBe(
    true,
  );
  out = await mkdtemp(path.join(tmpdir(), 'parlance-widget-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  // The host's own React app: React 18 from the private workspace test/fixtures/react18-host (the
  // kit itself develops against React 19), bundled apart from the widget. Node resolution from the
  // fixture would find the root node_modules first, so the names are aliased into the workspace.
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    resolve: {
      alias: [{ find: /^(react|react-dom)(\/.*)?$/, replacement: `${react18}/$1$2` }],
    },
    build: {
      outDir: path.join(out, 'host'),
      emptyOutDir: true,
      modulePreload: false,
      rolldownOptions: {
        input: path.join(pages, 'host-react-app.js'),
        output: { format: 'es', entryFileNames: 'host-react-app.js' },
      },
    },
  });
  process.env.NODE_ENV = nodeEnv;
  api = await startFakeOpenAI();
  site = await serveSite();
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

/** Serves the fixture pages (with `__API__` filled in), the host app, and dist/ as it is laid out. */
async function serveSite() {
  const apiOrigin = new URL(api.url).origin;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (chunkOutage && url.pathname.includes('chat-panel')) return void res.writeHead(503).end();
    if (chunkGate && url.pathname.includes('chat-panel')) await chunkGate;
    let file: string;
    if (url.pathname.startsWith('/host/')) file = path.join(out, 'host', url.pathname.slice(6));
    else if (/^\/[^/]*$/.test(url.pathname)) {
      file = path.join(pages, url.pathname === '/' ? 'plain.html' : url.pathname.slice(1));
    } else file = path.join(dist, path.normalize(url.pathname));
    const tokenizerFile = url.pathname.startsWith('/core/tokens/');
    try {
      let body: string | Buffer = await readFile(file);
      const type = file.endsWith('.html')
        ? 'text/html; charset=utf-8'
        : file.endsWith('.css')
          ? 'text/css'
          : 'text/javascript';
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
      if (file.endsWith('.html')) body = body.toString('utf8').replaceAll('__API__', api.url);
      if (file.endsWith('csp.html')) headers['content-security-policy'] = strictCsp(apiOrigin);
      res.writeHead(200, headers).end(body);
      if (tokenizerFile)
        tokenizerRequests.push({ path: url.pathname, referer: req.headers.referer ?? '', status: 200 });
    } catch {
      res.writeHead(404).end('not found');
      if (tokenizerFile)
        tokenizerRequests.push({ path: url.pathname, referer: req.headers.referer ?? '', status: 404 });
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

/** The CSP the README documents: nothing beyond scripts from the widget's origin and the API. */
function strictCsp(apiOrigin: string) {
  return `default-src 'none'; script-src 'self'; connect-src ${apiOrigin}`;
}

interface Opened {
  page: Page;
  errors: string[];
}

async function open(file: string, viewport = { width: 1280, height: 800 }): Promise<Opened> {
  if (!context) {
    context = await browser.newContext({ viewport });
    context.setDefaultTimeout(10_000);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${site.url}/${file}`);
  return { page, errors };
}

const chunk = (delta: object, finish_reason: string | null = null) => ({
  id: 'chatcmpl-widget',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, finish_reason }],
});

/** A complete streamed reply, a few characters per event. */
function scriptReply(text: string) {
  const parts = text.match(/.{1,6}/gsu) ?? [];
  return api.script({
    type: 'sse',
    events: [
      chunk({ role: 'assistant', content: '' }),
      ...parts.map((content) => chunk({ content })),
      chunk({}, 'stop'),
      {
        ...chunk({}),
        choices: [],
        usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
      },
    ],
  });
}

const launcher = (scope: Page | ReturnType<Page['locator']>, name: RegExp = /open chat/i) =>
  scope.getByRole('button', { name });

const composer = (scope: Page | ReturnType<Page['locator']>) => scope.getByRole('textbox');

/** What has focus, looking through the widget's shadow root. */
function focused(page: Page, selector = 'parlance-chat') {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector)!;
    const active = host.shadowRoot?.activeElement ?? document.activeElement;
    return {
      inWidget: document.activeElement === host,
      tag: active?.tagName.toLowerCase(),
      label: active?.getAttribute('aria-label') ?? null,
    };
  }, selector);
}

async function sendThroughUi(page: Page | ReturnType<Page['locator']>, text: string) {
  await composer(page).fill(text);
  await page.getByRole('button', { name: /^(send|发送)$/i }).click();
}

describe('<parlance-chat> on a plain page with no bundler', () => {
  test('a launcher opens a panel with focus in the composer; a reply streams in', async () => {
    const { page, errors } = await open('plain.html');
    await launcher(page).click();
    await expect.poll(() => focused(page).then((f) => f.tag)).toBe('textarea');
    await expect(page.getByRole('dialog', { name: 'Ask the docs' }).isVisible()).resolves.toBe(true);

    const reply = scriptReply('Install it with one script tag.');
    await sendThroughUi(page, 'How do I install it?');
    await page.getByRole('log').getByText('Install it with one script tag.').waitFor();
    const request = await reply.request;
    expect(request.json).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'How do I install it?' }],
    });
    expect(errors).toEqual([]);
  });

  test('its CSS never reaches the host page', async () => {
    const { page } = await open('plain.html');
    await launcher(page).waitFor();
    const host = await page.evaluate(() => {
      const button = document.getElementById('host-button')!;
      return {
        styleElements: document.querySelectorAll('style, link[rel=stylesheet]').length,
        documentSheets: document.styleSheets.length + document.adoptedStyleSheets.length,
        buttonRadius: getComputedStyle(button).borderRadius,
        buttonPosition: getComputedStyle(button).position,
      };
    });
    expect(host).toEqual({
      styleElements: 0,
      documentSheets: 0,
      buttonRadius: '0px',
      buttonPosition: 'static',
    });
  });

  test('keyboard only: Tab to the launcher, Enter, type, Enter, Escape, focus back on the launcher', async () => {
    const { page } = await open('plain.html');
    await launcher(page).waitFor();
    await page.keyboard.press('Tab'); // the host's link
    await page.keyboard.press('Tab'); // the host's button
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ inWidget: true, label: 'Open chat' });

    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page).then((f) => f.tag)).toBe('textarea');

    scriptReply('Typed and answered.');
    await page.keyboard.type('Only the keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('Typed and answered.').waitFor();
    expect(await page.getByRole('log').getByText('Only the keyboard').isVisible()).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    expect(await focused(page)).toMatchObject({ inWidget: true, tag: 'button', label: 'Open chat' });
  });

  test('an unread dot marks a reply that finished while the panel was closed', async () => {
    const { page } = await open('plain.html');
    await launcher(page).click();
    const reply = api.script({ type: 'controlled' });
    await sendThroughUi(page, 'Take your time');
    await reply.request;
    reply.write(chunk({ role: 'assistant', content: 'Thinking' }));
    await page.getByRole('log').getByText('Thinking').waitFor();
    await composer(page).focus();
    await page.keyboard.press('Escape');
    expect(await launcher(page).getAttribute('data-unread')).toBeNull();

    reply.write(chunk({ content: ' done.' }));
    reply.write(chunk({}, 'stop'));
    reply.done();
    await launcher(page, /open chat \(new reply\)/i).waitFor();
    expect(await page.locator('[data-slot=unread]').isVisible()).toBe(true);

    await launcher(page).click();
    await page.getByRole('log').getByText('Thinking done.').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-slot=unread]').count()).toBe(0);
  });

  test('methods and DOM events: open(), close(), send() and parlance-reply', async () => {
    const { page } = await open('plain.html');
    await launcher(page).waitFor();
    scriptReply('From the method.');
    const events = await page.evaluate(async () => {
      const seen: Array<{ type: string; detail: unknown }> = [];
      for (const type of ['parlance-open', 'parlance-close', 'parlance-send', 'parlance-reply']) {
        document.addEventListener(type, (event) => {
          const detail = (event as CustomEvent).detail as { message?: { content?: unknown } } | undefined;
          seen.push({ type, detail: detail?.message ? detail.message.content : detail });
        });
      }
      const chat = document.querySelector('parlance-chat') as HTMLElement & {
        open(): void;
        close(): void;
        send(text: string): Promise<void>;
      };
      chat.open();
      await chat.send('Sent by the page');
      chat.close();
      return seen;
    });
    expect(events).toEqual([
      { type: 'parlance-open', detail: null },
      { type: 'parlance-send', detail: { text: 'Sent by the page' } },
      { type: 'parlance-reply', detail: 'From the method.' },
      { type: 'parlance-close', detail: null },
    ]);
    expect(await page.locator('parlance-chat').getAttribute('open')).toBeNull();
  });
});

test('a chat chunk that fails to download shows a notice with a retry, and the launcher keeps working', async () => {
  chunkOutage = true;
  try {
    const { page, errors } = await open('plain.html');
    await launcher(page).click();
    await page.getByRole('alert').getByText('The chat could not be loaded.', { exact: false }).waitFor();
    // The console names the file that did not arrive, for the site's developer.
    expect(errors).toContainEqual(
      expect.stringMatching(
        /<parlance-chat>: the chat panel could not be loaded\..*\/widget\/parlance-chat-chat-panel-[\w-]+\.js/,
      ),
    );
    chunkOutage = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await composer(page).waitFor();
    await page.keyboard.press('Escape');
    expect(await launcher(page).isVisible()).toBe(true);
  } finally {
    chunkOutage = false;
  }
});

test('the launcher works before the chat chunk has arrived, and focus reaches the composer when it does', async () => {
  let release = () => {};
  chunkGate = new Promise<void>((resolve) => (release = resolve));
  try {
    const { page, errors } = await open('plain.html');
    await launcher(page).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Ask the docs' }).isVisible()).toBe(true);
    expect(await page.locator('.parlance-widget-launcher').getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('.parlance-widget-loading[aria-busy=true]').count()).toBe(1);
    expect(await composer(page).count()).toBe(0);

    release();
    await composer(page).waitFor();
    await expect.poll(() => focused(page).then((f) => f.tag)).toBe('textarea');
    expect(await page.locator('.parlance-widget-loading').count()).toBe(0);
    expect(errors).toEqual([]);
  } finally {
    chunkGate = undefined;
    release();
  }
});

describe('<parlance-chat> keeps the conversation', () => {
  test('across navigation to another page of the site and a reload', async () => {
    const { page } = await open('plain.html');
    await launcher(page).click();
    scriptReply('Kept across pages.');
    await sendThroughUi(page, 'Remember me');
    await page.getByRole('log').getByText('Kept across pages.').waitFor();

    // The panel was open: it opens again on the next page with the same storage-key.
    await page.goto(`${site.url}/other.html`);
    await page.getByRole('log').getByText('Remember me').waitFor();
    expect(await page.getByRole('log').getByText('Kept across pages.').isVisible()).toBe(true);

    await page.reload();
    await page.getByRole('log').getByText('Kept across pages.').waitFor();
  });

  test('open or closed, per storage-key, across a reload', async () => {
    const { page } = await open('plain.html');
    await launcher(page).click();
    await composer(page).waitFor();
    await page.reload();
    // Restored open, without taking focus from the page.
    await expect.poll(() => page.getByRole('dialog', { name: 'Ask the docs' }).isVisible()).toBe(true);
    expect(await focused(page)).toMatchObject({ inWidget: false });
    expect(await page.locator('.parlance-widget-launcher').getAttribute('aria-expanded')).toBe('true');

    await page.locator('.parlance-widget-close').click();
    await page.reload();
    await launcher(page).waitFor();
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog').isVisible()).toBe(false);
    expect(await page.locator('parlance-chat').getAttribute('open')).toBeNull();

    // Another storage-key keeps its own state: two.html's widgets were never opened.
    await page.goto(`${site.url}/two.html`);
    await launcher(page.locator('#sales')).waitFor();
    expect(await page.locator('parlance-chat[open]').count()).toBe(0);
  });

  test('including a reply that a navigation interrupted', async () => {
    const { page } = await open('plain.html');
    await launcher(page).click();
    const reply = api.script({ type: 'controlled' });
    await sendThroughUi(page, 'Start a long answer');
    await reply.request;
    reply.write(chunk({ role: 'assistant', content: 'The first half of' }));
    await page.getByRole('log').getByText('The first half of').waitFor();

    await page.goto(`${site.url}/other.html`);
    const message = page.getByRole('log').getByText('The first half of');
    await message.waitFor();
    expect(await page.getByRole('log').getByText('Start a long answer').isVisible()).toBe(true);
    const status = await page.locator('[data-role=assistant]').last().getAttribute('data-status');
    expect(status).toBe('interrupted');
  });
});

describe('<parlance-chat> isolated from the host page', () => {
  test('a hostile host stylesheet (all: unset, button { display: none }, html 40px) cannot break it', async () => {
    const { page, errors } = await open('hostile.html');
    const button = launcher(page);
    await button.waitFor();
    const box = (await button.boundingBox())!;
    expect(box.width).toBe(56);
    expect(box.height).toBe(56);

    await button.click();
    const field = composer(page);
    await field.waitFor();
    const fontSize = await field.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThan(10);
    expect(fontSize).toBeLessThan(20);
    const panel = (await page.getByRole('dialog').boundingBox())!;
    expect(panel.width).toBeLessThanOrEqual(400);

    scriptReply('Still readable.');
    await sendThroughUi(page, 'Are you intact?');
    await page.getByRole('log').getByText('Still readable.').waitFor();

    // The widget's class names mean nothing outside it, and the host's own rules still apply there.
    const host = await page.evaluate(() => ({
      textPosition: getComputedStyle(document.getElementById('host-text')!).position,
      hostButton: getComputedStyle(document.getElementById('host-button')!).display,
    }));
    expect(host).toEqual({ textPosition: 'static', hostButton: 'none' });
    expect(errors).toEqual([]);
  });

  test('beside a host app running its own React 18', async () => {
    const { page, errors } = await open('host-react.html');
    await page.getByRole('button', { name: 'Host clicks: 0' }).click();
    await page.getByRole('button', { name: 'Host clicks: 1' }).waitFor();
    const versions = await page.evaluate(() => ({
      react: (window as { hostReactVersion?: string }).hostReactVersion,
      reactDom: (window as { hostReactDomVersion?: string }).hostReactDomVersion,
    }));
    expect(versions.react).toMatch(/^18\./);
    expect(versions.reactDom).toMatch(/^18\./);

    await launcher(page).click();
    scriptReply('Two Reacts, no clash.');
    await sendThroughUi(page, 'Hello from beside the host');
    await page.getByRole('log').getByText('Two Reacts, no clash.').waitFor();
    await page.getByRole('button', { name: 'Host clicks: 1' }).click();
    await page.getByRole('button', { name: 'Host clicks: 2' }).waitFor();
    expect(errors).toEqual([]);
  });

  test('under a strict CSP: no unsafe-eval, no unsafe-inline, no style-src at all', async () => {
    context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as { cspViolations?: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    const { page, errors } = await open('csp.html');
    const button = launcher(page);
    await button.waitFor();
    // Styled: the adopted stylesheet applied.
    expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(37, 99, 235)');
    await button.click();
    scriptReply('Allowed by the policy.');
    await sendThroughUi(page, 'Does the CSP allow you?');
    await page.getByRole('log').getByText('Allowed by the policy.').waitFor();
    // Long enough for the idle work (the token meter's tokenizer) to have started.
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as { cspViolations?: string[] }).cspViolations)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the token meter counts in a worker served from dist/core/tokens, and the page never fetches a rank table', async () => {
    tokenizerRequests = [];
    const { page, errors } = await open('plain.html');
    // The meter is a developer detail: shown with show-usage.
    await page.locator('parlance-chat').evaluate((el) => el.setAttribute('show-usage', ''));
    await launcher(page).click();
    scriptReply('Counted elsewhere.');
    await sendThroughUi(page, 'Count my tokens');
    await page.getByRole('log').getByText('Counted elsewhere.').waitFor();
    await expect
      .poll(() => tokenizerRequests.filter((r) => r.path.includes('/ranks/')).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(tokenizerRequests.filter((r) => r.status !== 200)).toEqual([]);
    const workers = tokenizerRequests.filter((r) =>
      /^\/core\/tokens\/tokenizer-\w+\.worker\.js$/.test(r.path),
    );
    expect(workers.length).toBeGreaterThan(0);
    // A worker's imports carry the worker's URL as their referrer; the page's would carry a chunk's.
    for (const ranks of tokenizerRequests.filter((r) => r.path.includes('/ranks/'))) {
      expect(ranks.referer).toMatch(/\/core\/tokens\/tokenizer-\w+\.worker\.js$/);
    }
    expect(errors).toEqual([]);
  });

  test('two copies of the script on one page: no error, one working element', async () => {
    const { page, errors } = await open('twice.html');
    await launcher(page).click();
    scriptReply('Defined once.');
    await sendThroughUi(page, 'Twice?');
    await page.getByRole('log').getByText('Defined once.').waitFor();
    expect(await page.locator('parlance-chat').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});

describe('<parlance-chat> layouts and several instances', () => {
  test('two widgets on one page work independently, each themed by --parlance-* on the element', async () => {
    const { page } = await open('two.html');
    const sales = page.locator('#sales');
    const support = page.locator('#support');
    await launcher(sales).click();
    scriptReply('Sales answer.');
    await sendThroughUi(sales, 'Price?');
    await sales.getByRole('log').getByText('Sales answer.').waitFor();

    // The other widget: its own locale, its own theme, its own (empty) conversation.
    const supportLauncher = launcher(support, /打开聊天/);
    expect(await supportLauncher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(220, 38, 38)',
    );
    expect(
      await sales.locator('.parlance-widget-launcher').evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(37, 99, 235)');
    await supportLauncher.click();
    await composer(support).waitFor();
    expect(await support.getByRole('log').getByText('Price?').count()).toBe(0);
    expect(await sales.getByRole('log').getByText('Price?').isVisible()).toBe(true);

    const left = (await sales.locator('.parlance-widget-launcher').boundingBox())!;
    const right = (await support.locator('.parlance-widget-launcher').boundingBox())!;
    expect(left.x).toBeLessThan(right.x);
  });

  test('for end users by default: no model id, token meter or usage lines; show-usage shows them', async () => {
    const { page } = await open('plain.html');
    await launcher(page).click();
    scriptReply('A plain answer.');
    await sendThroughUi(page, 'Anything for me?');
    await page.getByRole('log').getByText('A plain answer.').waitFor();
    await page.waitForTimeout(300);
    const details = () =>
      page.evaluate(() => {
        const root = document.querySelector('parlance-chat')!.shadowRoot!;
        return {
          model: root.querySelectorAll('.parlance-chat-model').length,
          meter: root.querySelectorAll('.parlance-token-meter').length,
          usage: root.querySelectorAll('.parlance-message-usage').length,
        };
      });
    expect(await details()).toEqual({ model: 0, meter: 0, usage: 0 });
    expect(await page.getByText('gpt-4o-mini').count()).toBe(0);

    await page.locator('parlance-chat').evaluate((el) => el.setAttribute('show-usage', ''));
    await expect.poll(details).toEqual({ model: 1, meter: 1, usage: 1 });
    expect(await page.getByText('9 prompt + 5 reply = 14 tokens').isVisible()).toBe(true);
  });

  test('on a phone the full-screen dialog keeps Tab inside; Escape closes it and focus returns to the launcher', async () => {
    const { page } = await open('plain.html', { width: 390, height: 844 });
    await launcher(page).click();
    await expect.poll(() => focused(page).then((f) => f.tag)).toBe('textarea');
    expect(await page.getByRole('dialog').getAttribute('aria-modal')).toBe('true');
    const seen: Array<{ inWidget: boolean; label: string | null; tag?: string }> = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      seen.push(await focused(page));
    }
    // Never on the host page's link or button, and round to the close button both ways.
    expect(seen.every((f) => f.inWidget)).toBe(true);
    expect(seen.filter((f) => f.label === 'Close chat').length).toBeGreaterThanOrEqual(2);
    const inPanel = await page.evaluate(() => {
      const root = document.querySelector('parlance-chat')!.shadowRoot!;
      return root.querySelector('[role=dialog]')!.contains(root.activeElement);
    });
    expect(inPanel).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    expect(await focused(page)).toMatchObject({ inWidget: true, tag: 'button', label: 'Open chat' });
  });

  test('at 375 px wide the panel is full screen and the page behind does not scroll', async () => {
    const { page } = await open('plain.html', { width: 375, height: 667 });
    await launcher(page).click();
    await composer(page).waitFor();
    expect(await page.getByRole('dialog').boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 667 });

    await page.mouse.move(180, 300);
    await page.mouse.wheel(0, 1200);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    await page.keyboard.press('Escape');
    await page.mouse.wheel(0, 1200);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  });

  test('position="inline" fills its container, with no launcher', async () => {
    const { page } = await open('inline.html');
    const region = page.getByRole('region', { name: 'Support' });
    await composer(page).waitFor();
    const box = (await region.boundingBox())!;
    // The container's size, less the panel's 1px border.
    expect(box.width).toBeGreaterThanOrEqual(598);
    expect(box.height).toBeGreaterThanOrEqual(498);
    expect(await launcher(page).count()).toBe(0);

    // Attributes are live: theme="dark" restyles the open chat.
    const background = () => region.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.locator('parlance-chat').evaluate((el) => el.setAttribute('theme', 'dark'));
    await expect.poll(background).toBe('rgb(21, 23, 28)');
  });
});

describe('offline, honestly', () => {
  test('a message sent offline waits, with no error, and goes out once when the connection is back', async () => {
    const { page, errors } = await open('plain.html');
    await launcher(page).click();
    await composer(page).waitFor();
    const before = api.requests.length;

    await context!.setOffline(true);
    await expect(page.getByText(/you are offline/i).isVisible()).resolves.toBe(true);
    await sendThroughUi(page, 'Sent from a tunnel');
    const user = page.locator('[data-role="user"]').last();
    await expect.poll(() => user.getAttribute('data-status')).toBe('pending');
    await expect(user.getByText(/waiting for the connection/i).isVisible()).resolves.toBe(true);
    // Nothing was sent, nothing failed, and the composer is free for more.
    expect(api.requests.length).toBe(before);
    expect(await page.locator('[data-role="assistant"]').count()).toBe(0);
    expect(await page.locator('[role="alert"]').count()).toBe(0);

    const reply = scriptReply('Out of the tunnel now.');
    await context!.setOffline(false);
    await page.getByRole('log').getByText('Out of the tunnel now.').waitFor();
    const request = await reply.request;
    expect(request.json).toMatchObject({ messages: [{ role: 'user', content: 'Sent from a tunnel' }] });
    await expect.poll(() => user.getAttribute('data-status')).toBe('done');
    expect(api.requests.length).toBe(before + 1); // sent once
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  });

  test('cancelling a waiting message puts its text back in the composer', async () => {
    const { page } = await open('plain.html');
    await launcher(page).click();
    await composer(page).waitFor();
    await context!.setOffline(true);
    await sendThroughUi(page, 'Maybe later');
    await page.getByRole('button', { name: 'Cancel sending' }).click();
    await expect.poll(() => page.locator('[data-role="user"]').count()).toBe(0);
    await expect(composer(page).inputValue()).resolves.toBe('Maybe later');
    await context!.setOffline(false);
  });
});

test('the self-contained file imports on a server (no window, no customElements) without effect', async () => {
  expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
  const mod = (await import(pathToFileURL(path.join(dist, 'widget/parlance-chat.js')).href)) as {
    defineParlanceChat: () => unknown;
    ParlanceChatElement: unknown;
  };
  expect(typeof mod.ParlanceChatElement).toBe('function');
  expect(mod.defineParlanceChat()).toBeUndefined();
});
