import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp, type AppBundle } from '../../support/app-bundle';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// The initial chunks of an app that imports useTokenCount, minified and gzipped, React and React
// Query excluded (peers the app already has). About 10.4 KB today (the counters, the remote
// tokenizer endpoint, prices, and the error reader every request shares, which reads every
// upstream's error shape); either rank table adds ≥ 490 KB.
const ENTRY_BUDGET_GZIP = 12 * 1024;
// Rank data: js-tiktoken's rank files, or the compact ranks (one base64 run of ≥ 490,000 characters).
const RANKS = /bpe_ranks|"pat_str"|[A-Za-z0-9+/]{100000}/;

let app: AppBundle;
let files: Map<string, string>;
const initialChunks = () => app.initialChunks();

beforeAll(async () => {
  app = await buildApp(
    `import { useTokenCount } from ${JSON.stringify(path.join(repo, 'src/hooks/use-token-count.ts'))};\n` +
      `export const hook = useTokenCount;\n`,
    /^(react|react-dom|@tanstack\/react-query)(\/|$)/,
  );
  files = app.files;
}, 180_000);

afterAll(() => app?.remove());

describe('bundle of an app importing useTokenCount', () => {
  it('has no ranks in its initial chunks, and stays under the budget', () => {
    const initial = initialChunks();
    expect(initial.length).toBeGreaterThan(0);
    let gzip = 0;
    for (const file of initial) {
      const code = files.get(file)!;
      expect(RANKS.test(code), `${file} contains rank data`).toBe(false);
      gzip += gzipSync(code).length;
    }
    expect(gzip).toBeLessThan(ENTRY_BUDGET_GZIP);
  });

  it('puts each encoding’s ranks in separate, lazily loaded files (workers and chunks)', () => {
    const initial = new Set(initialChunks());
    const withRanks = [...files]
      .filter(([name, code]) => name.endsWith('.js') && RANKS.test(code))
      .map(([n]) => n);
    expect(withRanks.length).toBeGreaterThanOrEqual(2);
    for (const name of withRanks) expect(initial.has(name)).toBe(false);
    // One file per encoding for the workers, never both tables in one.
    const cl100k = withRanks.filter((n) => /tokens"?:\s*100256\b/.test(files.get(n)!));
    const o200k = withRanks.filter((n) => /tokens"?:\s*199998\b/.test(files.get(n)!));
    expect(cl100k.length).toBeGreaterThan(0);
    expect(o200k.length).toBeGreaterThan(0);
    expect(cl100k.filter((n) => o200k.includes(n))).toEqual([]);
  });
});
