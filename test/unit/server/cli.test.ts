// parlance-server's command line: --help, --port and --host over PORT and HOST, usage errors with
// exit code 2, and a start that names the API and advertises the playground only when it is built.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, test } from 'vitest';

import { parseCommandLine, USAGE } from '../../../src/server/cli-options';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'src/server/cli.ts');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');

describe('parseCommandLine', () => {
  test.each([['--help'], ['-h'], ['--port', '3001', '--help']])('%s asks for the usage', (...args) => {
    expect(parseCommandLine(args, {})).toEqual({ kind: 'help' });
  });

  test('defaults: 127.0.0.1:8787', () => {
    expect(parseCommandLine([], {})).toEqual({ kind: 'serve', port: 8787, host: '127.0.0.1' });
  });

  test('PORT and HOST set them; --port, -p and --host win over them', () => {
    const env = { PORT: '9000', HOST: '0.0.0.0' };
    expect(parseCommandLine([], env)).toEqual({ kind: 'serve', port: 9000, host: '0.0.0.0' });
    expect(parseCommandLine(['--port', '3001', '--host', '::1'], env)).toEqual({
      kind: 'serve',
      port: 3001,
      host: '::1',
    });
    expect(parseCommandLine(['-p', '0'], env)).toEqual({ kind: 'serve', port: 0, host: '0.0.0.0' });
    expect(parseCommandLine(['--port=4000'], { PORT: '', HOST: '' })).toEqual({
      kind: 'serve',
      port: 4000,
      host: '127.0.0.1',
    });
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['-x'], /Unknown option '-x'/],
    [['serve'], /positional argument/],
    [['--port'], /--port/],
    [['--port', 'abc'], /--port must be a port number from 0 to 65535, not "abc"/],
    [['--port', '65536'], /--port must be a port number/],
    [['--port', '-1'], /--port/],
    [['--port', '80.5'], /--port must be a port number/],
    [['--host', ' '], /--host must name an interface/],
    [['--help=yes'], /--help/],
  ])('%j is a usage error', (args, message) => {
    const result = parseCommandLine(args, {});
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(message);
  });

  test('an unusable PORT is a usage error that names PORT', () => {
    const result = parseCommandLine([], { PORT: 'http' });
    expect(result).toEqual({
      kind: 'error',
      message: 'PORT must be a port number from 0 to 65535, not "http"',
    });
  });
});

/** Runs the CLI from source; resolves when it exits or, with `until`, once stdout matches. */
function run(
  args: string[],
  env: Record<string, string> = {},
  until?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, cli, ...args], {
      cwd: root,
      env: { ...process.env, PORT: '', HOST: '', PARLANCE_QUIET: '1', OPENAI_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not finish: ${stdout}${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the parlance-server process', () => {
  test('--help prints the usage and exits 0', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
    expect(stdout).toContain('--port <port>');
    expect(stdout).toContain('PARLANCE_ALLOWED_ORIGINS');
    expect(stderr).toBe('');
  });

  test('an unknown flag prints the error and the usage on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run(['--verbose']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^parlance-server: Unknown option '--verbose'/);
    expect(stderr).toContain(USAGE);
  });

  test('--port and --host win over PORT and HOST; the start names the API and how to try it', async () => {
    const { stdout } = await run(
      ['--port', '0', '--host', '127.0.0.1'],
      { PORT: '1', HOST: '192.0.2.1' },
      /^Mode: /m,
    );
    const url = /^Parlance server on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(url).not.toMatch(/:1$/);
    expect(stdout).toContain(`API:        ${url}/v1`);
    expect(stdout).toMatch(/^Mode: offline/m);
    // The playground is advertised only when it is built (the package does not ship it).
    if (existsSync(path.join(root, '.playground/index.html'))) {
      expect(stdout).toContain(`Playground: ${url}/`);
    } else {
      expect(stdout).not.toContain('Playground');
      expect(stdout).toContain(`Try it:     curl ${url}/v1/chat/completions`);
    }
  });
});

describe('the playground is advertised only where it is', () => {
  test('playground is true only for a staticDir with an index.html, and / serves it', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { createServer } = await import('../../../src/server/index');
    const dir = await mkdtemp(path.join(tmpdir(), 'parlance-static-'));
    try {
      const empty = createServer({ staticDir: dir, documents: [] });
      expect(empty.playground).toBe(false);
      const page = await (await empty.fetch(new Request('http://127.0.0.1:8787/'))).text();
      expect(page).toContain('curl http://127.0.0.1:8787/v1/chat/completions');

      await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Playground</title>');
      const built = createServer({ staticDir: dir, documents: [] });
      expect(built.playground).toBe(true);
      expect(await (await built.fetch(new Request('http://127.0.0.1:8787/'))).text()).toContain(
        '<title>Playground</title>',
      );
      expect(createServer({ staticDir: null, documents: [] }).playground).toBe(false);
      expect(
        (await createServer({ staticDir: null, documents: [] }).fetch(new Request('http://127.0.0.1:8787/')))
          .status,
      ).toBe(404);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
