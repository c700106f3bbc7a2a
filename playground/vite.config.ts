// The playground served by the reference server at `/`: built from this folder to dist/playground.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const dirname = path.dirname(fileURLToPath(import.meta.url));
const src = (p: string) => path.join(dirname, '..', 'src', p);

export default defineConfig({
  root: dirname,
  base: '/',
  plugins: [react()],
  publicDir: false,
  resolve: {
    alias: [
      { find: /^parlance\/core$/, replacement: src('core/index.ts') },
      { find: /^parlance\/styles\.css$/, replacement: src('styles.css') },
      { find: /^parlance$/, replacement: src('index.ts') },
    ],
  },
  // Under the root dist/ (ignored by lint and git), built after the library build that empties it.
  build: {
    outDir: path.join(dirname, '..', 'dist', 'playground'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
