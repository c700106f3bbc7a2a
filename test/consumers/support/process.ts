// Child processes for the consumer suite: commands run to completion with their output kept for
// failure messages, and long-lived servers started in their own process group so that the whole
// group (npm, next, vite and their children) is stopped at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The environment of a fresh terminal: without Vitest's `NODE_ENV=test` and `VITEST*` flags and
 * without the `npm_*` variables of the `npm test` that runs this suite (npm would read them as
 * its own configuration, e.g. the repository's prefix); and without API keys, so that reference
 * servers run offline.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|VITE_|NEXT_|__NEXT|OPENAI_|PARLANCE_)/i.test(key)) continue;
    if (['NODE_ENV', 'TEST', 'INIT_CWD', 'NODE_OPTIONS', 'FORCE_COLOR'].includes(key)) continue;
    env[key] = value;
  }
  // npm run puts the repository's node_modules/.bin first on PATH: an app uses its own.
  env.PATH = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((entry) => !entry.includes(`node_modules${path.sep}.bin`))
    .join(path.delimiter);
  return { ...env, NO_COLOR: '1', NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time, in ms. */
  ms: number;
}

/** The last `lines` lines of a command's output, for an assertion message. */
export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a command to completion (killing its process group after `timeoutMs`). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs ?? 300_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/**
 * The start and the end of a long output (a bundler names the failing module first and then
 * prints a long import trace), or all of it when short.
 */
function excerpt(text: string, head = 25, tailLines = 35): string {
  const lines = text.trimEnd().split('\n');
  if (lines.length <= head + tailLines) return lines.join('\n');
  return [
    ...lines.slice(0, head),
    `[… ${lines.length - head - tailLines} lines …]`,
    ...lines.slice(-tailLines),
  ].join('\n');
}

/** A failure message with the command and the start and end of its output. */
export function describeFailure(what: string, result: RunResult): string {
  return `${what} failed (exit ${result.code}, ${result.ms} ms)\n--- stdout ---\n${excerpt(result.stdout)}\n--- stderr ---\n${excerpt(result.stderr)}`;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export interface Started {
  /** The first match of `ready` in the output. */
  match: RegExpMatchArray;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after 5 s. */
  stop: () => Promise<void>;
}

/** Starts a long-lived process and resolves once its output matches `ready`. */
export function start(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; ready: RegExp; timeoutMs?: number },
): Promise<Started> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(
          `${command} ${args.join(' ')} did not print ${options.ready} within ${options.timeoutMs ?? 60_000} ms:\n${tail(output)}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: string) => {
      output += chunk;
      const match = output.match(options.ready);
      if (match) {
        clearTimeout(timer);
        resolve({ match, output: () => output, stop });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready:\n${tail(output)}`),
      );
    });
  });
}
