/**
 * Builds a tiny app whose entry is `entry` (module source) with Vite, minified, the given peers
 * left external, and reads what came out: every file's text, and the initial chunks (the entry
 * and every chunk it imports statically: what loads before any lazy import). Node only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { build, type Manifest } from 'vite';

export interface AppBundle {
  /** Every output file's text, by path relative to the output folder. */
  files: Map<string, string>;
  /** The entry chunk and the chunks it imports statically. */
  initialChunks(): string[];
  /** Removes the build's folder. */
  remove(): void;
}

export async function buildApp(entry: string, external: RegExp): Promise<AppBundle> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parlance-app-bundle-'));
  writeFileSync(path.join(dir, 'main.ts'), entry);
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
        external: (id) => external.test(id),
        preserveEntrySignatures: 'exports-only',
      },
    },
  });
  const out = path.join(dir, 'dist');
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(out, full), readFileSync(full, 'utf8'));
    }
  };
  walk(out);
  const manifest = JSON.parse(files.get('.vite/manifest.json')!) as Manifest;
  return {
    files,
    initialChunks() {
      const start = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
      const seen = new Set<string>();
      const visit = (key: string) => {
        if (seen.has(key)) return;
        seen.add(key);
        for (const dep of manifest[key]!.imports ?? []) visit(dep);
      };
      visit(start);
      return [...seen].map((k) => manifest[k]!.file);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
