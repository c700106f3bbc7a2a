/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vite';

import { tokenizerFiles } from './scripts/build-plugins';
import { chromiumLaunchOptions } from './test/support/chromium';

const dirname = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(dirname, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const packages = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)];
const src = (p: string) => path.join(dirname, 'src', p);
const react18 = path.join(dirname, 'test/fixtures/react18-host/node_modules');

/** Public names resolve to the sources, so tests import what users import. */
export const publicAliases = [
  { find: /^parlance\/core$/, replacement: src('core/index.ts') },
  { find: /^parlance\/styles\.css$/, replacement: src('styles.css') },
  { find: /^parlance$/, replacement: src('index.ts') },
];

/**
 * Debian's Chromium, never a downloaded browser. In UTC whatever the machine's zone, so that
 * message times (and the visual baselines that show them) read the same everywhere.
 */
const chromium = playwright({ launchOptions: chromiumLaunchOptions, contextOptions: { timezoneId: 'UTC' } });

const browser = () => ({
  enabled: true,
  headless: true,
  provider: chromium,
  instances: [{ browser: 'chromium' as const }],
  screenshotFailures: false,
});

/**
 * dist modules that need `"use client"` (they use React hooks or context, or are the entry a Server
 * Component imports them through). Rolldown drops module-level directives from the sources, so the
 * banner puts it back; parlance/core and parlance/server never carry it.
 */
export const clientModule = (file: string) =>
  file === 'index.js' ||
  file === 'widget/index.js' ||
  file === 'widget/chat-panel.js' ||
  /^(components|hooks)\//.test(file);

export default defineConfig({
  plugins: [
    react(),
    // The library build only: keeps the tokenizer's workers as dist/core/tokens/*.worker.js,
    // created with a relative `new URL()` that every bundler follows (Vite's worker transform
    // would make them root-absolute hashed assets). Dev, Vitest and Storybook use Vite's own.
    {
      ...tokenizerFiles({ tokensDir: 'core/tokens' }),
      apply: (config, { command }) => command === 'build' && Boolean(config.build?.lib),
    },
  ],
  resolve: { alias: publicAliases },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Readable, debuggable modules: names survive (`ApiError.name`), and the app's bundler minifies.
    minify: false,
    cssCodeSplit: false,
    lib: {
      entry: {
        index: src('index.ts'),
        'core/index': src('core/index.ts'),
        'widget/index': src('widget/index.ts'),
        'server/index': src('server/index.ts'),
        'server/cli': src('server/cli.ts'),
        // Started by server/offline/pool.ts as a worker thread, by its path beside the pool.
        'server/offline/image-worker': src('server/offline/image-worker.ts'),
        'styles-entry': src('styles-entry.ts'),
        // Started by worker-engine.ts with `new Worker(new URL('./tokenizer-….worker.js', …))`.
        'core/tokens/tokenizer-cl100k.worker': src('core/tokens/tokenizer-cl100k.worker.ts'),
        'core/tokens/tokenizer-o200k.worker': src('core/tokens/tokenizer-o200k.worker.ts'),
      },
      formats: ['es'],
      cssFileName: 'styles',
    },
    rolldownOptions: {
      // Dependencies and peers stay imports, so an app gets one copy of each (and dedupes them).
      // The one exception is bundled in dist/vendor/: @tanstack/react-virtual, whose own React peers
      // would otherwise be installed for apps that use only parlance/core or parlance/server.
      external: (id) =>
        id.startsWith('node:') || packages.some((name) => id === name || id.startsWith(`${name}/`)),
      output: {
        preserveModules: true,
        preserveModulesRoot: 'src',
        // npm pack leaves out any folder named node_modules, so bundled modules go to vendor/.
        entryFileNames: (chunk) =>
          chunk.name.includes('node_modules/')
            ? `${chunk.name.replace(/^.*node_modules\//, 'vendor/')}.js`
            : '[name].js',
        banner: (chunk) => (clientModule(chunk.fileName) ? '"use client";' : ''),
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // CPU-heavy suites (tokenizer ranks, property tests) on 2 shared cores: generous, not timing.
          testTimeout: 30_000,
          include: [
            'test/unit/**/*.test.{ts,tsx}',
            'test/node/**/*.test.{ts,tsx}',
            'test/package/**/*.test.ts',
            'test/docs/**/*.test.ts',
          ],
          exclude: ['test/unit/react18/**'],
          environment: 'node',
          setupFiles: ['test/support/cleanup-dom.ts'],
        },
      },
      {
        // The hooks and components again, on React 18 (the oldest supported peer), installed by
        // the private workspace test/fixtures/react18-host.
        extends: true,
        resolve: {
          alias: [
            ...publicAliases,
            // Its ESM build, so that its own imports of React go through these aliases too.
            {
              find: /^@testing-library\/react$/,
              replacement: path.join(
                dirname,
                'node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
              ),
            },
            { find: /^react-dom(\/.*)?$/, replacement: `${react18}/react-dom$1` },
            { find: /^react(\/.*)?$/, replacement: `${react18}/react$1` },
          ],
        },
        test: {
          name: 'react18',
          testTimeout: 30_000,
          include: [
            'test/unit/chat/use-chat.test.tsx',
            'test/unit/components/*.test.tsx',
            'test/unit/images/*.test.tsx',
            'test/unit/tokens/use-token-count.test.tsx',
            'test/unit/react18/*.test.tsx',
          ],
          environment: 'node',
          setupFiles: ['test/support/cleanup-dom.ts'],
          server: { deps: { inline: [/@testing-library\/react/, /@tanstack\/react-/] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          testTimeout: 60_000,
          // `expect.element` and `expect.poll` wait up to 1 s by default: too little for a page
          // that loads lazy chunks on a busy 2-core machine. Failing checks still fail, later.
          expect: { poll: { timeout: 5_000 } },
          include: ['test/browser/**/*.test.{ts,tsx}'],
          browser: {
            ...browser(),
            expect: {
              toMatchScreenshot: {
                // Committed baselines of test/browser/visual.test.tsx (`npm run test:visual -- --update`).
                resolveScreenshotPath: ({ root, arg, browserName, platform, ext }) =>
                  path.join(root, 'test/browser/visual-baselines', `${arg}-${browserName}-${platform}${ext}`),
              },
            },
          },
          globalSetup: ['test/browser/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Real pages over real HTTP: Node drives Debian's Chromium with playwright-core.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
        test: {
          name: 'storybook',
          // Play functions wait on lazy chunks (highlighter, tokenizer ranks) that load slowly on a busy machine.
          testTimeout: 60_000,
          expect: { poll: { timeout: 5_000 } },
          browser: browser(),
        },
      },
      {
        // The packed tarball installed into real apps (Next.js, Vite, a plain page, Node) outside
        // the repository: installs and builds are heavy, so its files run one at a time, after the rest.
        test: {
          name: 'consumers',
          include: ['test/consumers/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/consumers/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 420_000,
        },
      },
    ],
  },
});
