// parlance/server's web handler on Bun's own server: `bun bun.mjs ['{"basePath":"/api"}']`.
// The test spawns it with createServer options as JSON; it prints its URL once it listens.
/* global Bun */
import { createServer } from '../../../dist/server/index.js';

const server = createServer({ staticDir: null, ...JSON.parse(Bun.argv[2] ?? '{}') });
const listener = Bun.serve({ port: 0, hostname: '127.0.0.1', idleTimeout: 75, fetch: server.fetch });
console.log(listener.url.origin);
