// What `npm pack` ships (run `npm run build` first; npm test does): the size budget, each rank
// table once, the tokenizer workers beside the module that starts them, "use client" exactly on
// the client modules, and readable modules.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { beforeAll, describe, expect, test } from 'vitest';

// The budget for the packed tarball, and a ceiling on what it unpacks to.
const PACKED_BUDGET = 3 * 1024 * 1024;
const UNPACKED_BUDGET = 6 * 1024 * 1024;
const ENCODINGS = ['cl100k', 'o200k'] as const;

interface PackResult {
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string; size: number }>;
}

let pack: PackResult;
let files: string[];

const read = (file: string) => readFileSync(file, 'utf8');

beforeAll(() => {
  expect(existsSync('dist/index.js'), 'dist is missing: run npm run build').toBe(true);
  // --ignore-scripts: packing must not rebuild (there is no prepack today, and there must not be
  // one that runs here).
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  pack = (JSON.parse(out) as PackResult[])[0]!;
  files = pack.files.map((f) => f.path);
}, 60_000);

describe('the packed package', () => {
  test(`is at most ${PACKED_BUDGET} bytes packed`, () => {
    expect(pack.size).toBeGreaterThan(0);
    expect(pack.size).toBeLessThanOrEqual(PACKED_BUDGET);
    expect(pack.unpackedSize).toBeLessThanOrEqual(UNPACKED_BUDGET);
  });

  test('ships each rank table exactly once, as dist/core/tokens/ranks/*.js with no source map', () => {
    for (const [table, tokens] of [
      ['cl100k_base', 100256],
      ['o200k_base', 199998],
    ] as const) {
      // The table's header, minified or not, wherever a bundler might have copied it.
      const header = new RegExp(`"?tokens"?:\\s*${tokens}\\b`);
      const copies = pack.files.filter(
        (f) => f.path.endsWith('.js') && f.size > 400_000 && header.test(read(f.path)),
      );
      expect(copies.map((f) => f.path)).toEqual([`dist/core/tokens/ranks/${table}.js`]);
      expect(files).not.toContain(`dist/core/tokens/ranks/${table}.js.map`);
      expect(read(`dist/core/tokens/ranks/${table}.js`)).not.toContain('sourceMappingURL');
    }
  });

  test('ships no declaration maps, no dist/assets and no widget source maps', () => {
    expect(files.filter((f) => f.endsWith('.d.ts.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/assets/'))).toEqual([]);
    expect(files.filter((f) => /^dist\/widget\/parlance-chat.*\.map$/.test(f))).toEqual([]);
  });

  test('ships source maps only with the sources inside them (src/ is not shipped)', () => {
    const maps = files.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(read(map)) as {
        sources: string[];
        sourcesContent?: Array<string | null>;
      };
      const contents = sourcesContent ?? [];
      expect(contents, map).toHaveLength(sources.length);
      expect(
        contents.every((content) => typeof content === 'string'),
        map,
      ).toBe(true);
    }
  });

  test('ships LICENSE, and package.json says where the project lives', () => {
    expect(files).toContain('LICENSE');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 The Parlance authors\n/);
    const manifest = JSON.parse(read('package.json')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      repository: { type: 'git', url: 'git+https://github.com/parlance-ui/parlance.git' },
      homepage: 'https://github.com/parlance-ui/parlance#readme',
      bugs: 'https://github.com/parlance-ui/parlance/issues',
      peerDependenciesMeta: {
        react: { optional: true },
        'react-dom': { optional: true },
        '@tanstack/react-query': { optional: true },
      },
      exports: { './styles.css': { types: './dist/styles.css.d.ts', default: './dist/styles.css' } },
    });
    expect(files).toContain('dist/styles.css.d.ts');
  });
});

describe('the tokenizer workers in dist', () => {
  test('are created with a relative new URL() to a file shipped beside worker-engine.js', () => {
    const engine = read('dist/core/tokens/worker-engine.js');
    for (const name of ENCODINGS) {
      const file = `tokenizer-${name}.worker.js`;
      expect(engine).toMatch(
        new RegExp(
          `new Worker\\(new URL\\((["'])\\./${file.replaceAll('.', '\\.')}\\1, import\\.meta\\.url\\), \\{\\s*type: "module"`,
        ),
      );
      expect(files).toContain(`dist/core/tokens/${file}`);
    }
    // No hashed or root-absolute worker URL anywhere.
    expect(engine).not.toMatch(/\/assets\/|worker-[A-Za-z0-9_-]{8}\.js/);
  });

  test('import their encoder and ranks with relative paths only, so they also run unbundled', () => {
    for (const name of ENCODINGS) {
      const code = read(`dist/core/tokens/tokenizer-${name}.worker.js`);
      const specifiers = [
        ...code.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g),
      ].map((m) => m[1] ?? m[2]);
      expect(specifiers).toEqual(
        expect.arrayContaining(['./encoder.js', `./ranks/${name}_base.js`, './worker-protocol.js']),
      );
      expect(specifiers.filter((s) => !s!.startsWith('./'))).toEqual([]);
      // And what they import imports nothing else.
      for (const dep of ['encoder.js', 'worker-protocol.js', `ranks/${name}_base.js`]) {
        expect(read(`dist/core/tokens/${dep}`)).not.toMatch(/^\s*(import|export)\s.*\bfrom\s/m);
      }
    }
  });

  test("the widget's self-contained file points at the core's workers and ranks instead of copies", () => {
    const widget = files.filter((f) => /^dist\/widget\/parlance-chat.*\.js$/.test(f));
    const code = widget.map(read).join('\n');
    for (const name of ENCODINGS) {
      expect(code).toMatch(
        new RegExp(`new Worker\\(new URL\\(([\`"'])\\.\\./core/tokens/tokenizer-${name}\\.worker\\.js\\1`),
      );
      expect(code).toMatch(new RegExp(`import\\(([\`"'])\\.\\./core/tokens/ranks/${name}_base\\.js\\1\\)`));
    }
  });
});

describe('"use client" in dist', () => {
  const js = () => files.filter((f) => f.endsWith('.js'));
  const hasDirective = (file: string) => /^["']use client["'];/.test(read(file));

  test('opens dist/index.js, every module under components/ and hooks/, and the widget React entries', () => {
    const wanted = js().filter(
      (f) =>
        f === 'dist/index.js' ||
        f === 'dist/widget/index.js' ||
        f === 'dist/widget/chat-panel.js' ||
        /^dist\/(components|hooks)\//.test(f),
    );
    expect(wanted.length).toBeGreaterThan(20);
    expect(wanted.filter((f) => !hasDirective(f))).toEqual([]);
  });

  test('is never on parlance/core, parlance/server or the self-contained widget file', () => {
    const server = js().filter(
      (f) => /^dist\/(core|server)\//.test(f) || /^dist\/widget\/parlance-chat/.test(f),
    );
    expect(server.length).toBeGreaterThan(20);
    expect(server.filter(hasDirective)).toEqual([]);
  });
});

test('class names survive the build (ApiError.name is "ApiError")', async () => {
  const core = (await import(pathToFileURL('dist/core/index.js').href)) as Record<string, { name: string }>;
  for (const name of ['ApiError', 'NetworkError', 'TimeoutError', 'ParlanceError', 'ContextOverflowError']) {
    expect(core[name]!.name).toBe(name);
  }
});
