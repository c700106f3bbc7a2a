// A Node ESM service using parlance/core and parlance/server, with no React installed.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { assertSucceeded, installFixture, type Fixture } from './support/fixture';
import { describeFailure, run } from './support/process';

let app: Fixture;

beforeAll(async () => {
  app = await installFixture('node-esm', inject('parlanceTarball'));
});

afterAll(async () => {
  await app?.remove();
});

test('installs without React', async () => {
  assertSucceeded('npm install', app.install);
  expect(existsSync(path.join(app.dir, 'node_modules/parlance/dist/core/index.js'))).toBe(true);
  const installed = ['react', 'react-dom', '@tanstack/react-query'].filter((peer) =>
    existsSync(path.join(app.dir, 'node_modules', peer)),
  );
  // npm explain names what pulled each one in (an optional peer of parlance is not installed, but
  // a required peer of one of its dependencies is).
  const why = await Promise.all(
    installed.map(async (name) => (await app.run('npm', ['explain', name])).stdout.trim()),
  );
  expect(installed, `a Node-only app installed React:\n${why.join('\n\n')}`).toEqual([]);
});

test('streams a chat completion from the reference server and counts tokens', async () => {
  const result = await app.run('node', ['main.js']);
  expect(result.code, describeFailure('node main.js', result)).toBe(0);
  const output = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
    chunks: number;
    text: string;
    tokens: number;
    legacyTokens: number;
    chatTokens: number;
  };
  expect(output.chunks).toBeGreaterThan(2);
  expect(output.text.length).toBeGreaterThan(20);
  // "Hello", ",", " world", "!" in both o200k_base and cl100k_base.
  expect(output.tokens).toBe(4);
  expect(output.legacyTokens).toBe(4);
  expect(output.chatTokens).toBeGreaterThan(output.tokens);
  expect(result.stderr, 'nothing printed to stderr').toBe('');
});

test('the installed parlance-server prints its usage for --help and exits', async () => {
  const result = await run('node_modules/.bin/parlance-server', ['--help'], {
    cwd: app.dir,
    // Ignoring --help would start a server that never exits.
    timeoutMs: 15_000,
  });
  expect(result.code, describeFailure('parlance-server --help', result)).toBe(0);
  expect(result.stdout).toMatch(/--port/);
  expect(result.stdout).toMatch(/--host/);
});
