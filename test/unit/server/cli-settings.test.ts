// parlance-server with the settings of hosts, proxies and Redis: a value it cannot use stops it
// with a one-line message and exit code 2; a Redis it cannot reach is reported at start, and the
// server starts all the same (its requests get 503s until Redis is back).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, test } from 'vitest';

import { USAGE } from '../../../src/server/cli-options';
import { rawChat } from './http';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'src/server/cli.ts');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');

/** Runs the CLI from source on a free port; with `until`, calls it once stdout matches, then stops the CLI. */
function run(
  env: Record<string, string>,
  until?: (stdout: string) => Promise<void> | undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, cli, '--port', '0', '--host', '127.0.0.1'], {
      cwd: root,
      env: { ...process.env, PORT: '', HOST: '', PARLANCE_QUIET: '1', OPENAI_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let checking: Promise<void> | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not finish: ${stdout}${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until && !checking && /^Mode: /m.test(stdout)) {
        checking = Promise.resolve(until(stdout)).finally(() => child.kill('SIGTERM'));
        checking.catch(() => undefined);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      void (checking ?? Promise.resolve()).then(() => resolve({ code, stdout, stderr }), reject);
    });
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('parlance-server settings', () => {
  test.each([
    ['PARLANCE_TRUST_PROXY', 'proxy.example', /trustProxy \(PARLANCE_TRUST_PROXY\)/],
    ['PARLANCE_ALLOWED_HOSTS', 'https://chat.example.com/', /PARLANCE_ALLOWED_HOSTS/],
    ['PARLANCE_REDIS_URL', 'http://127.0.0.1:6379', /PARLANCE_REDIS_URL/],
  ])('%s=%s stops it with a one-line message and exit code 2', async (name, value, message) => {
    const { code, stdout, stderr } = await run({ [name]: value });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^parlance-server: /);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a Redis it cannot reach is reported at start; the server answers 503 and stays up', async () => {
    const port = await closedPort();
    let status = 0;
    const { stdout, stderr } = await run({ PARLANCE_REDIS_URL: `redis://127.0.0.1:${port}` }, async (out) => {
      const url = /^Parlance server on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)![1]!;
      status = (await rawChat(url)).status;
    });
    expect(stdout).toMatch(/^Mode: offline/m);
    expect(stderr).toContain(`redis://127.0.0.1:${port}`);
    expect(stderr).toMatch(/Warning: .*503/);
    expect(status).toBe(503);
  });

  test('the usage names each setting', () => {
    for (const name of ['PARLANCE_ALLOWED_HOSTS', 'PARLANCE_TRUST_PROXY', 'PARLANCE_REDIS_URL']) {
      expect(USAGE).toContain(name);
    }
  });
});
