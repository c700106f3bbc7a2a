// The playground served by the reference server at `/`: built from this folder to .playground/.
// Two pages: the playground (index.html) and a sample host page with the widget (host.html).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const dirname = path.dirname(fileURLToPath(import.meta.url));
const src = (p: string) => path.join(dirname, '..', 'src', p);

/**
 * `parlance/widget` from src. package.json marks only dist/widget as having side effects, so an
 * alias into src would let the bundler drop `import 'parlance/widget'`, whose side effect
 * (registering <parlance-chat>) is the whole point of importing it.
 */
const widgetFromSource: Plugin = {
  name: 'parlance-widget-from-source',
  enforce: 'pre',
  resolveId(source) {
    return source === 'parlance/widget' ? { id: src('widget/index.ts'), moduleSideEffects: true } : null;
  },
};

export default defineConfig({
  root: dirname,
  base: '/',
  plugins: [widgetFromSource, react()],
  publicDir: false,
  resolve: {
    alias: [
      { find: /^parlance\/core$/, replacement: src('core/index.ts') },
      { find: /^parlance\/styles\.css$/, replacement: src('styles.css') },
      { find: /^parlance$/, replacement: src('index.ts') },
    ],
  },
  // Outside dist/ (which every library build empties), so a running `npm start` keeps serving it
  // through `npm run build`. Ignored by git, lint and prettier; the package does not ship it.
  build: {
    outDir: path.join(dirname, '..', '.playground'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        index: path.join(dirname, 'index.html'),
        host: path.join(dirname, 'host.html'),
      },
    },
  },
});
