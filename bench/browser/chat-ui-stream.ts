/**
 * Streams a 4,000-token markdown reply into a 200-message conversation five ways, in headless
 * Chromium, on the same schedule (10 tokens every 16 ms):
 *  - Parlance: `ChatWindow` driven by the app's `useChat`, the bytes arriving as OpenAI SSE through
 *    `fetch`; the same with the window running its own `useChat` (no `chat` prop); and the app's
 *    `useChat` publishing every animation frame (`throttle: 'frame'`) instead of the default
 *    (at most every 32 ms, about 30 times a second);
 *  - `@ai-sdk/react` `useChat` rendering each message with `react-markdown`, and the same with
 *    Streamdown, the text arriving through its text-stream transport (it does not read OpenAI SSE
 *    itself);
 *  - the floor: appending the same pieces to one element's `textContent`.
 * Reports main-thread script time (CDP Performance metrics), long tasks and the p95 frame interval,
 * as ratios to the floor and to both AI SDK stacks. A second pass streams the same reply as fast as
 * possible (every byte handed over in one task), where what counts is the total cost and the long
 * tasks of catching up.
 *
 * Environment: BENCH_RUNS (default 3); BENCH_MODES=paced,burst (default both); BENCH_STACKS=a,b
 * (default all); BENCH_TRACE=1 also records a Chromium trace during the stream and reports the main
 * thread's CPU time, all and script alone (thread time, so less swayed by other processes than the
 * wall-clock figures), and the layouts script forced (recording their stacks slows the floor, which
 * forces one per tick, so its figures are not comparable then);
 * BENCH_PROFILE=1 builds unminified and prints each stack's ten heaviest functions (self time).
 *
 * Run: npx tsx bench/browser/chat-ui-stream.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { build } from 'vite';

import { launchChromium, ratio } from '../support/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKENS = 4000;
const HISTORY = 200;
const PER_TICK = 10;
const TICK_MS = 16;
const PROFILE = process.env.BENCH_PROFILE === '1';

function makeReply(): string[] {
  const section = (n: number) =>
    [
      `## Part ${n}: what to check`,
      '',
      `This part explains **step ${n}** with some _emphasis_, a [link](https://example.com/${n}) and \`inline code\`. ` +
        'Streaming text should stay smooth while the conversation above it is long, and the page should never freeze.',
      '',
      `- first point about item ${n}`,
      `- second point, with ~~old~~ new wording`,
      `- [x] a finished task`,
      '',
      '| Name | Value | Note |',
      '| --- | ---: | --- |',
      `| alpha | ${n * 3} | fine |`,
      `| beta | ${n * 7} | also fine |`,
      '',
      '```ts',
      `export function step${n}(values: number[]): number {`,
      '  let total = 0;',
      '  for (const value of values) total += value * 2;',
      '  return total;',
      '}',
      '```',
      '',
      '> A quoted remark that spans a little more than one line of text, to give the renderer some work.',
      '',
    ].join('\n');
  const encoder = new Tiktoken(o200k);
  let text = '';
  for (let n = 1; encoder.encode(text).length < TOKENS; n++) text += section(n);
  const tokens = encoder.encode(text).slice(0, TOKENS);
  // Decode token by token, keeping multi-byte characters whole.
  return tokens.map((t) => encoder.decode([t]));
}

function history(): { role: 'user' | 'assistant'; content: string }[] {
  return Array.from({ length: HISTORY }, (_, i) =>
    i % 2 === 0
      ? { role: 'user' as const, content: `Question ${i / 2 + 1}: how does part ${i / 2 + 1} work?` }
      : {
          role: 'assistant' as const,
          content: `Part ${(i + 1) / 2} works like **this**:\n\n- one\n- two\n\n\`\`\`js\nconsole.log(${i});\n\`\`\``,
        },
  );
}

// The "server" side of each page is prepared before the stream starts: `prepare` turns each
// tick's pieces into what that page's transport reads (SSE bytes, plain text bytes, a string), so
// that building the payload is not counted as the client's script time.
const schedule = `
export function pieces() { return window.__PIECES__; }
export function prepare(payload) {
  const all = pieces();
  const ticks = [];
  for (let i = 0; i < all.length; i += ${PER_TICK}) ticks.push(payload(all.slice(i, i + ${PER_TICK})));
  return ticks;
}
export function tick(ticks, onTick, onEnd) {
  if (window.__BURST__) {
    for (const t of ticks) onTick(t);
    onEnd();
    return;
  }
  let i = 0;
  const timer = setInterval(() => {
    onTick(ticks[i++]);
    if (i >= ticks.length) { clearInterval(timer); onEnd(); }
  }, ${TICK_MS});
}
`;

/** The Parlance pages' fetch: the reply as OpenAI SSE, each tick's bytes prepared beforehand. */
const parlanceFetch = `
import { prepare, tick } from './schedule.js';

const encoder = new TextEncoder();
const chunk = (delta, finish = null) => 'data: ' + JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0,
  model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] }) + '\\n\\n';
const ticks = prepare((ps) => encoder.encode(ps.map((p) => chunk({ content: p })).join('')));
export const fakeFetch = async () => new Response(new ReadableStream({
  start(controller) {
    controller.enqueue(encoder.encode(chunk({ role: 'assistant', content: '' })));
    tick(ticks, (bytes) => controller.enqueue(bytes), () => {
      controller.enqueue(encoder.encode(chunk({}, 'stop') + 'data: [DONE]\\n\\n'));
      controller.close();
    });
  },
}), { headers: { 'content-type': 'text/event-stream' } });
`;

/** An `@ai-sdk/react` page whose messages render with `component` (imported by `imports`). */
const aiSdkPage = (imports: string, render: string) => `
import { memo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useChat } from '@ai-sdk/react';
import { TextStreamChatTransport } from 'ai';
${imports}
import { prepare, tick } from './schedule.js';

const encoder = new TextEncoder();
const ticks = prepare((ps) => encoder.encode(ps.join('')));
const fakeFetch = async () => new Response(new ReadableStream({
  start(controller) {
    tick(ticks, (bytes) => controller.enqueue(bytes), () => controller.close());
  },
}), { headers: { 'content-type': 'text/plain; charset=utf-8' } });

const Message = memo(function Message({ message, streaming }) {
  return <article data-role={message.role}>{message.parts.map((part, i) =>
    part.type === 'text' ? ${render} : null)}</article>;
});

function App() {
  const [initial] = useState(() => window.__HISTORY__.map((m, i) => ({ id: 'h' + i, role: m.role, parts: [{ type: 'text', text: m.content }] })));
  const { messages, sendMessage, status } = useChat({
    messages: initial,
    transport: new TextStreamChatTransport({ api: '/api/chat', fetch: fakeFetch }),
    onFinish: () => { window.__done = true; },
  });
  window.__start = () => sendMessage({ text: 'Go' });
  const last = messages.length - 1;
  return <div style={{ height: '100vh', overflow: 'auto' }}>{messages.map((m, i) =>
    <Message key={m.id} message={m} streaming={i === last && status === 'streaming'} />)}</div>;
}
createRoot(document.getElementById('root')).render(<App />);
`;

const pages: Record<string, string> = {
  'schedule.js': schedule,
  'parlance-fetch.js': parlanceFetch,
  'parlance.tsx': `
import { createRoot } from 'react-dom/client';
import { ChatWindow, ParlanceProvider, useChat } from 'parlance';
import 'parlance/styles.css';
import { fakeFetch } from './parlance-fetch.js';

function App() {
  const chat = useChat({ model: 'gpt-4o', initialMessages: window.__HISTORY__, onFinish: () => { window.__done = true; } });
  window.__start = () => chat.send('Go');
  return <div style={{ height: '100vh' }}><ChatWindow chat={chat} showTokenMeter={false} /></div>;
}
createRoot(document.getElementById('root')).render(
  <ParlanceProvider baseUrl="http://127.0.0.1/v1" fetch={fakeFetch} locale="en" theme="light"><App /></ParlanceProvider>,
);
`,
  'parlance-frame.tsx': `
import { createRoot } from 'react-dom/client';
import { ChatWindow, ParlanceProvider, useChat } from 'parlance';
import 'parlance/styles.css';
import { fakeFetch } from './parlance-fetch.js';

function App() {
  const chat = useChat({ model: 'gpt-4o', throttle: 'frame', initialMessages: window.__HISTORY__, onFinish: () => { window.__done = true; } });
  window.__start = () => chat.send('Go');
  return <div style={{ height: '100vh' }}><ChatWindow chat={chat} showTokenMeter={false} /></div>;
}
createRoot(document.getElementById('root')).render(
  <ParlanceProvider baseUrl="http://127.0.0.1/v1" fetch={fakeFetch} locale="en" theme="light"><App /></ParlanceProvider>,
);
`,
  'parlance-own.tsx': `
import { createRoot } from 'react-dom/client';
import { ChatWindow, ParlanceProvider } from 'parlance';
import 'parlance/styles.css';
import { fakeFetch } from './parlance-fetch.js';

// The window runs its own useChat; the stream starts from its composer, as a user would.
window.__start = () => {
  const input = document.querySelector('textarea');
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(input, 'Go');
  input.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(() => input.closest('form').requestSubmit());
};
createRoot(document.getElementById('root')).render(
  <ParlanceProvider baseUrl="http://127.0.0.1/v1" fetch={fakeFetch} locale="en" theme="light">
    <div style={{ height: '100vh' }}>
      <ChatWindow model="gpt-4o" initialMessages={window.__HISTORY__} showTokenMeter={false}
        onFinish={() => { window.__done = true; }} />
    </div>
  </ParlanceProvider>,
);
`,
  'aisdk.tsx': aiSdkPage(
    `import ReactMarkdown from 'react-markdown';`,
    `<ReactMarkdown key={i}>{part.text}</ReactMarkdown>`,
  ),
  'streamdown.tsx': aiSdkPage(
    `import { Streamdown } from 'streamdown';`,
    `<Streamdown key={i} isAnimating={streaming}>{part.text}</Streamdown>`,
  ),
  'floor.tsx': `
import { prepare, tick } from './schedule.js';
const ticks = prepare((ps) => ps.join(''));
const root = document.getElementById('root');
root.style.cssText = 'height:100vh;overflow:auto';
for (const m of window.__HISTORY__) {
  const div = document.createElement('div');
  div.textContent = m.content;
  root.append(div);
}
const reply = document.createElement('div');
reply.style.whiteSpace = 'pre-wrap';
root.append(reply);
window.__start = () => tick(ticks, (text) => { reply.textContent += text; root.scrollTop = root.scrollHeight; }, () => { window.__done = true; });
`,
};

/** The stacks, in the order they run and print. */
const STACKS: Record<string, string> = {
  floor: 'textContent append (floor)',
  parlance: 'Parlance ChatWindow (app useChat)',
  'parlance-own': 'Parlance ChatWindow (own useChat)',
  'parlance-frame': "Parlance ChatWindow (app useChat, throttle: 'frame')",
  aisdk: '@ai-sdk/react + react-markdown',
  streamdown: '@ai-sdk/react + Streamdown',
};

/**
 * BENCH_BASE=<dir>: also measures Parlance built from `<dir>/src` (say, `git archive` of an
 * earlier commit unpacked inside the project, so it finds the project's packages), interleaved
 * with the working tree's, as "… (base)" stacks: a before/after comparison in one run.
 */
const BASE = process.env.BENCH_BASE ? path.resolve(process.env.BENCH_BASE) : null;
if (BASE) {
  STACKS['parlance-base'] = `${STACKS.parlance} (base)`;
  STACKS['parlance-own-base'] = `${STACKS['parlance-own']} (base)`;
}

async function buildPages(dir: string) {
  for (const [name, source] of Object.entries(pages)) writeFileSync(path.join(dir, name), source);
  await buildWith(dir, path.join(root, 'src'), 'dist', '');
  if (BASE) await buildWith(dir, path.join(BASE, 'src'), 'dist/base', '-base');
}

async function buildWith(dir: string, src: string, outDir: string, suffix: string) {
  const entries = Object.keys(STACKS).filter((name) => !name.endsWith('-base'));
  for (const entry of entries) {
    writeFileSync(
      path.join(dir, `${entry}.html`),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${entry}</title></head>` +
        `<body style="margin:0"><div id="root"></div><script type="module" src="./${entry}.tsx"></script></body></html>`,
    );
  }
  await build({
    root: dir,
    configFile: false,
    base: './',
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^parlance\/styles\.css$/, replacement: path.join(src, 'styles.css') },
        { find: /^parlance$/, replacement: path.join(src, 'index.ts') },
      ],
    },
    build: {
      minify: !PROFILE,
      outDir: path.join(dir, outDir),
      emptyOutDir: !suffix,
      rollupOptions: {
        input: Object.fromEntries(entries.map((e) => [`${e}${suffix}`, path.join(dir, `${e}.html`)])),
      },
    },
  });
}

function serve(dir: string) {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
        response.end(body);
      },
      () => {
        response.writeHead(404);
        response.end();
      },
    );
  });
  return new Promise<{ url: string; close: () => void }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => server.close() });
    });
  });
}

interface Result {
  scriptMs: number;
  /** Main-thread CPU time of every task, from the trace (BENCH_TRACE=1), else NaN. */
  cpuMs: number;
  /** Thread time of script alone, from the trace (BENCH_TRACE=1), else NaN. */
  jsCpuMs: number;
  /** Layouts a script forced (BENCH_TRACE=1), else NaN. */
  forcedLayouts: number;
  longTasks: number;
  longestTaskMs: number;
  frameP95: number;
  wallMs: number;
  /** The heaviest functions (BENCH_PROFILE=1). */
  profile: string[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; beginData?: { stackTrace?: unknown[] } };
}

const SCRIPT_EVENTS = new Set([
  'FunctionCall',
  'EvaluateScript',
  'v8.evaluateModule',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'RunMicrotasks',
  'EventDispatch',
  'v8.run',
]);

/**
 * Sums the thread time of the renderer main thread's top-level tasks, and of the script they run, and counts its forced
 * layouts (a layout with a script's stack: the script read layout the page had invalidated).
 */
function mainThreadCpu(buffer: Buffer): { cpuMs: number; jsCpuMs: number; forcedLayouts: number } {
  const parsed = JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let micros = 0;
  let forcedLayouts = 0;
  // Script's thread time: the outermost of the events that run script (nested ones are inside it).
  let jsMicros = 0;
  let jsEnd = -1;
  const sorted = events
    .filter((e) => main.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  for (const e of sorted) {
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask') micros += e.tdur ?? 0;
    if (e.name === 'Layout' && (e.ph === 'X' || e.ph === 'B') && e.args?.beginData?.stackTrace?.length) {
      forcedLayouts++;
    }
    if (e.ph === 'X' && SCRIPT_EVENTS.has(e.name) && (e.ts ?? 0) >= jsEnd) {
      jsMicros += e.tdur ?? 0;
      jsEnd = (e.ts ?? 0) + (e.dur ?? 0);
    }
  }
  return { cpuMs: micros / 1000, jsCpuMs: jsMicros / 1000, forcedLayouts };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * The functions with the most self time in a CDP CPU profile, as printable lines (idle time and
 * the engine's own bookkeeping left out), and the profile saved for a closer look.
 */
function heaviest(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] },
  name: string,
): string[] {
  const saved = path.join(root, 'node_modules/.cache/chat-ui-bench-profiles', `${name}.cpuprofile`);
  mkdirSync(path.dirname(saved), { recursive: true });
  writeFileSync(saved, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([key, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${key}`),
    `  (saved to ${path.relative(root, saved)})`,
  ];
}

async function measure(
  url: string,
  piecesList: string[],
  messages: ReturnType<typeof history>,
  burst: boolean,
): Promise<Result> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    // tsx names functions with a `__name` helper that the page does not have.
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(
      ({ p, h, b }) => {
        (window as unknown as Record<string, unknown>).__PIECES__ = p;
        (window as unknown as Record<string, unknown>).__HISTORY__ = h;
        (window as unknown as Record<string, unknown>).__BURST__ = b;
      },
      { p: piecesList, h: messages, b: burst },
    );
    await page.goto(url);
    await page.waitForFunction(
      () => typeof (window as unknown as { __start?: unknown }).__start === 'function',
    );
    await page.waitForTimeout(500);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async (name: string) => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      return metrics.find((m) => m.name === name)?.value ?? 0;
    };
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __frames: number[]; __loaf: string[] };
      w.__long = [];
      w.__frames = [];
      w.__loaf = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({
        type: 'longtask',
      });
      // What ran in each long frame (BENCH_PROFILE=1 prints it).
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & {
          blockingDuration: number;
          scripts: { invoker: string; duration: number; sourceFunctionName: string }[];
        })[]) {
          if (entry.duration < 50) continue;
          const scripts = entry.scripts
            .map(
              (s) =>
                `${s.invoker}${s.sourceFunctionName ? ` (${s.sourceFunctionName})` : ''} ${s.duration.toFixed(0)} ms`,
            )
            .join(', ');
          w.__loaf.push(
            `frame of ${entry.duration.toFixed(0)} ms, blocking ${entry.blockingDuration.toFixed(0)} ms: ${scripts}`,
          );
        }
      }).observe({ type: 'long-animation-frame' });
      const loop = (t: number) => {
        w.__frames.push(t);
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    const tracing = process.env.BENCH_TRACE === '1';
    if (tracing)
      await browser.startTracing(page, {
        categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline.stack'],
      });
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const scriptBefore = await metric('ScriptDuration');
    const start = Date.now();
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    await page.waitForFunction(() => (window as unknown as { __done?: boolean }).__done === true, undefined, {
      timeout: 120_000,
      polling: 100,
    });
    await page.waitForTimeout(100);
    const wallMs = Date.now() - start;
    const scriptMs = ((await metric('ScriptDuration')) - scriptBefore) * 1000;
    const { cpuMs, jsCpuMs, forcedLayouts } = tracing
      ? mainThreadCpu(await browser.stopTracing())
      : { cpuMs: Number.NaN, jsCpuMs: Number.NaN, forcedLayouts: Number.NaN };
    const profile = PROFILE
      ? heaviest(
          ((await cdp.send('Profiler.stop')) as { profile: Parameters<typeof heaviest>[0] }).profile,
          `${new URL(url).pathname.slice(1, -'.html'.length)}-${burst ? 'burst' : 'paced'}`,
        )
      : [];
    const { long, frames, loaf } = await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __frames: number[]; __loaf: string[] };
      return { long: w.__long, frames: w.__frames, loaf: w.__loaf };
    });
    const intervals = frames
      .slice(1)
      .map((t, i) => t - frames[i]!)
      .sort((a, b) => a - b);
    return {
      scriptMs,
      cpuMs,
      jsCpuMs,
      forcedLayouts,
      longTasks: long.length,
      longestTaskMs: long.length ? Math.max(...long) : 0,
      frameP95: intervals[Math.floor(intervals.length * 0.95)] ?? 0,
      wallMs,
      profile: [...profile, ...loaf.map((line) => `  ${line}`)],
    };
  } finally {
    await browser.close();
  }
}

function report(mode: 'paced' | 'burst', results: Record<string, Result[]>, runs: number) {
  const tracing = process.env.BENCH_TRACE === '1';
  const median = (name: string, key: Exclude<keyof Result, 'profile'>) => {
    const values = results[name]!.map((r) => r[key]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  const names = Object.keys(results);
  const has = (name: string) => names.includes(name);
  console.log(
    mode === 'paced'
      ? `\nchat-ui-stream: ${TOKENS} tokens (${PER_TICK} per ${TICK_MS} ms) into ${HISTORY} messages; median of ${runs} runs`
      : `\nchat-ui-stream, as fast as possible: ${TOKENS} tokens handed over in one task into ${HISTORY} messages; median of ${runs} runs`,
  );
  console.table(
    names.map((name) => ({
      stack: STACKS[name],
      'script ms': median(name, 'scriptMs').toFixed(0),
      ...(has('floor') ? { 'vs floor': ratio(median(name, 'scriptMs'), median('floor', 'scriptMs')) } : {}),
      ...(tracing
        ? {
            'main-thread CPU ms': median(name, 'cpuMs').toFixed(0),
            'script CPU ms': median(name, 'jsCpuMs').toFixed(0),
            'forced layouts': median(name, 'forcedLayouts'),
          }
        : {}),
      'long tasks': median(name, 'longTasks'),
      'longest task ms': median(name, 'longestTaskMs').toFixed(0),
      'frame p95 ms': median(name, 'frameP95').toFixed(1),
      'wall ms': median(name, 'wallMs').toFixed(0),
    })),
  );
  const lines: string[] = [];
  for (const parlance of [
    'parlance',
    'parlance-own',
    'parlance-frame',
    'parlance-base',
    'parlance-own-base',
  ].filter(has)) {
    const p = (key: Exclude<keyof Result, 'profile'>) => median(parlance, key);
    const label = STACKS[parlance]!;
    if (has('floor')) {
      lines.push(`${label} script time vs floor: ${ratio(p('scriptMs'), median('floor', 'scriptMs'))}`);
      if (tracing) {
        lines.push(
          `${label} main-thread CPU (script, style, layout, paint) vs floor: ${ratio(p('cpuMs'), median('floor', 'cpuMs'))}`,
          `${label} script CPU (thread time) vs floor: ${ratio(p('jsCpuMs'), median('floor', 'jsCpuMs'))}`,
        );
      }
    }
    for (const other of ['aisdk', 'streamdown'].filter(has)) {
      lines.push(
        `${STACKS[other]} script time vs ${label}: ${ratio(median(other, 'scriptMs'), p('scriptMs'))}`,
      );
    }
  }
  lines.push(
    `Long tasks: ${names
      .map(
        (name) =>
          `${STACKS[name]} ${median(name, 'longTasks')} (longest ${median(name, 'longestTaskMs').toFixed(0)} ms)`,
      )
      .join('; ')}`,
  );
  console.log(lines.join('\n'));
  if (PROFILE) {
    for (const name of names)
      console.log(
        `\n${STACKS[name]}, heaviest functions (self time, last run):\n${results[name]!.at(-1)!.profile.join('\n')}`,
      );
  }
}

async function main() {
  // Inside the project, so the pages' imports resolve from its node_modules.
  const cache = path.join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'chat-ui-bench-'));
  const stop: (() => void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const piecesList = makeReply();
    const messages = history();
    await buildPages(dir);
    const server = await serve(path.join(dir, 'dist'));
    stop.unshift(server.close);
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    const only = process.env.BENCH_STACKS?.split(',');
    const names = Object.keys(STACKS).filter((name) => !only || only.includes(name));
    const modes = (process.env.BENCH_MODES ?? 'paced,burst').split(',') as ('paced' | 'burst')[];
    for (const mode of modes) {
      const results: Record<string, Result[]> = Object.fromEntries(names.map((name) => [name, []]));
      for (let r = 0; r < runs; r++) {
        for (const name of names) {
          results[name]!.push(
            await measure(
              `${server.url}/${name.endsWith('-base') ? `base/${name.slice(0, -5)}` : name}.html`,
              piecesList,
              messages,
              mode === 'burst',
            ),
          );
        }
      }
      report(mode, results, runs);
    }
  } finally {
    for (const fn of stop) fn();
  }
}

await main();
