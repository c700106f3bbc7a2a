#!/usr/bin/env node
// parlance-server: starts the reference server from the command line and the environment, and
// prints where the API is and how to try it.
import { preloadTokenizer } from '../core/tokens/count';
import { parseCommandLine, USAGE, withUpstreamFlags } from './cli-options';
import { describeMode, optionsFromEnv } from './env';
import { createServer, curlExample } from './node';

const command = parseCommandLine(process.argv.slice(2), process.env);
if (command.kind === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (command.kind === 'error') {
  process.stderr.write(`parlance-server: ${command.message}\n\n${USAGE}`);
  process.exit(2);
}

const { port, host } = command;
const quiet = process.env.PARLANCE_QUIET === '1';
let options: ReturnType<typeof optionsFromEnv>;
let server: ReturnType<typeof createServer>;
try {
  options = withUpstreamFlags(optionsFromEnv(process.env), command);
  server = createServer({ ...options, log: quiet ? undefined : (line) => console.log(line) });
} catch (error) {
  // A setting it cannot use (PARLANCE_REDIS_URL, PARLANCE_TRUST_PROXY, …): say which, no stack.
  process.stderr.write(`parlance-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

// Everything the server would load on demand is loaded before it listens, so that replacing the
// files it runs from (a new build of the package) cannot break a running server. The token
// counters of offline usage, one per encoding, and the Redis client are the only modules loaded
// on demand. Asking the store once also tells the operator now whether Redis can be reached.
if (server.mode === 'offline') {
  await Promise.all([preloadTokenizer('gpt-4'), preloadTokenizer('gpt-4o')]).catch(() => undefined);
}
if (options.store) {
  await options.store.count('startup').catch((error: unknown) => {
    console.warn(
      `Warning: ${error instanceof Error ? error.message : String(error)}. Requests get a 503 until it can be reached.`,
    );
  });
}

try {
  const { url, close } = await server.listen({ port, host });
  console.log(`Parlance server on ${url}`);
  console.log(`  API:        ${url}/v1`);
  if (server.playground) console.log(`  Playground: ${url}/`);
  else console.log(`  Try it:     ${curlExample(`${url}/v1`, server.mode)}`);
  console.log(`Mode: ${describeMode(options)}`);
  const stop = () => {
    void close()
      .then(() => options.store?.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(
    `Could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
