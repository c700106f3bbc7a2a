// The playground end to end: built with Vite, served by the offline server on 127.0.0.1, driven in
// Debian's Chromium by playwright-core. A reply streams; an image is generated; a painted mask
// edit returns an image that differs from the input only where the mask was painted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { launchChromium } from '../../support/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let out: string;
let server: ListeningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'parlance-playground-'));
  await build({
    configFile: path.join(root, 'playground/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true, sourcemap: false },
  });
  server = await createServer({ staticDir: out, chunkDelayMs: 20, rateLimits: false }).listen({
    port: 0,
    host: '127.0.0.1',
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${server.url}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

test('the offline banner says how to connect a real model', async () => {
  const banner = page.getByRole('complementary', { name: 'Offline mode' });
  await banner.waitFor();
  expect(await banner.textContent()).toContain('OPENAI_API_KEY');
}, 30_000);

test('a reply streams in, then ends with its usage', async () => {
  await page
    .getByRole('textbox', { name: 'Message', exact: true })
    .fill('How do I count tokens before sending?');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.locator('li[data-role="assistant"]').last();
  await reply.and(page.locator('[data-status="streaming"]')).waitFor();
  const early = (await reply.textContent())!.length;
  await page.waitForFunction(
    (n) =>
      (document.querySelector('li[data-role="assistant"]:last-child')?.textContent?.length ?? 0) > n + 20,
    early,
  );
  expect(await reply.getAttribute('data-status')).toBe('streaming');
  await reply.and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
  const text = (await reply.textContent())!;
  expect(text).toMatch(/^_?Offline mode/);
  expect(text).toMatch(/From \*\*.+\*\* \(`(README|docs\/[\w-]+)\.md`\)/);
  expect(text.toLowerCase()).toContain('token');
  expect(text).toMatch(/\d+ prompt \+ \d+ reply tokens/);
}, 60_000);

test('an image is generated, and a painted mask edits only the painted area', async () => {
  await page.getByRole('textbox', { name: 'Image prompt' }).fill('a lighthouse at dusk');
  await page.getByRole('button', { name: 'Generate' }).click();
  const gallery = page.getByRole('list', { name: 'Generated images' });
  const first = gallery.getByRole('img', { name: 'a lighthouse at dusk' });
  await first.waitFor();
  expect(await first.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

  await gallery.getByRole('button', { name: 'Edit' }).first().click();
  const canvas = page.getByRole('img', { name: /Mask painter/ });
  await canvas.waitFor();
  await page.waitForFunction(() => (document.querySelector('canvas')?.width ?? 0) === 256);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  // Drag across the middle: the painter's brush has a radius of width / 16 = 16 image pixels.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 12 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Apply edit' }).click();
  await gallery.getByRole('img', { name: /^Edit: / }).waitFor({ timeout: 30_000 });

  const changed = await page.evaluate(async () => {
    const load = async (img: HTMLImageElement) => {
      const bitmap = await createImageBitmap(img);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    };
    const images = [...document.querySelectorAll<HTMLImageElement>('ul[aria-label="Generated images"] img')];
    const edited = await load(images.find((i) => i.alt.startsWith('Edit: '))!);
    const source = await load(images.find((i) => i.alt === 'a lighthouse at dusk')!);
    let count = 0;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < source.data.length; i += 4) {
      if ([0, 1, 2, 3].some((k) => source.data[i + k] !== edited.data[i + k])) {
        const x = (i / 4) % source.width;
        const y = Math.floor(i / 4 / source.width);
        count++;
        [minX, minY, maxX, maxY] = [
          Math.min(minX, x),
          Math.min(minY, y),
          Math.max(maxX, x),
          Math.max(maxY, y),
        ];
      }
    }
    return { count, minX, minY, maxX, maxY, width: edited.width };
  });
  expect(changed.width).toBe(256);
  expect(changed.count).toBeGreaterThan(1000);
  // Painted: x from 0.3·256 − 16 to 0.7·256 + 16, y within 16 of the middle (one pixel of slack).
  expect(changed.minX).toBeGreaterThanOrEqual(Math.floor(0.3 * 256 - 17));
  expect(changed.maxX).toBeLessThanOrEqual(Math.ceil(0.7 * 256 + 17));
  expect(changed.minY).toBeGreaterThanOrEqual(128 - 17);
  expect(changed.maxY).toBeLessThanOrEqual(128 + 17);
}, 90_000);

test('a variation of the generated image appears', async () => {
  const gallery = page.getByRole('list', { name: 'Generated images' });
  await gallery.getByRole('button', { name: 'Variation' }).last().click();
  await gallery.getByRole('img', { name: /^Variation of / }).waitFor({ timeout: 30_000 });
  expect(await gallery.getByRole('img').count()).toBeGreaterThanOrEqual(3);
}, 60_000);
