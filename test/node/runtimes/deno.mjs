// parlance/server's web handler on Deno's own server:
// `deno run --allow-net=127.0.0.1 --allow-read deno.mjs ['{"basePath":"/api"}']`.
// The test spawns it with createServer options as JSON; it prints its URL once it listens.
/* global Deno */
import { createServer } from '../../../dist/server/index.js';

const server = createServer({ staticDir: null, ...JSON.parse(Deno.args[0] ?? '{}') });
Deno.serve(
  { port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`) },
  server.fetch,
);
