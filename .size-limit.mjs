// The tokenizer's ranks (dist/core/tokens/ranks/*, imported by the in-process fallback and by the
// workers dist/core/tokens/tokenizer-*.worker.js) load lazily, on the first count; esbuild would
// fold those dynamic imports into the measured bundle, so they are left out here (it does not
// follow `new Worker(new URL(…))`). test/unit/tokens/bundle.test.ts checks that an app's initial
// chunks hold no ranks. The widget's chunks import the same files as ../core/tokens/…
const withoutRanks = (config) => ({ ...config, external: [...(config.external ?? []), './ranks/*'] });

export default [
  {
    name: 'parlance/core — everything (tokenizer ranks are lazy chunks: see test/unit/tokens/bundle.test.ts)',
    path: 'dist/core/index.js',
    import: '*',
    limit: '40 KB',
    modifyEsbuildConfig: withoutRanks,
  },
  {
    name: 'parlance — everything (peers, lazy tokenizer ranks, lazy syntax highlighting and lazy math left out)',
    path: 'dist/index.js',
    import: '*',
    // lowlight and temml are imported dynamically, when a reply has code or math.
    ignore: ['react', 'react-dom', '@tanstack/react-query', 'lowlight', 'temml'],
    limit: '120 KB',
    modifyEsbuildConfig: withoutRanks,
  },
  {
    name: "parlance-chat.js — the widget's self-contained file, initial: the launcher in plain DOM (React, the chat panel, highlighting and tokenizer ranks are lazy chunks)",
    path: 'dist/widget/parlance-chat.js',
    ignore: ['./parlance-chat-*'],
    gzip: true,
    limit: '15 KB',
  },
];
