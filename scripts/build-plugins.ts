// Vite plugins for the package's two builds (vite.config.ts: the library, vite.widget.config.ts:
// the widget's self-contained file). Both keep the tokenizer's workers and rank tables as the
// library's own preserved modules in dist/core/tokens/, which every bundler and a plain static
// server can follow, instead of Vite's hashed, root-absolute worker assets.
import path from 'node:path';

import type { Plugin } from 'vite';

const WORKER_ENGINE = /[\\/]src[\\/]core[\\/]tokens[\\/]worker-engine\.ts$/;
const TOKENS_DIR = /[\\/]src[\\/]core[\\/]tokens$/;
// The source form, `new URL('./tokenizer-cl100k.worker.ts', import.meta.url)`, that Vite's dev
// server, Vitest and Storybook turn into a worker from src/.
const WORKER_URL = /new URL\(\s*(['"])\.\/tokenizer-([a-z0-9]+)\.worker\.ts\1\s*,\s*import\.meta\.url\s*\)/g;
// A placeholder that neither Vite's worker transform nor its asset transform recognises (they
// look for a string literal), restored to a string literal once the chunk is rendered.
const PLACEHOLDER = /__PARLANCE_WORKER_URL_([a-z0-9]+)__/g;
const RANKS = /^\.\/ranks\/([a-z0-9_]+)(\.js)?$/;

const relativeUrl = (from: string, to: string) => {
  const url = path.posix.relative(path.posix.dirname(from), to);
  return url.startsWith('.') ? url : `./${url}`;
};

export interface TokenizerFilesOptions {
  /** Where dist/core/tokens/ is, relative to this build's output directory. */
  tokensDir: string;
  /** Rank tables are imported from `tokensDir` (external), not bundled into this build. */
  externalRanks?: boolean;
}

/**
 * Emits `new Worker(new URL('./tokenizer-cl100k.worker.js', import.meta.url), …)` with the URL
 * relative to the chunk that holds it and pointing at the library's own worker module, instead of
 * letting Vite bundle the worker into a hashed asset. The worker modules are lib entries, so they
 * are built as ordinary preserved modules with relative imports.
 */
export function tokenizerFiles({ tokensDir, externalRanks = false }: TokenizerFilesOptions): Plugin {
  return {
    name: 'parlance:tokenizer-files',
    enforce: 'pre',
    apply: 'build',
    transform: {
      filter: { id: WORKER_ENGINE },
      handler(code) {
        let found = 0;
        const out = code.replace(WORKER_URL, (_match, _quote, name: string) => {
          found++;
          return `new URL(__PARLANCE_WORKER_URL_${name}__, import.meta.url)`;
        });
        if (found === 0) this.error('worker-engine.ts: no `new URL(./tokenizer-*.worker.ts)` found');
        return { code: out, map: null };
      },
    },
    resolveId(source, importer) {
      if (!externalRanks || !importer || !TOKENS_DIR.test(path.dirname(importer))) return null;
      const table = RANKS.exec(source)?.[1];
      if (!table) return null;
      // Kept as written here and made relative to the chunk in renderChunk.
      return { id: `parlance-ranks:${table}`, external: true };
    },
    renderChunk(code, chunk) {
      const to = (file: string) =>
        JSON.stringify(relativeUrl(chunk.fileName, path.posix.join(tokensDir, file)));
      let out = code.replace(PLACEHOLDER, (_m, name: string) => to(`tokenizer-${name}.worker.js`));
      if (externalRanks) {
        out = out.replace(/(['"])parlance-ranks:([a-z0-9_]+)\1/g, (_m, _q, table: string) =>
          to(`ranks/${table}.js`),
        );
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
