// The checks every browser fixture passes in Debian's Chromium: a reply streams, the tokenizer
// runs in a worker served as JavaScript, the page itself never loads a rank table, and nothing is
// logged as an error.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and CSP violations, as they happen. */
  errors: string[];
  /** Documents and scripts the page itself requested (its workers' imports are not here). */
  requests: { url: string; type: string }[];
}

export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium's "Failed to load resource" text leaves out the URL; its location names it.
    const where = message.location().url;
    if (message.type() === 'error')
      errors.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  // The page target's own network log. Chromium files a module worker's imports under the page
  // in Resource Timing (initiator "script") and in Playwright's request events, but the DevTools
  // protocol reports them on the worker's target only, so this log tells the page's loads apart.
  const requests: OpenedPage['requests'] = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Network.requestWillBeSent', (event) =>
    requests.push({ url: event.request.url, type: event.type ?? 'Other' }),
  );
  await cdp.send('Network.enable');
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, errors, requests };
}

/**
 * Types `text` into the composer, presses Send and waits for the assistant's reply to finish,
 * checking that it grew in steps (streamed) rather than arriving at once.
 */
export async function sendAndAwaitReply(page: Page, text: string): Promise<string> {
  const assistants = page.locator('[data-role="assistant"]');
  const before = await assistants.count();
  await page.locator('textarea').first().fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).first().click();
  const reply = assistants.nth(before);
  // Generous: the machine running the suite may be busy. On failure, say what the page showed.
  await reply.waitFor({ state: 'attached', timeout: 60_000 }).catch(async (error: unknown) => {
    const draft = await page
      .locator('textarea')
      .first()
      .inputValue()
      .catch(() => '(no textarea)');
    const shown = await page
      .locator('.parlance-root')
      .first()
      .innerText()
      .catch(() => '');
    throw new Error(
      `No reply appeared: ${String(error)}\ndraft left in the composer: ${JSON.stringify(draft)}\n` +
        `page text: ${shown.slice(0, 600)}`,
    );
  });
  const lengths = new Set<number>();
  const statuses = new Set<string>();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [status, content] = await Promise.all([reply.getAttribute('data-status'), reply.innerText()]);
    statuses.add(status ?? '(none)');
    // The element also holds a role label and buttons: only the text's growth while streaming counts.
    if (status === 'streaming') lengths.add(content.trim().length);
    if (status === 'done' || status === 'error' || Date.now() > deadline) break;
    await page.waitForTimeout(40);
  }
  const content = (await reply.innerText()).trim();
  expect(
    await reply.getAttribute('data-status'),
    `the reply ended with these statuses seen: ${[...statuses].join(', ')}; text: ${content.slice(0, 300)}`,
  ).toBe('done');
  expect(content.length, 'the reply has text').toBeGreaterThan(0);
  expect(
    lengths.size,
    `the reply grew in steps while streaming: lengths seen ${[...lengths].join(', ') || 'none'} (statuses ${[...statuses].join(', ')})`,
  ).toBeGreaterThan(1);
  return content;
}

/** The tokenizer runs in a worker whose script URL answers with JavaScript (not the app's HTML). */
export async function expectTokenizerWorker(page: Page, errors: readonly string[] = []): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while (page.workers().length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
  expect(
    page.workers().length,
    `the page starts a tokenizer worker within 15 s (errors so far: ${errors.join('\n') || 'none'})`,
  ).toBeGreaterThan(0);
  const urls = page.workers().map((worker) => worker.url());
  for (const url of urls) {
    expect(url, 'the worker script is a fetchable URL').toMatch(/^https?:\/\//);
    const response = await fetch(url);
    const body = await response.text();
    expect(response.status, `${url} answers 200`).toBe(200);
    expect(response.headers.get('content-type') ?? '', `${url} is served as JavaScript`).toMatch(
      /javascript/,
    );
    expect(body.trimStart().slice(0, 200), `${url} is not an HTML page`).not.toMatch(/^<!doctype|^<html/i);
  }
  return urls;
}

export interface RankSlice {
  encoding: string;
  slice: string;
}

/**
 * A distinctive 80-character run of each rank table's data, read from the installed package:
 * bundlers rename chunks, so a rank table is recognised by its content.
 */
export async function rankSlices(appDir: string): Promise<RankSlice[]> {
  const dist = path.join(appDir, 'node_modules/parlance/dist');
  const slices: RankSlice[] = [];
  for (const encoding of ['o200k_base', 'cl100k_base']) {
    let file = path.join(dist, 'core/tokens/ranks', `${encoding}.js`);
    if (!existsSync(file)) file = await largestFileNamed(dist, encoding);
    const source = await readFile(file, 'utf8');
    const runs = source.slice(Math.floor(source.length / 2)).match(/[A-Za-z0-9+/]{80}/);
    if (!runs) throw new Error(`No 80-character run of rank data in ${file}`);
    slices.push({ encoding, slice: runs[0] });
  }
  return slices;
}

async function largestFileNamed(dir: string, part: string): Promise<string> {
  let best: { file: string; size: number } | undefined;
  for (const entry of await readdir(dir, { recursive: true })) {
    if (!entry.includes(part) || !entry.endsWith('.js')) continue;
    const file = path.join(dir, entry);
    const { size } = await stat(file);
    if (!best || size > best.size) best = { file, size };
  }
  if (!best) throw new Error(`The installed package has no ${part} module under ${dir}`);
  return best.file;
}

/** Every document and script the page itself loaded (not its workers) holds none of the rank tables. */
export async function expectNoRankTableOnPage(
  opened: OpenedPage,
  slices: readonly RankSlice[],
): Promise<void> {
  // A worker's own script is requested by the page; what runs in it may hold the ranks.
  const workerUrls = opened.page.workers().map((worker) => worker.url());
  const loads = opened.requests.filter(
    ({ url, type }) =>
      /^https?:/.test(url) &&
      !workerUrls.includes(url) &&
      (type === 'Document' || type === 'Script' || /\.m?js$/.test(new URL(url).pathname)),
  );
  const urls = [...new Set(loads.map(({ url }) => url))];
  expect(urls.length, 'the page loaded scripts').toBeGreaterThan(1);
  const offenders: string[] = [];
  for (const url of urls) {
    const body = await (await fetch(url)).text();
    for (const { encoding, slice } of slices)
      if (body.includes(slice)) offenders.push(`${url} holds the ${encoding} rank table`);
  }
  expect(offenders, 'the page never fetches a rank table (only its worker does)').toEqual([]);
}
