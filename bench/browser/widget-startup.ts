// Time from the widget's script starting to load to an interactive launcher, on a cold page
// (a fresh browser context each run: no cache), in headless Chromium. Side by side with Deep Chat
// loaded the same way (one <script type="module"> and its element), from the `deep-chat` dev
// dependency; if it is missing, Parlance's figures alone are printed.
//
// Both sides are measured the same way: a probe runs in the page on every animation frame and
// notes the first frame where the element can take the user's first action (Parlance: the
// launcher is laid out; Deep Chat, which has no launcher: its text input is laid out), and the
// first frame where the user can type a message. Parlance's first action is opening the panel, so
// its probe clicks the launcher at that frame and waits for the composer; Deep Chat's input is its
// composer, so both of its moments are the same frame. The probe is installed before the page's
// own scripts and reports through the console, so no driver code runs in the page while it loads:
// Playwright's injected helpers (waitForFunction, evaluate) are about 330 KB of script, enough to
// hold the main thread for a few frames and hide a difference between the two.
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
  /**
   * Runs in the page on every frame until it returns `performance.now()` at the first frame where
   * the element could take the user's first action (`interactive`), and at the first frame where
   * the user could type a message (`typeable`). Serialized into the page: no outside references.
   */
  probe: (tag: string) => Moments | false;
}

interface Moments {
  interactive: number;
  typeable: number;
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

interface Sample {
  /** Script request start → interactive. */
  total: number;
  /** Script request start → the user can type. */
  typeable: number;
  /** Script request start → its last byte. */
  download: number;
}

/**
 * The page's first script: the probe, once per animation frame, until it reports. A string, not a
 * function, because tsx wraps local functions in a `__name` helper the page does not have.
 */
function probeScript(contender: Contender): string {
  return `{
    const probe = ${contender.probe.toString()};
    const frame = () => {
      const moments = probe(${JSON.stringify(contender.tag)});
      if (moments) console.log('widget-startup ' + JSON.stringify(moments));
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }`;
}

/** One cold load, timed from the script's request start. */
async function measure(browser: Browser, url: string, contender: Contender): Promise<Sample> {
  const context = await browser.newContext();
  await context.addInitScript({ content: probeScript(contender) });
  const tab = await context.newPage();
  const report = tab.waitForEvent('console', {
    predicate: (message) => message.text().startsWith('widget-startup '),
    timeout: 30_000,
  });
  await tab.goto(url, { waitUntil: 'commit' });
  const moments = JSON.parse((await report).text().slice('widget-startup '.length)) as Moments;
  const ms = await tab.evaluate(
    ({ script, moments }) => {
      const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
        e.name.endsWith(script),
      );
      if (!entry) throw new Error(`${script} was not loaded`);
      return {
        total: moments.interactive - entry.startTime,
        typeable: moments.typeable - entry.startTime,
        download: entry.responseEnd - entry.startTime,
      };
    },
    { script: contender.script, moments },
  );
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
    probe: (tag) => {
      const state = ((window as { benchProbe?: { interactive?: number } }).benchProbe ??= {});
      const root = document.querySelector(tag)?.shadowRoot;
      if (state.interactive === undefined) {
        const launcher = root?.querySelector<HTMLElement>('button.parlance-widget-launcher');
        if (!launcher || launcher.getBoundingClientRect().width === 0) return false;
        state.interactive = performance.now();
        launcher.click();
      }
      const input = root?.querySelector('textarea');
      if (!input || input.getBoundingClientRect().width === 0) return false;
      return { interactive: state.interactive, typeable: performance.now() };
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
    probe: (tag) => {
      const input = document
        .querySelector(tag)
        ?.shadowRoot?.querySelector<HTMLElement>('#text-input, textarea, input, [contenteditable]');
      if (!input || input.getBoundingClientRect().width === 0) return false;
      const now = performance.now();
      return { interactive: now, typeable: now };
    },
  });
}

const { server, url } = await serve(contenders);
const browser = await launchChromium();
const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
try {
  for (let run = 0; run < RUNS; run++) {
    // Alternate, so a slow moment of the machine hits both.
    for (const contender of contenders) {
      samples.get(contender.name)!.push(await measure(browser, `${url}/${contender.name}/`, contender));
    }
  }
} finally {
  await browser.close();
  server.close();
  await rm(out, { recursive: true, force: true });
}

const of = (name: string, key: keyof Sample) => samples.get(name)!.map((sample) => sample[key]);
console.log(`\nScript load → interactive launcher, cold page, headless Chromium (median of ${RUNS})`);
const parlance = median(of('Parlance', 'total'));
console.table(
  contenders.map((c) => ({
    library: c.name,
    'median ms': median(of(c.name, 'total')).toFixed(1),
    'min ms': Math.min(...of(c.name, 'total')).toFixed(1),
    'of which download, median ms': median(of(c.name, 'download')).toFixed(1),
    'vs Parlance': c.name === 'Parlance' ? '1.00×' : ratio(median(of(c.name, 'total')), parlance),
  })),
);
console.log('\nScript load → the user can type (Parlance: launcher clicked as soon as it is interactive)');
const parlanceTypeable = median(of('Parlance', 'typeable'));
console.table(
  contenders.map((c) => ({
    library: c.name,
    'median ms': median(of(c.name, 'typeable')).toFixed(1),
    'min ms': Math.min(...of(c.name, 'typeable')).toFixed(1),
    'vs Parlance': c.name === 'Parlance' ? '1.00×' : ratio(median(of(c.name, 'typeable')), parlanceTypeable),
  })),
);
if (!deepChatScript) {
  console.log('deep-chat is not installed: run `npm i -D deep-chat` for the side-by-side figure and ratio.');
}
