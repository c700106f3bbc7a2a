// The reference server's proxy against a direct connection to the same upstream, on 127.0.0.1:
// 1. added latency per SSE chunk (p50/p99), timestamped by the upstream when it writes each chunk;
// 2. 1,000 concurrent SSE streams held open and completed, with the wall time and memory it took.
// The fake upstream runs in its own process so the proxy does not share its event loop.
// Run: npx tsx bench/browser/server-proxy.ts
import { spawn } from 'node:child_process';

import { createServer } from '../../src/server/index';
import { ratio } from '../support/chromium';

const CHUNKS = 40;
const CHUNK_GAP_MS = 5;
const LATENCY_STREAMS = 25;
const CONCURRENT = 1_000;
const HOLD_CHUNKS = 5;
const HOLD_GAP_MS = 200;

const UPSTREAM = `
import http from 'node:http';
const now = () => performance.timeOrigin + performance.now();
const server = http.createServer((req, res) => {
  // The body's model says how to stream ("hold-<chunks>-<gap>"): the proxy forwards the body only.
  let text = '';
  req.on('data', (d) => (text += d));
  req.on('end', () => {
    const hold = /^hold-(\\d+)-(\\d+)$/.exec(JSON.parse(text).model);
    const chunks = hold ? Number(hold[1]) : ${CHUNKS};
    const gap = hold ? Number(hold[2]) : ${CHUNK_GAP_MS};
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const tick = () => {
      if (res.destroyed) return;
      if (i === chunks) { res.end('data: [DONE]\\n\\n'); return; }
      i++;
      res.write('data: ' + JSON.stringify({ object: 'chat.completion.chunk', t: now(), choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] }) + '\\n\\n');
      setTimeout(tick, gap);
    };
    tick();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function startUpstream(): Promise<{ base: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', UPSTREAM], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    child.stdout.once('data', (d: Buffer) =>
      resolve({ base: `http://127.0.0.1:${d.toString().trim()}/v1`, stop: () => child.kill() }),
    );
  });
}

const request = (model: string) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream: true });

/** Streams one completion and returns each chunk's delay from the upstream's write to its arrival. */
async function stream(url: string, model = 'gpt-4o-mini'): Promise<number[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request(model),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const delays: number[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const bytes = read.value;
    const arrived = performance.timeOrigin + performance.now();
    buffer += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(6, end);
      buffer = buffer.slice(end + 2);
      if (event !== '[DONE]') delays.push(arrived - (JSON.parse(event) as { t: number }).t);
    }
  }
  return delays;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function latency(url: string): Promise<number[]> {
  await stream(url); // warm the connection and the JIT
  const all: number[] = [];
  for (let i = 0; i < LATENCY_STREAMS; i++) all.push(...(await stream(url)));
  return all;
}

async function concurrent(url: string): Promise<{ ms: number; ok: number; chunks: number; rssMb: number }> {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: CONCURRENT }, () => stream(url, `hold-${HOLD_CHUNKS}-${HOLD_GAP_MS}`)),
  );
  const failure = results.find((r) => r.status === 'rejected');
  if (failure)
    console.log(
      `(first failure: ${String((failure as PromiseRejectedResult).reason?.cause ?? (failure as PromiseRejectedResult).reason)})`,
    );
  const ms = performance.now() - started;
  clearInterval(sampler);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const chunks = ok.reduce((n, r) => n + (r as PromiseFulfilledResult<number[]>).value.length, 0);
  return { ms, ok: ok.length, chunks, rssMb: (peak - rssBefore) / 1024 / 1024 };
}

const upstream = await startUpstream();
const server = createServer({
  upstream: { baseUrl: upstream.base, apiKey: 'sk-bench' },
  staticDir: null,
  rateLimits: false,
});
const proxy = await server.listen({ port: 0, host: '127.0.0.1' });

try {
  const direct = await latency(`${upstream.base}/chat/completions`);
  const proxied = await latency(`${proxy.url}/v1/chat/completions`);
  console.log(`\nPer-chunk latency, upstream write → client read (${direct.length} chunks each, ms):`);
  console.table(
    ['p50', 'p99'].map((label) => {
      const p = label === 'p50' ? 50 : 99;
      const [d, x] = [percentile(direct, p), percentile(proxied, p)];
      return {
        '': label,
        direct: d.toFixed(3),
        'parlance proxy': x.toFixed(3),
        added: (x - d).toFixed(3),
        ratio: ratio(x, d),
      };
    }),
  );

  const d = await concurrent(`${upstream.base}/chat/completions`);
  const p = await concurrent(`${proxy.url}/v1/chat/completions`);
  console.log(
    `\n${CONCURRENT} concurrent SSE streams, each ${HOLD_CHUNKS} chunks ${HOLD_GAP_MS} ms apart (held ≥ ${(HOLD_CHUNKS * HOLD_GAP_MS) / 1000} s):`,
  );
  console.table([
    {
      '': 'completed',
      direct: `${d.ok}/${CONCURRENT}`,
      'parlance proxy': `${p.ok}/${CONCURRENT}`,
      ratio: ratio(p.ok, d.ok),
    },
    { '': 'chunks received', direct: d.chunks, 'parlance proxy': p.chunks, ratio: ratio(p.chunks, d.chunks) },
    {
      '': 'wall time (ms)',
      direct: d.ms.toFixed(0),
      'parlance proxy': p.ms.toFixed(0),
      ratio: ratio(p.ms, d.ms),
    },
    {
      '': 'client-side peak RSS growth (MB)',
      direct: d.rssMb.toFixed(1),
      'parlance proxy': p.rssMb.toFixed(1),
      ratio: '(proxy in-process)',
    },
  ]);
} finally {
  await proxy.close();
  upstream.stop();
}
