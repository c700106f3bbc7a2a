// Time from the widget's script starting to load to an interactive launcher, on a cold page
// (a fresh browser context each run: no cache), in headless Chromium. Side by side with Deep Chat
// loaded the same way (one <script type="module"> and its element), from the `deep-chat` dev
// dependency; if it is missing, Parlance's figure alone is printed.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser } from 'playwright-core';
import { build } from 'vite';

import { launchChromium, ratio } from '../support/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Number(process.env.RUNS ?? 15);

interface Contender {
  name: string;
  /** Directory served under /lib/, and the script's path inside it. */
  dir: string;
  script: string;
  element: string;
  tag: string;
  /** Runs in the page: true once the element can take the user's first action. */
  interactive: (tag: string) => boolean;
}

const deepChatDir = path.join(root, 'node_modules/deep-chat/dist');
const deepChatScript = ['deepChat.bundle.js', 'deepChat.js'].find((f) =>
  existsSync(path.join(deepChatDir, f)),
);

function page(contender: Contender): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${contender.name}</title>
<script type="module" src="lib/${contender.script}"></script></head>
<body><h1>A cold host page</h1>${contender.element}</body></html>`;
}

async function serve(contenders: Contender[]) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, name, ...rest] = url.pathname.split('/');
    const contender = contenders.find((c) => c.name === decodeURIComponent(name ?? ''));
    if (!contender) return void res.writeHead(404).end();
    if (rest.length === 0 || rest[0] === '') {
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(contender));
    }
    try {
      const body = await readFile(path.join(contender.dir, ...rest.slice(1)));
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * One cold load: ms from the script's request start to the first frame where the element is
 * interactive, and how much of it was the script's download.
 */
async function measure(
  browser: Browser,
  url: string,
  contender: Contender,
): Promise<{ total: number; download: number }> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(url, { waitUntil: 'commit' });
  const ready = await tab.waitForFunction(contender.interactive, contender.tag, {
    polling: 'raf',
    timeout: 30_000,
  });
  await ready.dispose();
  const ms = await tab.evaluate((script) => {
    const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
      e.name.endsWith(script),
    );
    if (!entry) throw new Error(`${script} was not loaded`);
    return { total: performance.now() - entry.startTime, download: entry.responseEnd - entry.startTime };
  }, contender.script);
  await context.close();
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const out = await mkdtemp(path.join(tmpdir(), 'parlance-widget-bench-'));
process.env.NODE_ENV = 'production';
await build({
  configFile: path.join(root, 'vite.widget.config.ts'),
  logLevel: 'warn',
  build: { outDir: out, emptyOutDir: true, sourcemap: false },
});

const contenders: Contender[] = [
  {
    name: 'Parlance',
    dir: out,
    script: 'parlance-chat.js',
    element: '<parlance-chat base-url="http://127.0.0.1:9/v1" title="Ask"></parlance-chat>',
    tag: 'parlance-chat',
    interactive: (tag) => {
      const button = document.querySelector(tag)?.shadowRoot?.querySelector('button');
      return !!button && button.getBoundingClientRect().width > 0;
    },
  },
];
if (deepChatScript) {
  contenders.push({
    name: 'deep-chat',
    dir: deepChatDir,
    script: deepChatScript,
    element: '<deep-chat connect=\'{"url":"http://127.0.0.1:9/v1"}\'></deep-chat>',
    tag: 'deep-chat',
    interactive: (tag) => {
      const input = document
        .querySelector(tag)
        ?.shadowRoot?.querySelector<HTMLElement>('#text-input, textarea, input, [contenteditable]');
      return !!input && input.getBoundingClientRect().width > 0;
    },
  });
}

const { server, url } = await serve(contenders);
const browser = await launchChromium();
const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
const downloads = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
try {
  for (let run = 0; run < RUNS; run++) {
    // Alternate, so a slow moment of the machine hits both.
    for (const contender of contenders) {
      const { total, download } = await measure(browser, `${url}/${contender.name}/`, contender);
      times.get(contender.name)!.push(total);
      downloads.get(contender.name)!.push(download);
    }
  }
} finally {
  await browser.close();
  server.close();
  await rm(out, { recursive: true, force: true });
}

console.log(`\nScript load → interactive launcher, cold page, headless Chromium (median of ${RUNS})`);
const parlance = median(times.get('Parlance')!);
console.table(
  contenders.map((c) => ({
    library: c.name,
    'median ms': median(times.get(c.name)!).toFixed(1),
    'min ms': Math.min(...times.get(c.name)!).toFixed(1),
    'of which download, median ms': median(downloads.get(c.name)!).toFixed(1),
    'vs Parlance': c.name === 'Parlance' ? '1.00×' : ratio(median(times.get(c.name)!), parlance),
  })),
);
if (!deepChatScript) {
  console.log('deep-chat is not installed: run `npm i -D deep-chat` for the side-by-side figure and ratio.');
}
