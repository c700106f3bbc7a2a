// The widget's self-contained file: dist/widget/parlance-chat.js, for a plain
// <script type="module"> on a page with no bundler. React and everything else is bundled in.
// `process.env.NODE_ENV` must be defined here: library builds leave it for the consumer's bundler
// (vitejs/vite#8090), and a script tag has none. Dynamic imports (the chat panel, syntax
// highlighting) stay separate chunks beside the file, loaded only when used.
//
// The tokenizer is not copied in: its workers and rank tables are the library's own modules in
// dist/core/tokens/, reached as `../core/tokens/…` from here. So the widget is served as the
// dist/ folder keeping its layout (at least dist/widget/ and dist/core/tokens/ side by side), and
// each rank table ships once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

import { tokenizerFiles } from './scripts/build-plugins';

const dirname = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  plugins: [react(), tokenizerFiles({ tokensDir: '../core/tokens', externalRanks: true })],
  define: { 'process.env.NODE_ENV': '"production"' },
  publicDir: false,
  // Chunks resolve relative to the file itself, wherever the host serves it from.
  base: './',
  build: {
    outDir: 'dist/widget',
    emptyOutDir: false,
    // No source maps: React's and the kit's sources in them would be most of the package's weight,
    // and the library modules beside this file (dist/**/*.js) carry theirs.
    sourcemap: false,
    target: 'es2022',
    // No <link rel=modulepreload> injection: nothing to add to the host's <head>.
    modulePreload: false,
    rolldownOptions: {
      input: path.join(dirname, 'src/widget/standalone.ts'),
      preserveEntrySignatures: 'allow-extension',
      output: {
        format: 'es',
        entryFileNames: 'parlance-chat.js',
        chunkFileNames: 'parlance-chat-[name]-[hash].js',
      },
    },
  },
});
