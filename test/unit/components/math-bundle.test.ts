import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type Manifest } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// Temml's own error text: present in any chunk that carries the math renderer.
const TEMML = /Temml can only parse string typed expression/;

let dir: string;
let files: Map<string, string>;
let manifest: Manifest;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parlance-math-bundle-'));
  writeFileSync(
    path.join(dir, 'main.ts'),
    `import { Markdown } from ${JSON.stringify(path.join(repo, 'src/components/markdown/markdown.tsx'))};\n` +
      `export const component = Markdown;\n`,
  );
  await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    build: {
      outDir: path.join(dir, 'dist'),
      manifest: true,
      minify: true,
      modulePreload: false,
      rolldownOptions: {
        input: path.join(dir, 'main.ts'),
        external: (id) => /^(react|react-dom)(\/|$)/.test(id),
        preserveEntrySignatures: 'exports-only',
      },
    },
  });
  const out = path.join(dir, 'dist');
  files = new Map();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(out, full), readFileSync(full, 'utf8'));
    }
  };
  walk(out);
  manifest = JSON.parse(files.get('.vite/manifest.json')!) as Manifest;
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function initialChunks(): string[] {
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]!.imports ?? []) visit(dep);
  };
  visit(entry);
  return [...seen].map((k) => manifest[k]!.file);
}

describe('bundle of an app rendering markdown', () => {
  it('loads the math renderer only through a dynamic import, never in its initial chunks', () => {
    const initial = initialChunks();
    expect(initial.length).toBeGreaterThan(0);
    for (const file of initial) expect(TEMML.test(files.get(file)!), `${file} carries Temml`).toBe(false);
    const lazy = [...files]
      .filter(([name, code]) => name.endsWith('.js') && TEMML.test(code))
      .map(([n]) => n);
    expect(lazy).toHaveLength(1);
    expect(initial).not.toContain(lazy[0]);
  });
});
