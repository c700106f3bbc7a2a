#!/usr/bin/env node
// parlance-server: starts the reference server from the environment and prints its URL and mode.
import { describeMode, optionsFromEnv } from './env';
import { createServer } from './node';

const options = optionsFromEnv(process.env);
const port = process.env.PORT === undefined ? 8787 : Number(process.env.PORT);
const host = process.env.HOST || '127.0.0.1';
const quiet = process.env.PARLANCE_QUIET === '1';
const server = createServer({ ...options, log: quiet ? undefined : (line) => console.log(line) });

try {
  const { url, close } = await server.listen({ port, host });
  console.log(`Parlance server on ${url}  (playground at ${url}/, API at ${url}/v1)`);
  console.log(`Mode: ${describeMode(options)}`);
  const stop = () => {
    void close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(
    `Could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
