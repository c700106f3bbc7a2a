// Screenshots of the playground, the widget and the image gallery for docs/screenshots/, taken
// from a running reference server (npm start) in Debian's Chromium:
//
//   node scripts/screenshots.mjs [--base http://127.0.0.1:8787] [--label after]
//
// Writes docs/screenshots/<label>-*.png: the playground at 1280×800 and 390×844, the widget
// open on a phone, the images tab (or section) at 1280×800, and the gallery with every request state (ready, loading, queued, failed,
// cancelled) in light and dark, plus its empty state in dark. Image requests are answered by the
// page's own route handlers where a state needs it (held open, refused, limited), so the shots
// do not depend on timing.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:8787' },
    label: { type: 'string', default: 'after' },
  },
});
const base = values.base.endsWith('/') ? values.base : `${values.base}/`;
const out = path.resolve('docs/screenshots');
mkdirSync(out, { recursive: true });
const file = (name) => path.join(out, `${values.label}-${name}.png`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  headless: true,
});

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function open(url, viewport, theme = 'light') {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    colorScheme: theme,
    isMobile: viewport === PHONE,
    hasTouch: viewport === PHONE,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.addInitScript((t) => {
    localStorage.setItem(
      'parlance-playground-settings',
      JSON.stringify({
        locale: 'en',
        theme: t,
        model: 'gpt-4o-mini',
        system: 'You are a helpful assistant.',
      }),
    );
  }, theme);
  await page.goto(url);
  return { context, page };
}

async function chatOnce(page) {
  const box = page.locator('.playground-chat textarea').first();
  await box.waitFor();
  await box.fill('What does Parlance give me?');
  await box.press('Enter');
  await page
    .locator('.playground-chat [data-role="assistant"], .playground-chat .parlance-message')
    .first()
    .waitFor();
  // The offline engine streams at reading pace: wait for the Stop button to go.
  await page.waitForFunction(
    () =>
      !document.querySelector(
        '.playground-chat [data-state="streaming"], .playground-chat [aria-busy="true"]',
      ),
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(300);
}

/** The images tab when the playground has one; the images section otherwise. */
async function showImages(page) {
  const tab = page.getByRole('tab', { name: /^Images/ });
  if (await tab.count()) await tab.first().click();
  await page.getByLabel('Image prompt').first().waitFor();
}

async function generate(page, prompt) {
  await page.getByLabel('Image prompt').first().fill(prompt);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

async function playground() {
  for (const [name, viewport] of [
    ['playground-1280x800', DESKTOP],
    ['playground-390x844', PHONE],
  ]) {
    const { context, page } = await open(base, viewport);
    await chatOnce(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file(name) });
    await context.close();
  }
}

async function widget() {
  const { context, page } = await open(`${base}host.html`, PHONE);
  await page.locator('parlance-chat .parlance-widget-launcher').click();
  const box = page.locator('parlance-chat textarea');
  await box.waitFor();
  await box.fill('How do I add the widget?');
  await box.press('Enter');
  await page.waitForTimeout(4000);
  await page.screenshot({ path: file('widget-390x844') });
  await context.close();
}

async function gallery(theme) {
  const { context, page } = await open(base, DESKTOP, theme);
  await showImages(page);
  if (theme === 'dark') {
    await page
      .locator('.parlance-image-gallery')
      .first()
      .screenshot({ path: file('gallery-empty-dark') });
  }
  // ready: the offline engine draws it
  await generate(page, 'a lighthouse at dusk');
  await page.locator('.parlance-image-gallery-item[data-state="ready"]').first().waitFor({ timeout: 30_000 });
  // failed: a long prompt the route refuses
  await page.route('**/v1/images/generations', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { message: 'Your request was rejected by the safety system.', type: 'invalid_request_error' },
      }),
    }),
  );
  await generate(
    page,
    `${'a very detailed scene of a harbour town at night with boats and lanterns, '.repeat(12)}`,
  );
  await page.locator('.parlance-image-gallery-item[data-state="error"]').first().waitFor();
  await page.unroute('**/v1/images/generations');
  // cancelled: held, then cancelled
  await page.route('**/v1/images/generations', () => {});
  await generate(page, 'a fox in the snow');
  await page.locator('.parlance-image-gallery-item[data-state="loading"]').first().waitFor();
  await page.getByRole('button', { name: 'Cancel', exact: true }).first().click();
  await page.locator('.parlance-image-gallery-item[data-state="cancelled"]').first().waitFor();
  // loading: held open
  await generate(page, 'a city of glass');
  await page.locator('.parlance-image-gallery-item[data-state="loading"]').first().waitFor();
  // queued: a 429 with Retry-After (the newest route wins) pauses the pacer; the next request waits
  await page.route('**/v1/images/generations', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'retry-after': '600' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { message: 'Rate limit reached.', type: 'rate_limit_error' } }),
    }),
  );
  await generate(page, 'a paper boat');
  await page.waitForTimeout(500);
  await generate(page, 'a red kite over hills');
  await page
    .locator('.parlance-image-gallery-item[data-state="queued"]')
    .first()
    .waitFor({ timeout: 5000 })
    .catch(() => console.warn('no queued item appeared'));
  await page.waitForTimeout(500);
  await page
    .locator('.parlance-image-gallery')
    .first()
    .screenshot({ path: file(`gallery-${theme}`) });
  if (theme === 'light') await page.screenshot({ path: file('playground-images-1280x800') });
  await context.close();
}

try {
  await playground();
  await widget();
  await gallery('light');
  await gallery('dark');
} finally {
  await browser.close();
}
console.log(`Screenshots in ${path.relative(process.cwd(), out)}/${values.label}-*.png`);
