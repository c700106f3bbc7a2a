// The reference server's proxy against a direct connection to the same upstream, side by side in
// one run, on 127.0.0.1: the delay of each SSE chunk from the upstream's write to the client's
// read (p50/p99), at 1, 100 and 1,000 concurrent streams, and what the proxy adds (proxied minus
// direct). The fake upstream and the proxy each run in a process of their own, so the client's
// work shares an event loop with neither; the proxy redacts its key from every event as in
// production. Bounded: every stream ends by itself; the whole run takes about half a minute.
// Run: npx tsx bench/browser/server-proxy.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `a / b` as `1.23×`, as bench/support/chromium.ts prints it (not imported: the proxy's process loads this file). */
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Streams at once, chunks per stream, and the gap between two chunks of a stream. */
interface Level {
  streams: number;
  chunks: number;
  gapMs: number;
}
const LEVELS: readonly Level[] = [
  { streams: 1, chunks: 200, gapMs: 5 },
  { streams: 100, chunks: 40, gapMs: 25 },
  { streams: 1_000, chunks: 30, gapMs: 100 },
];
/**
 * Direct and proxied runs alternate this many times per level; each figure is the median over
 * the rounds, so that load from other processes on the machine sways both sides alike.
 */
const ROUNDS = 3;
/** Added p50 and p99 the proxy may cost per chunk at 1,000 streams. */
const GOAL = { p50: 5, p99: 50 };

const UPSTREAM = `
import http from 'node:http';
const now = () => performance.timeOrigin + performance.now();
const server = http.createServer((req, res) => {
  // The body's model says how to stream ("bench-<chunks>-<gap>"): the proxy forwards the body only.
  let text = '';
  req.on('data', (d) => (text += d));
  req.on('end', () => {
    const [, chunks, gap] = /^bench-(\\d+)-(\\d+)$/.exec(JSON.parse(text).model).map(Number);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const tick = () => {
      if (res.destroyed) return;
      if (i === chunks) { res.end('data: [DONE]\\n\\n'); return; }
      i++;
      res.write('data: ' + JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', t: now(), choices: [{ index: 0, delta: { content: 'tok\\\\n ' }, logprobs: null, finish_reason: null }] }) + '\\n\\n');
      setTimeout(tick, gap);
    };
    tick();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** In the proxy's own process: serve, and answer each 'stats' message with its loop and memory. */
async function serveProxy(upstreamBase: string): Promise<void> {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const { createServer } = await import('../../src/server/index');
  const server = createServer({
    upstream: { baseUrl: upstreamBase, apiKey: 'sk-bench-0123456789abcdef' },
    staticDir: null,
    rateLimits: false,
  });
  const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
  let loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let cpu = process.cpuUsage();
  process.on('message', (message) => {
    if (message !== 'stats') return;
    loop.disable();
    const used = process.cpuUsage(cpu);
    process.send!({
      maxLoopDelayMs: loop.max / 1e6,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      cpuMs: (used.user + used.system) / 1000,
    });
    loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    cpu = process.cpuUsage();
  });
  process.once('SIGTERM', () => process.exit(0));
  process.send!({ url });
}

function startUpstream(): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', UPSTREAM], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ base: `http://127.0.0.1:${d.toString().trim()}/v1`, child }),
    );
  });
}

interface ProxyStats {
  maxLoopDelayMs: number;
  rssMb: number;
  cpuMs: number;
}

interface ProxyProcess {
  url: string;
  stats(): Promise<ProxyStats>;
  child: ChildProcess;
}

/** The proxy in a process of its own: this same file, run with tsx's loader (`process.execArgv`). */
function startProxy(upstreamBase: string): Promise<ProxyProcess> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve-proxy', upstreamBase],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve) => {
    child.once('message', (message: { url: string }) =>
      resolve({
        url: message.url,
        child,
        stats: () =>
          new Promise((done) => {
            child.once('message', (m) => done(m as ProxyStats));
            child.send('stats');
          }),
      }),
    );
  });
}

/** One chunk: when the upstream wrote it (epoch ms), and how long it took to reach the client. */
interface Arrival {
  t: number;
  delay: number;
}

/** Streams one completion and returns each chunk's write time and delay to its arrival. */
async function stream(url: string, chunks: number, gapMs: number): Promise<Arrival[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: `bench-${chunks}-${gapMs}`,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    }),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const delays: Arrival[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const arrived = performance.timeOrigin + performance.now();
    buffer += decoder.decode(read.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(6, end);
      buffer = buffer.slice(end + 2);
      if (event === '[DONE]') continue;
      const { t } = JSON.parse(event) as { t: number };
      delays.push({ t, delay: arrived - t });
    }
  }
  if (delays.length !== chunks) throw new Error(`${delays.length} of ${chunks} chunks arrived`);
  return delays;
}

/** The `p`th percentile of sorted values; NaN when there are none. */
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface LevelResult {
  /** Chunks written while every stream of the level was open (after the last start, before the first end). */
  p50: number;
  p99: number;
  /** Every chunk, those of the ramp (streams still starting: requests arriving) included. */
  allP50: number;
  allP99: number;
  /** How many chunks were written while all the streams were open (none: the starts overran the first end). */
  openChunks: number;
  failed: number;
}

/**
 * `streams` streams, their starts spread over a millisecond per stream (at least one gap), as
 * streams of many users do not start in step.
 */
async function level(url: string, { streams, chunks, gapMs }: Level): Promise<LevelResult> {
  const results = await Promise.allSettled(
    Array.from({ length: streams }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i / streams) * Math.max(gapMs, streams)));
      return stream(url, chunks, gapMs);
    }),
  );
  const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const allOpen = Math.max(...done.map((arrivals) => arrivals[0]!.t));
  const firstEnd = Math.min(...done.map((arrivals) => arrivals.at(-1)!.t));
  const all = done.flat();
  const delays = (list: Arrival[]) => list.map((a) => a.delay).sort((a, b) => a - b);
  const open = delays(all.filter((a) => a.t >= allOpen && a.t <= firstEnd));
  const every = delays(all);
  return {
    p50: percentile(open, 50),
    p99: percentile(open, 99),
    allP50: percentile(every, 50),
    allP99: percentile(every, 99),
    openChunks: open.length,
    failed: results.filter((r) => r.status === 'rejected').length,
  };
}

async function main() {
  const upstream = await startUpstream();
  const proxy = await startProxy(upstream.base);
  const rows: Record<string, string | number>[] = [];
  let worst = { added50: 0, added99: 0 };
  const loops: string[] = [];
  try {
    // Warm both paths (connections, JIT) before measuring.
    const warm: Level = { streams: 20, chunks: 20, gapMs: 5 };
    await level(`${upstream.base}/chat/completions`, warm);
    await level(`${proxy.url}/v1/chat/completions`, warm);
    await proxy.stats();
    for (const config of LEVELS) {
      const rounds: {
        direct: Awaited<ReturnType<typeof level>>;
        proxied: Awaited<ReturnType<typeof level>>;
      }[] = [];
      let maxLoopDelayMs = 0;
      let rssMb = 0;
      let cpuMs = 0;
      let openChunks = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const direct = await level(`${upstream.base}/chat/completions`, config);
        await proxy.stats();
        const proxied = await level(`${proxy.url}/v1/chat/completions`, config);
        const stats = await proxy.stats();
        maxLoopDelayMs = Math.max(maxLoopDelayMs, stats.maxLoopDelayMs);
        rssMb = Math.max(rssMb, stats.rssMb);
        cpuMs += stats.cpuMs;
        openChunks += direct.openChunks + proxied.openChunks;
        rounds.push({ direct, proxied });
      }
      const median = (values: number[]) => {
        const known = values.filter(Number.isFinite).sort((a, b) => a - b);
        return known.length === 0 ? NaN : known[Math.floor(known.length / 2)]!;
      };
      const pick = (side: 'direct' | 'proxied') => ({
        p50: median(rounds.map((r) => r[side].p50)),
        p99: median(rounds.map((r) => r[side].p99)),
        allP50: median(rounds.map((r) => r[side].allP50)),
        allP99: median(rounds.map((r) => r[side].allP99)),
        failed: rounds.reduce((n, r) => n + r[side].failed, 0),
      });
      const direct = pick('direct');
      const proxied = pick('proxied');
      const chunks = ROUNDS * config.streams * config.chunks;
      loops.push(
        `${config.streams} streams: the proxy's CPU ${((cpuMs * 1000) / chunks).toFixed(0)} µs per chunk (requests included), longest event-loop delay ${maxLoopDelayMs.toFixed(1)} ms, RSS ${rssMb.toFixed(0)} MB; ${openChunks} of ${2 * chunks} chunks written while all streams were open`,
      );
      for (const [p, all] of [
        ['p50', 'allP50'],
        ['p99', 'allP99'],
      ] as const) {
        const added = median(rounds.map((r) => r.proxied[p] - r.direct[p]));
        rows.push({
          streams: config.streams,
          '': p,
          'direct (ms)': direct[p].toFixed(3),
          'proxied (ms)': proxied[p].toFixed(3),
          'added (ms)': added.toFixed(3),
          ratio: ratio(proxied[p], direct[p]),
          'ramp incl.: direct / proxied / added (ms)': [
            direct[all].toFixed(2),
            proxied[all].toFixed(2),
            median(rounds.map((r) => r.proxied[all] - r.direct[all])).toFixed(2),
          ].join(' / '),
          failed: `${direct.failed}/${proxied.failed}`,
        });
      }
      if (config.streams === 1_000)
        worst = {
          added50: median(rounds.map((r) => r.proxied.p50 - r.direct.p50)),
          added99: median(rounds.map((r) => r.proxied.p99 - r.direct.p99)),
        };
    }
  } finally {
    proxy.child.kill();
    upstream.child.kill();
  }
  console.log(
    `\nPer-chunk delay, upstream write → client read, direct vs through the proxy (median of ${ROUNDS} alternating rounds;\n` +
      'chunks written while all the streams of a level were open; "ramp incl." counts those written while streams were still starting too):',
  );
  console.table(rows);
  for (const line of loops) console.log(line);
  const met = worst.added50 <= GOAL.p50 && worst.added99 <= GOAL.p99;
  console.log(
    `At 1,000 streams the proxy adds p50 ${worst.added50.toFixed(2)} ms and p99 ${worst.added99.toFixed(2)} ms (goal ≤ ${GOAL.p50} and ≤ ${GOAL.p99} ms): ${met ? 'met' : 'NOT met'}.`,
  );
}

if (process.argv[2] === '--serve-proxy') {
  await serveProxy(process.argv[3]!);
} else {
  await main();
}
