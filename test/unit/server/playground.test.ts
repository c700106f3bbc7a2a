// The playground end to end: built with Vite, served by the offline server on 127.0.0.1, driven in
// Debian's Chromium by playwright-core. Through the kit's own components: a reply streams into
// ChatWindow and survives a reload; the settings reach the request and the UI; an image is
// generated; a mask painted in MaskEditor edits only the painted area; a variation appears; and
// the sample docs page runs <parlance-chat>.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { launchChromium } from '../../support/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let out: string;
let server: ListeningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'parlance-playground-'));
  // Vitest runs with NODE_ENV=test, which would make the React plugin emit development JSX.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(root, 'playground/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  server = await createServer({ staticDir: out, chunkDelayMs: 20, rateLimits: false }).listen({
    port: 0,
    host: '127.0.0.1',
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  page = await context.newPage();
  await page.goto(`${server.url}/`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

const chat = () => page.getByRole('region', { name: 'Chat', exact: true });
const lastReply = () => chat().locator('[data-role="assistant"]').last();

async function send(text: string) {
  await chat().getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await chat().getByRole('button', { name: 'Send', exact: true }).click();
}

/** The body of the next chat request the page sends. */
function nextChatRequest(): Promise<Record<string, unknown>> {
  return page
    .waitForRequest((r: Request) => r.method() === 'POST' && r.url().endsWith('/v1/chat/completions'), {
      timeout: 30_000,
    })
    .then((r) => r.postDataJSON() as Record<string, unknown>);
}

test('the offline badge opens to say how to connect a real model', async () => {
  const badge = page.locator('summary', { hasText: 'Offline mode' });
  await badge.waitFor({ timeout: 30_000 });
  await badge.click();
  const banner = page.getByRole('note', { name: 'Offline mode' });
  await banner.waitFor();
  const text = await banner.textContent();
  expect(text).toContain('OPENAI_API_KEY=sk-… npm start');
  expect(text).toContain('PARLANCE_UPSTREAM_URL=');
  await badge.click(); // folded again: the chat keeps the room
}, 60_000);

test('a reply streams into the chat window, then ends with its usage', async () => {
  await send('How do I count tokens before sending?');
  const reply = lastReply();
  await reply.and(page.locator('[data-status="streaming"]')).waitFor({ timeout: 30_000 });
  const early = (await reply.textContent())!.length;
  // More text arrives while the message is still streaming: it is not delivered in one piece.
  await page.waitForFunction(
    (n) => {
      const replies = document.querySelectorAll('[data-role="assistant"]');
      const last = replies[replies.length - 1];
      return last?.getAttribute('data-status') === 'streaming' && (last.textContent?.length ?? 0) > n + 20;
    },
    early,
    { timeout: 30_000 },
  );
  await reply.and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
  const content = (await reply.locator('[data-slot="message-content"]').textContent())!;
  expect(content).toMatch(/^Offline mode/);
  expect(content).toMatch(/From .+ \((README|docs\/[\w-]+)\.md\)/);
  expect(content.toLowerCase()).toContain('token');
  expect(await reply.locator('.parlance-message-usage').textContent()).toMatch(
    /^\d+ prompt \+ \d+ reply = \d+ tokens$/,
  );
  // The token meter budgets the conversation for the next request.
  const meter = chat().getByRole('region', { name: 'Token budget' });
  expect(await meter.getByRole('meter').evaluate((m: HTMLMeterElement) => m.value)).toBeGreaterThan(0);
}, 90_000);

test('the conversation survives a reload', async () => {
  const before = await lastReply().locator('[data-slot="message-content"]').textContent();
  await page.reload();
  await lastReply().and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
  expect(await lastReply().locator('[data-slot="message-content"]').textContent()).toBe(before);
  expect(await chat().locator('[data-role="user"]').last().textContent()).toContain(
    'How do I count tokens before sending?',
  );
}, 60_000);

test('the settings reach the request and the interface', async () => {
  // Settings are a modal drawer, opened from the header and closed with Escape.
  const open = async (name = 'Settings') => {
    await page.getByRole('button', { name, exact: true }).click();
    const drawer = page.getByRole('dialog', { name });
    await drawer.waitFor();
    return drawer;
  };
  let settings = await open();
  const model = settings.getByRole('combobox', { name: 'Model' });
  // The server's own models are offered beside the common names.
  await settings
    .getByRole('option', { name: 'parlance-offline', exact: true })
    .waitFor({ state: 'attached' });
  await model.selectOption('parlance-offline');
  await settings.getByRole('slider', { name: 'Temperature' }).fill('0.3');
  await settings.getByRole('spinbutton', { name: 'Max reply tokens' }).fill('6');
  await settings.getByRole('textbox', { name: 'System message' }).fill('Answer in one short sentence.');
  await page.keyboard.press('Escape');
  await settings.waitFor({ state: 'hidden' });

  const request = nextChatRequest();
  await send('What does useChat return?');
  expect(await request).toMatchObject({
    model: 'parlance-offline',
    temperature: 0.3,
    max_tokens: 6,
    messages: expect.arrayContaining([{ role: 'system', content: 'Answer in one short sentence.' }]),
  });
  const reply = lastReply();
  await reply.and(page.locator('[data-finish-reason="length"]')).waitFor({ timeout: 30_000 });
  await chat().getByRole('button', { name: 'Continue' }).waitFor();
  expect(await chat().locator('.parlance-chat-model').textContent()).toBe('parlance-offline');

  settings = await open();
  await settings.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  expect(await chat().getAttribute('data-theme')).toBe('dark');
  await settings.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await page.getByRole('heading', { name: 'Parlance 演练场', level: 1 }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '发送', exact: true }).waitFor();

  // Back to the defaults the other tests read; the settings persist, so a reload keeps them.
  const zhSettings = await open('设置');
  await zhSettings.getByRole('combobox', { name: '语言' }).selectOption('en');
  settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('combobox', { name: 'Theme' }).selectOption('auto');
  await settings.getByRole('spinbutton', { name: 'Max reply tokens' }).fill('');
  await page.reload();
  settings = await open();
  await settings.getByRole('combobox', { name: 'Model' }).waitFor();
  expect(await settings.getByRole('combobox', { name: 'Model' }).inputValue()).toBe('parlance-offline');
  expect(await settings.getByRole('spinbutton', { name: 'Max reply tokens' }).inputValue()).toBe('');
  expect(await settings.getByRole('slider', { name: 'Temperature' }).inputValue()).toBe('0.3');
  await page.keyboard.press('Escape');
}, 90_000);

/** Waits until an `<img>` has decoded, scrolling it into view first (gallery images load lazily). */
async function loaded(image: ReturnType<Page['locator']>): Promise<number> {
  await image.scrollIntoViewIfNeeded();
  await image.evaluate((img: HTMLImageElement) => img.decode());
  return image.evaluate((img: HTMLImageElement) => img.naturalWidth);
}

test('an image is generated, and a mask painted in the editor edits only the painted area', async () => {
  await page.getByRole('tab', { name: 'Images' }).click();
  const images = page.getByRole('region', { name: 'Images' });
  await images.getByRole('textbox', { name: 'Image prompt' }).fill('a lighthouse at dusk');
  await images.getByRole('combobox', { name: 'Size' }).selectOption('256x256');
  await images.getByRole('button', { name: 'Generate' }).click();
  const gallery = images.getByRole('region', { name: 'Generated images' });
  const source = gallery.getByRole('img', { name: 'Image 1 of 1: a lighthouse at dusk', exact: true });
  await source.waitFor({ timeout: 30_000 });
  expect(await loaded(source)).toBe(256);

  await gallery
    .getByRole('group', { name: 'Image 1 of 1: a lighthouse at dusk', exact: true })
    .getByRole('button', { name: 'Edit this' })
    .click();
  const editor = images.getByRole('region', { name: 'Edit with a mask' });
  await editor.locator('.parlance-mask-editor[data-state="ready"]').waitFor({ timeout: 30_000 });
  const apply = editor.getByRole('button', { name: 'Apply edit' });
  expect(await apply.isDisabled()).toBe(true);

  const radius = Number(await editor.getByRole('slider', { name: 'Brush size' }).inputValue()) / 2;
  const overlay = editor.locator('canvas[data-slot="overlay"]');
  await overlay.scrollIntoViewIfNeeded();
  const box = (await overlay.boundingBox())!;
  // A stroke across the middle, from 30 % to 70 % of the width.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 12 });
  await page.mouse.up();
  await editor.getByRole('textbox', { name: 'Edit prompt' }).fill('a lighthouse at dusk under a red moon');
  await expect.poll(() => apply.isEnabled(), { timeout: 15_000 }).toBe(true);
  await apply.click();
  const edited = gallery.getByRole('img', {
    name: 'Image 1 of 1: a lighthouse at dusk under a red moon',
    exact: true,
  });
  await edited.waitFor({ timeout: 30_000 });
  // A successful edit closes the editor; the result is in the gallery beside its source.
  await editor.waitFor({ state: 'detached' });
  expect(await loaded(edited)).toBe(256);
  expect(await loaded(source)).toBe(256);

  const changed = await page.evaluate(
    async ([editedAlt, sourceAlt]) => {
      const pixels = async (alt: string) => {
        const img = [...document.querySelectorAll('img')].find((i) => i.alt === alt)!;
        const bitmap = await createImageBitmap(img);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const after = await pixels(editedAlt!);
      const before = await pixels(sourceAlt!);
      let count = 0;
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i < before.data.length; i += 4) {
        if ([0, 1, 2, 3].some((k) => before.data[i + k] !== after.data[i + k])) {
          const x = (i / 4) % before.width;
          const y = Math.floor(i / 4 / before.width);
          count++;
          [minX, minY, maxX, maxY] = [
            Math.min(minX, x),
            Math.min(minY, y),
            Math.max(maxX, x),
            Math.max(maxY, y),
          ];
        }
      }
      return { count, minX, minY, maxX, maxY, width: after.width, height: after.height };
    },
    ['Image 1 of 1: a lighthouse at dusk under a red moon', 'Image 1 of 1: a lighthouse at dusk'],
  );
  expect(changed.width).toBe(256);
  expect(changed.height).toBe(256);
  expect(changed.count).toBeGreaterThan(1000);
  // Painted: x from 0.3·256 − r to 0.7·256 + r, y within r of the middle (one pixel of slack for
  // the brush's anti-aliased edge); and the change spans most of the stroke.
  expect(changed.minX).toBeGreaterThanOrEqual(Math.floor(0.3 * 256 - radius - 1));
  expect(changed.maxX).toBeLessThanOrEqual(Math.ceil(0.7 * 256 + radius + 1));
  expect(changed.minY).toBeGreaterThanOrEqual(Math.floor(128 - radius - 1));
  expect(changed.maxY).toBeLessThanOrEqual(Math.ceil(128 + radius + 1));
  expect(changed.maxX - changed.minX).toBeGreaterThan(0.4 * 256);
}, 120_000);

test('a variation of the edited image appears', async () => {
  const gallery = page.getByRole('region', { name: 'Generated images' });
  await gallery
    .getByRole('group', { name: 'Image 1 of 1: a lighthouse at dusk under a red moon', exact: true })
    .getByRole('button', { name: 'Vary this' })
    .click();
  const variation = gallery.getByRole('img', { name: 'Image 1 of 1: Variation 1', exact: true });
  await variation.waitFor({ timeout: 30_000 });
  expect(await loaded(variation)).toBe(256);
  expect(await gallery.getByRole('img').count()).toBe(3);
}, 60_000);

test('the sample docs page runs <parlance-chat>: open the launcher, send, a reply appears', async () => {
  await page.getByRole('link', { name: 'The widget on a sample docs page' }).click();
  await page.waitForURL(/\/host\.html$/);
  await page.getByRole('heading', { name: 'Getting started', level: 1 }).waitFor();
  await page.getByRole('button', { name: /open chat/i }).click({ timeout: 30_000 });
  const panel = page.getByRole('dialog', { name: 'Ask the docs' });
  await panel.waitFor({ timeout: 30_000 });
  await panel.getByRole('textbox', { name: 'Message', exact: true }).fill('How do I add the widget?');
  await panel.getByRole('button', { name: 'Send', exact: true }).click();
  const reply = panel.locator('[data-role="assistant"][data-status="done"]');
  await reply.waitFor({ timeout: 30_000 });
  const text = (await reply.locator('[data-slot="message-content"]').textContent())!;
  expect(text).toMatch(/^Offline mode/);
  expect(text.toLowerCase()).toContain('widget');
  expect(pageErrors).toEqual([]);
}, 90_000);
