// Cold start in headless Chromium: from navigation to the first token count shown on the page,
// for cl100k_base and o200k_base, Parlance (ranks loaded lazily into a worker) against
// gpt-tokenizer loaded the same way (a lazy `import()` of its encoding, counted on the page).
// Also records the longest main-thread task while loading. Run: npx tsx bench/browser/tokens-cold-start.ts
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

import { launchChromium, ratio } from '../support/chromium';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 5);
const TEXT = 'Hello! 你好 — how many tokens is this sentence, and this emoji 🚀?';

const shared = `
const longTasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); })
  .observe({ type: 'longtask', buffered: true });
const encoding = new URLSearchParams(location.search).get('encoding');
const show = (count) => {
  document.getElementById('out').textContent = String(count);
  const shownAt = performance.now();
  requestAnimationFrame(() => setTimeout(() => {
    window.__result = { count, shownAt, maxLongTask: Math.max(0, ...longTasks) };
  }, 100));
};
`;

const pages = {
  parlance: `${shared}
import { countTokens } from ${JSON.stringify(path.join(repo, 'src/core/tokens/count.ts'))};
Promise.resolve(countTokens(${JSON.stringify(TEXT)}, encoding === 'o200k' ? 'gpt-4o' : 'gpt-4')).then(show);
`,
  'gpt-tokenizer': `${shared}
const load = encoding === 'o200k'
  ? () => import('gpt-tokenizer/encoding/o200k_base')
  : () => import('gpt-tokenizer/encoding/cl100k_base');
load().then((m) => show(m.countTokens(${JSON.stringify(TEXT)})));
`,
  // Control: no tokenizer, just a worker keeping one core busy for 1.5 s. Long tasks seen here are
  // the machine's (a starved CPU stretches ordinary tasks), not any library's.
  control: `${shared}
const busy = 'const end = Date.now() + 1500; while (Date.now() < end); postMessage(0);';
new Worker(URL.createObjectURL(new Blob([busy], { type: 'text/javascript' }))).onmessage = () => show(0);
`,
};

async function buildPages(dir: string) {
  const input: Record<string, string> = {};
  for (const [name, code] of Object.entries(pages)) {
    writeFileSync(path.join(dir, `${name}.js`), code);
    writeFileSync(
      path.join(dir, `${name}.html`),
      `<!doctype html><meta charset="utf-8"><title>${name}</title><output id="out">…</output>` +
        `<script type="module" src="./${name}.js"></script>`,
    );
    input[name] = path.join(dir, `${name}.html`);
  }
  await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    // The pages live in a temp dir, outside the repo's node_modules.
    resolve: {
      alias: {
        'gpt-tokenizer/encoding/o200k_base': path.join(
          repo,
          'node_modules/gpt-tokenizer/esm/encoding/o200k_base.js',
        ),
        'gpt-tokenizer/encoding/cl100k_base': path.join(
          repo,
          'node_modules/gpt-tokenizer/esm/encoding/cl100k_base.js',
        ),
      },
    },
    server: { fs: { allow: [repo, dir] } },
    build: { outDir: path.join(dir, 'dist'), minify: true, modulePreload: false, rolldownOptions: { input } },
  });
}

function serve(root: string) {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(path.join(tmpdir(), 'parlance-tokens-cold-'));
try {
  await buildPages(dir);
  const server = await serve(path.join(dir, 'dist'));
  const browser = await launchChromium();
  try {
    const rows: { encoding: string; lib: string; firstCount: number; maxLongTask: number; count: number }[] =
      [];
    for (const encoding of ['cl100k', 'o200k']) {
      for (const lib of Object.keys(pages)) {
        if (lib === 'control' && encoding !== 'o200k') continue;
        const firsts: number[] = [];
        const longs: number[] = [];
        let count = 0;
        for (let i = 0; i < RUNS; i++) {
          // A fresh context per run: empty HTTP cache, a cold start.
          const context = await browser.newContext();
          const page = await context.newPage();
          await page.goto(`${server.url}/${lib}.html?encoding=${encoding}`);
          const result = (await (
            await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, null, {
              timeout: 60_000,
            })
          ).jsonValue()) as { count: number; shownAt: number; maxLongTask: number };
          firsts.push(result.shownAt);
          longs.push(result.maxLongTask);
          count = result.count;
          await context.close();
        }
        rows.push({ encoding, lib, firstCount: median(firsts), maxLongTask: median(longs), count });
      }
    }
    console.log(`\nCold start to first count shown (median of ${RUNS} cold page loads, headless Chromium)`);
    console.log('encoding  library         first count   longest main-thread task   count');
    for (const r of rows) {
      console.log(
        `${r.encoding.padEnd(9)} ${r.lib.padEnd(15)} ${`${r.firstCount.toFixed(0)} ms`.padStart(11)}   ` +
          `${`${r.maxLongTask.toFixed(0)} ms`.padStart(24)}   ${r.count}`,
      );
    }
    for (const encoding of ['cl100k', 'o200k']) {
      const ours = rows.find((r) => r.encoding === encoding && r.lib === 'parlance')!;
      const theirs = rows.find((r) => r.encoding === encoding && r.lib === 'gpt-tokenizer')!;
      console.log(
        `${encoding}: first count Parlance/gpt-tokenizer ${ratio(ours.firstCount, theirs.firstCount)}; ` +
          `longest main-thread task gpt-tokenizer/Parlance ${ratio(theirs.maxLongTask, Math.max(1, ours.maxLongTask))}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
