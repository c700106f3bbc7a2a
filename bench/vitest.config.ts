import { defineConfig, mergeConfig } from 'vitest/config';

import base, { publicAliases } from '../vite.config';

/** Node micro-benchmarks: `bench/**\/*.bench.ts`, each comparing Parlance with the alternative. */
export default mergeConfig(
  { ...base, test: undefined },
  defineConfig({
    resolve: { alias: publicAliases },
    test: {
      name: 'bench',
      environment: 'node',
      benchmark: { include: ['bench/**/*.bench.ts'], exclude: ['bench/browser/**'] },
    },
  }),
);
