// The server side of bench/node/server-abuse.ts: the offline server in its own process, so that
// the figures are the server's alone (the bench's clients run in the parent). It listens on
// 127.0.0.1, serves `process.argv[2]` as its static folder, and over IPC measures its own event
// loop and RSS between a `start` and a `stop`.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

import { createServer } from '../../src/server/index';

type Message = { type: 'start' } | { type: 'stop' } | { type: 'exit' };

const send = (message: object) => process.send!(message);
const server = createServer({ staticDir: process.argv[2] ?? null, chunkDelayMs: 0, rateLimits: false });
const listening = await server.listen({ port: 0, host: '127.0.0.1' });

let histogram: IntervalHistogram | undefined;
let sampler: ReturnType<typeof setInterval> | undefined;
let before = 0;
let peak = 0;
const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'start') {
      before = peak = process.memoryUsage.rss();
      sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
      histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      // The histogram records a delay from its second tick on.
      await tick();
      send({ type: 'started' });
    } else if (message.type === 'stop') {
      // A block is recorded when the next timer fires late: let it fire.
      await tick();
      peak = Math.max(peak, process.memoryUsage.rss());
      histogram!.disable();
      clearInterval(sampler);
      send({
        type: 'figures',
        blockMs: Math.max(0, histogram!.max / 1e6 - 10),
        rssGrowthMb: (peak - before) / 1024 / 1024,
      });
    } else {
      await listening.close();
      process.exit(0);
    }
  })();
});

send({ type: 'listening', url: listening.url });
