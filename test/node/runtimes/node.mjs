// The reference: the same built server on Node's listener, `node node.mjs ['{"basePath":"/api"}']`.
import { createServer } from '../../../dist/server/index.js';

const server = createServer({ staticDir: null, ...JSON.parse(process.argv[2] ?? '{}') });
const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
console.log(url);
