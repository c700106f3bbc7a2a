import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp, type AppBundle } from '../../support/app-bundle';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// Temml's own error text: present in any chunk that carries the math renderer.
const TEMML = /Temml can only parse string typed expression/;

let app: AppBundle;
let files: Map<string, string>;
const initialChunks = () => app.initialChunks();

beforeAll(async () => {
  app = await buildApp(
    `import { Markdown } from ${JSON.stringify(path.join(repo, 'src/components/markdown/markdown.tsx'))};\n` +
      `export const component = Markdown;\n`,
    /^(react|react-dom)(\/|$)/,
  );
  files = app.files;
}, 180_000);

afterAll(() => app?.remove());

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
