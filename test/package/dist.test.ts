// Imports every public subpath from the built dist (run `npm run build` first; npm test does),
// and checks its runtime exports and its declarations (dist/*.d.ts) against the reviewed files in
// api-surface/: a change to a name or to a type fails here until `npm run api-surface` records it.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, test } from 'vitest';

import entries from '../../api-surface/entries.json';
import { declarations } from '../../scripts/api-surface-lib.mjs';

describe.each(Object.entries(entries))('%s from dist', (name, file) => {
  test('loads, and exports exactly the reviewed surface', async () => {
    const path = resolve(file);
    expect(existsSync(path), `${file} is missing: run npm run build`).toBe(true);
    const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const expected = readFileSync(`api-surface/${name}.txt`, 'utf8').trim().split('\n');
    expect(Object.keys(mod).sort(), 'the public surface changed: run npm run api-surface').toEqual(expected);
  });

  test('declares exactly the reviewed types', () => {
    const dts = resolve(file.replace(/\.js$/, '.d.ts'));
    expect(existsSync(dts), `${dts} is missing: run npm run build`).toBe(true);
    const expected = readFileSync(`api-surface/${name}.d.txt`, 'utf8');
    expect(declarations(dts), 'a public type changed: run npm run api-surface').toBe(expected);
  });
});

test('the stylesheet is built', () => {
  expect(readFileSync('dist/styles.css', 'utf8')).toContain('--parlance-');
});
