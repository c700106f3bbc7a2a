// parlance/core must load in plain Node with React absent and without touching the DOM.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test, vi } from 'vitest';

vi.mock('react', () => {
  throw new Error('React imported by parlance/core');
});
vi.mock('react-dom', () => {
  throw new Error('react-dom imported by parlance/core');
});
vi.mock('@tanstack/react-query', () => {
  throw new Error('@tanstack/react-query imported by parlance/core');
});

test('imports without React, window or document', async () => {
  const touched: string[] = [];
  for (const name of ['window', 'document', 'navigator', 'localStorage'] as const) {
    const had = Object.getOwnPropertyDescriptor(globalThis, name);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return had?.get ? had.get.call(globalThis) : had?.value;
      },
    });
  }
  try {
    const core = await import('parlance/core');
    expect(typeof core.createClient).toBe('function');
    expect(typeof core.ApiError.isInstance).toBe('function');
    core.createClient({ baseUrl: 'http://127.0.0.1:1/v1' });
  } finally {
    for (const name of ['window', 'document', 'navigator', 'localStorage'])
      delete (globalThis as Record<string, unknown>)[name];
  }
  expect(touched).toEqual([]);
  expect(typeof (globalThis as Record<string, unknown>).window).toBe('undefined');
});

test('the static import graph of parlance/core stays in src/core and reaches no React or Node built-in', () => {
  const forbidden = /^(react|react-dom|scheduler)(\/|$)|^@tanstack\/|^node:|^parlance$/;
  const root = path.resolve(fileURLToPath(import.meta.url), '../../../src/core');
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
      if (!spec!.startsWith('.')) external.add(spec!);
      else {
        const target = resolveTs(path.resolve(path.dirname(file), spec!));
        if (!target.startsWith(root)) external.add(path.relative(root, target));
        visit(target);
      }
    }
  };
  visit(path.join(root, 'index.ts'));
  expect(seen.size).toBeGreaterThan(10);
  expect([...external].filter((spec) => forbidden.test(spec) || spec.startsWith('..'))).toEqual([]);
  expect(external).toContain('eventsource-parser/stream');
});

function resolveTs(base: string): string {
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')])
    if (fs.existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${base}`);
}
