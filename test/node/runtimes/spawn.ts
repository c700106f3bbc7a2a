/**
 * Starts the built server (dist/server) on Node, Bun or Deno as a child process: each runtime's
 * entry in this folder serves `createServer(options).fetch` with its own server on 127.0.0.1 and
 * prints its URL. Bun and Deno come from the `bun` and `deno` npm packages (node_modules/.bin),
 * never through npx, so nothing is fetched when they are missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const here = path.join(repoRoot, 'test/node/runtimes');
const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);

export type RuntimeName = 'node' | 'bun' | 'deno';

/**
 * How each runtime runs a script; Deno with the least it needs: loopback sockets, reads in the
 * repository, and the environment only where the script reads it (`env`).
 */
const commands: Record<RuntimeName, { command: string; args: (script: string, env: boolean) => string[] }> = {
  node: { command: process.execPath, args: (script) => [script] },
  bun: { command: bin('bun'), args: (script) => ['--no-install', script] },
  deno: {
    command: bin('deno'),
    args: (script, env) => [
      'run',
      '--no-prompt',
      '--no-lock',
      '--allow-net=127.0.0.1',
      `--allow-read=${repoRoot}`,
      ...(env ? ['--allow-env'] : []),
      script,
    ],
  },
};

/**
 * No update checks, no telemetry: these runs must not reach for the network. No server settings
 * from the outer environment either (an `OPENAI_API_KEY` there would turn the command into a proxy).
 */
const quietEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(OPENAI_|PARLANCE_|PORT$|HOST$)/.test(name)),
  ),
  DENO_NO_UPDATE_CHECK: '1',
  DO_NOT_TRACK: '1',
  NO_COLOR: '1',
};

/** `bun --version` / `deno --version`, or an error saying why the runtime cannot run here. */
export function runtimeVersion(name: RuntimeName): string {
  if (name === 'node') return process.version;
  const { command } = commands[name];
  if (!existsSync(command))
    throw new Error(`${command} is missing: npm ci installs the ${name} package (a devDependency).`);
  const result = spawnSync(command, ['--version'], { env: quietEnv, encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0)
    throw new Error(
      `${name} --version failed (status ${result.status}, ${result.error?.message ?? ''}): ${result.stderr}`,
    );
  return result.stdout.split('\n')[0]!.trim();
}

export interface RunningServer {
  /** Such as `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Ends the process (SIGTERM, then SIGKILL after 3 s) and waits for it. */
  stop(): Promise<void>;
}

/** Spawns `name`'s entry with `createServer` options (JSON); resolves once it printed its URL. */
export function startServer(
  name: RuntimeName,
  options: Record<string, unknown> = {},
): Promise<RunningServer> {
  return start(name, path.join(here, `${name}.mjs`), [JSON.stringify(options)], false);
}

/** Spawns the package's command (dist/server/cli.js, Node's listener) on `name`, on a free port. */
export function startCli(name: RuntimeName): Promise<RunningServer> {
  return start(name, path.join(repoRoot, 'dist/server/cli.js'), ['--port', '0'], true);
}

function start(
  name: RuntimeName,
  script: string,
  scriptArgs: string[],
  env: boolean,
  timeoutMs = 30_000,
): Promise<RunningServer> {
  const { command, args } = commands[name];
  const child = spawn(command, [...args(script, env), ...scriptArgs], {
    cwd: repoRoot,
    env: { ...quietEnv, PARLANCE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (stderr += text));
  // 'error' without 'exit' when the binary could not be spawned at all.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const stop = () => kill(child, exited);
  running.add(stop);
  void exited.then(() => running.delete(stop));

  return new Promise<RunningServer>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop();
      reject(
        new Error(`${name} ${path.relative(repoRoot, script)}: ${why}\nstderr:\n${stderr.slice(-4000)}`),
      );
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited (code ${code}, signal ${signal}) before listening`));
    child.stdout!.on('data', (text: string) => {
      stdout += text;
      // The entries print the URL alone; the command, `Parlance server on <url>`.
      const url = /(?:^| )(http:\/\/127\.0\.0\.1:\d+)\s*$/m.exec(stdout)?.[1];
      if (!url) return;
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ url, stderr: () => stderr, stop });
    });
  });
}

/** Every process started here and still running. */
const running = new Set<() => Promise<void>>();

/** Stops every process this module started (those whose start failed halfway too). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
