// A fixture app copied out of the repository (so Node resolution never finds the repository's
// node_modules) and installed from the packed tarball, as a developer's app would be.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describeFailure, repoRoot, run, start, type RunResult, type Started } from './process';

export interface Fixture {
  /** The app's directory, under the OS temp directory. */
  dir: string;
  /** `npm install`'s result (exit code, output, time). */
  install: RunResult;
  /** Runs a command in the app's directory. */
  run: (command: string, args: readonly string[], env?: Record<string, string>) => Promise<RunResult>;
  /** Removes the app's directory. */
  remove: () => Promise<void>;
}

/**
 * Copies `test/consumers/fixtures/<name>` to a temporary directory, points its `parlance`
 * dependency at the tarball and runs `npm install` there. Every other dependency is pinned to an
 * exact version in the fixture's own package.json. A `base` fixture's files are copied first (apps
 * that differ only in their dependencies share it).
 */
export async function installFixture(
  name: string,
  tarball: string,
  options: { base?: string } = {},
): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), `parlance-consumer-${name}-`));
  const fixtures = path.join(repoRoot, 'test/consumers/fixtures');
  if (options.base) await cp(path.join(fixtures, options.base), dir, { recursive: true });
  await cp(path.join(fixtures, name), dir, { recursive: true });
  const manifestPath = path.join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  manifest.dependencies = { ...manifest.dependencies, parlance: `file:${tarball}` };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    { cwd: dir, timeoutMs: 300_000 },
  );
  console.log(`consumers/${name}: npm install ${install.ms} ms (exit ${install.code})`);
  return {
    dir,
    install,
    run: (command, args, env) => run(command, args, { cwd: dir, env, timeoutMs: 300_000 }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Throws with the command's output tail unless it exited 0. */
export function assertSucceeded(what: string, result: RunResult): void {
  if (result.code !== 0) throw new Error(describeFailure(what, result));
}

/** A TCP port free on 127.0.0.1 right now (for servers that take no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ReferenceServer {
  /** e.g. `http://127.0.0.1:41234` (the API is under `/v1`). */
  origin: string;
  process: Started;
}

/**
 * The reference server from the installed package's bin, offline (no key), on a free loopback
 * port, as `npx parlance-server` would start it.
 */
export async function startReferenceServer(fixture: Fixture): Promise<ReferenceServer> {
  const port = await freePort();
  const started = await start(
    path.join(fixture.dir, 'node_modules/.bin/parlance-server'),
    ['--port', String(port), '--host', '127.0.0.1'],
    {
      cwd: fixture.dir,
      // Before the CLI took flags it read these; either way it listens where asked.
      env: { PORT: String(port), HOST: '127.0.0.1' },
      ready: /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)/,
      timeoutMs: 30_000,
    },
  );
  return { origin: `http://127.0.0.1:${started.match[1]}`, process: started };
}
