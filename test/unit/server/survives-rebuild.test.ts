// A running parlance-server keeps answering when the files it was started from disappear, as
// dist/ does under `npm start` while `npm run build` empties it: the CLI loads every module it
// would load on demand (the token counters of both encodings) before it listens. Runs the built
// CLI (run `npm run build` first; npm test does) from a copy of dist/, then deletes the copy.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let child: ChildProcess | undefined;
let copy: string | undefined;

afterAll(async () => {
  child?.kill('SIGTERM');
  if (copy) await rm(copy, { recursive: true, force: true });
});

test('chat in both encodings and images still work after dist/ is deleted under the server', async () => {
  expect(existsSync(path.join(root, 'dist/server/cli.js')), 'dist/ is missing: run npm run build').toBe(true);
  copy = await mkdtemp(path.join(tmpdir(), 'parlance-rebuild-'));
  await cp(path.join(root, 'dist'), path.join(copy, 'dist'), {
    recursive: true,
    filter: (source) => !source.endsWith('.map') && !source.endsWith('.d.ts'),
  });
  await writeFile(path.join(copy, 'package.json'), '{"type":"module"}');
  await symlink(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');

  const server = spawn(process.execPath, [path.join(copy, 'dist/server/cli.js'), '--port', '0'], {
    env: {
      ...process.env,
      PORT: '',
      HOST: '',
      PARLANCE_QUIET: '1',
      OPENAI_API_KEY: '',
      PARLANCE_UPSTREAM_URL: '',
    },
  });
  child = server;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /^Parlance server on (http:\/\/\S+)$/m.exec(out);
      if (found && /^Mode: /m.test(out)) resolve(found[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });

  await rm(path.join(copy, 'dist'), { recursive: true, force: true });
  expect(existsSync(path.join(copy, 'dist'))).toBe(false);

  for (const model of ['gpt-4', 'gpt-4o', 'gpt-3.5-turbo']) {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'How do I count tokens?' }] }),
    });
    expect(response.status, model).toBe(200);
    const body = (await response.json()) as { usage: { prompt_tokens: number } };
    expect(body.usage.prompt_tokens, model).toBeGreaterThan(5);
  }
  const image = await fetch(`${url}/v1/images/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'a lighthouse', size: '256x256', response_format: 'b64_json' }),
  });
  expect(image.status).toBe(200);
}, 60_000);
