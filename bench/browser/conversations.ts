// Conversations in IndexedDB, in headless Chromium: listing 1,000 stored conversations, and
// switching between two long ones, the kit's way (the conversation index; one conversation read
// per switch) against the naive way (every conversation loaded whole, then summarised or picked).
// Run: npx tsx bench/browser/conversations.ts
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

import { launchChromium, ratio } from '../support/chromium';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 7);
const CONVERSATIONS = 1000;
const SHORT_MESSAGES = 12;
const LONG_MESSAGES = 2000;

const page = `
import {
  chatStorageKey,
  conversationIndex,
  conversationTitle,
  createChatStore,
  createIndexedDBStorage,
  messageText,
} from ${JSON.stringify(path.join(repo, 'src/core/index.ts'))};

const RUNS = ${RUNS};
const text = (i) => 'Message ' + i + ': ' + 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4);
const message = (id, i, at) => ({
  id: id + '-' + i, role: i % 2 ? 'assistant' : 'user', content: text(i), createdAt: at + i,
  status: 'done', finishReason: i % 2 ? 'stop' : null, endState: null, usage: null, error: null,
});
const conversation = (id, count, at) => ({
  format: 'parlance.chat', version: 1, id, savedAt: at + count,
  messages: Array.from({ length: count }, (_, i) => message(id, i, at)),
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (run) => { const t = performance.now(); const r = await run(); return [performance.now() - t, r]; };

async function main() {
  const db = 'parlance-bench';
  const seed = createIndexedDBStorage(db, 'chats');
  const writes = [];
  for (let i = 0; i < ${CONVERSATIONS}; i++) {
    const long = i === 0 || i === 1;
    writes.push(seed.set(chatStorageKey('c' + i), conversation('c' + i, long ? ${LONG_MESSAGES} : ${SHORT_MESSAGES}, i * 1000)));
  }
  await Promise.all(writes);
  // The index, built once (as the first listing after an upgrade does).
  const [rebuildMs] = await time(() => conversationIndex(createIndexedDBStorage(db, 'chats')).refresh());

  const rows = { listIndex: [], listNaive: [], switchKit: [], switchNaive: [] };
  let listed = 0, naiveListed = 0, switched = 0;
  for (let r = 0; r < RUNS; r++) {
    // A fresh storage object each run: no index in memory, as after a reload. The database is
    // opened first (an app has it open already), so the figures are the reads alone.
    const opened = async () => { const s = createIndexedDBStorage(db, 'chats'); await s.get('warm-up'); return s; };
    const fresh = await opened();
    const [a, n] = await time(async () => {
      const index = conversationIndex(fresh);
      await index.refresh();
      return index.getSnapshot().conversations.length;
    });
    rows.listIndex.push(a); listed = n;

    const naive = await opened();
    const [b, m] = await time(async () => {
      const storage = naive;
      const keys = await storage.list('parlance:chat:');
      const all = await Promise.all(keys.map((k) => storage.get(k)));
      return all
        .map((c) => ({ id: c.id, title: conversationTitle(c.messages), updatedAt: c.savedAt,
          preview: messageText(c.messages.at(-1).content).slice(0, 120) }))
        .sort((x, y) => y.updatedAt - x.updatedAt).length;
    });
    rows.listNaive.push(b); naiveListed = m;

    // Switching: open c0, then c1, then c0 again; time to the restored conversation.
    const storage = await opened();
    for (const id of ['c0', 'c1', 'c0']) {
      const [c, count] = await time(async () => {
        const store = createChatStore({ id, storage, transport: { send() { throw new Error('no'); } } });
        const unmount = store.mount();
        await new Promise((resolve) => {
          if (store.getSnapshot().restore === 'ready') return resolve();
          const stop = store.subscribe(() => { if (store.getSnapshot().restore === 'ready') { stop(); resolve(); } });
        });
        const length = store.getSnapshot().messages.length;
        unmount();
        return length;
      });
      rows.switchKit.push(c); switched = count;
      const [d] = await time(async () => {
        const keys = await storage.list('parlance:chat:');
        const all = await Promise.all(keys.map((k) => storage.get(k)));
        return all.find((x) => x.id === id).messages.length;
      });
      rows.switchNaive.push(d);
    }
  }
  window.__result = {
    rebuildMs, listed, naiveListed, switched,
    listIndex: median(rows.listIndex), listNaive: median(rows.listNaive),
    switchKit: median(rows.switchKit), switchNaive: median(rows.switchNaive),
  };
}
main().catch((e) => { window.__result = { error: String(e && e.stack || e) }; });
`;

async function buildPage(dir: string) {
  writeFileSync(path.join(dir, 'bench.js'), page);
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>conversations</title><script type="module" src="./bench.js"></script>',
  );
  await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    server: { fs: { allow: [repo, dir] } },
    build: { outDir: path.join(dir, 'dist'), minify: true, modulePreload: false },
  });
}

function serve(root: string) {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    const target = file.endsWith('/') ? path.join(file, 'index.html') : file;
    if (!target.startsWith(root) || !statSync(target, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(target)] ?? 'application/octet-stream' });
    res.end(readFileSync(target));
  });
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

interface Result {
  error?: string;
  rebuildMs: number;
  listed: number;
  naiveListed: number;
  switched: number;
  listIndex: number;
  listNaive: number;
  switchKit: number;
  switchNaive: number;
}

const dir = mkdtempSync(path.join(tmpdir(), 'parlance-conversations-'));
try {
  await buildPage(dir);
  const server = await serve(path.join(dir, 'dist'));
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${server.url}/`);
    const result = (await (
      await tab.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, null, {
        timeout: 300_000,
      })
    ).jsonValue()) as Result;
    if (result.error) throw new Error(result.error);
    const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(10);
    console.log(
      `\nConversations in IndexedDB, headless Chromium: ${CONVERSATIONS} conversations ` +
        `(${SHORT_MESSAGES} messages each; two of ${LONG_MESSAGES}), median of ${RUNS} runs`,
    );
    console.log('task                                    Parlance      naive   naive/Parlance');
    console.log(
      `list ${result.listed} conversations (titles, previews) ${ms(result.listIndex)} ${ms(result.listNaive)}   ` +
        `${ratio(result.listNaive, result.listIndex)}`,
    );
    console.log(
      `switch to a ${result.switched}-message conversation  ${ms(result.switchKit)} ${ms(result.switchNaive)}   ` +
        `${ratio(result.switchNaive, result.switchKit)}`,
    );
    console.log(
      `(index built once from the stored conversations: ${result.rebuildMs.toFixed(0)} ms; ` +
        `naive listing found ${result.naiveListed})`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
