// Every TypeScript block in README.md and docs/*.md, and every `@example` of the hooks, compiles
// against the built package as an app that installed it sees it: `parlance` is a package in
// node_modules (its package.json `exports` and dist/ types), in a project outside the repository,
// with the compiler options of a fresh Vite app plus the ones the issue names. Run after
// `npm run build` (npm test builds first).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  jsdocExamples,
  markdownAnchors,
  markdownCodeBlocks,
  markdownLinks,
  typeScriptLanguages,
  type CodeBlock,
} from './code-blocks';

const root = resolve(__dirname, '../..');

/** What an app has installed beside parlance: the peers and the types the docs' code needs. */
const installed = [
  'react',
  'react-dom',
  '@tanstack/react-query',
  '@types/react',
  '@types/react-dom',
  '@types/node',
  // docs/vite.md shows a vite.config.ts, which a Vite app compiles with these.
  'vite',
  '@vitejs/plugin-react',
];

const compilerOptions = {
  // A fresh Vite app's tsconfig.app.json…
  target: 'ES2022',
  lib: ['DOM', 'DOM.Iterable', 'ES2022'],
  module: 'ESNext',
  moduleResolution: 'bundler',
  moduleDetection: 'force',
  jsx: 'react-jsx',
  strict: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  noFallthroughCasesInSwitch: true,
  skipLibCheck: true,
  noEmit: true,
};

const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const markdownBlocks = docs.flatMap((file) =>
  markdownCodeBlocks(file, readFileSync(join(root, file), 'utf8')),
);

const hookFiles = readdirSync(join(root, 'src/hooks'))
  .filter((name) => /\.tsx?$/.test(name))
  .sort()
  .map((name) => `src/hooks/${name}`);
const exampleBlocks = hookFiles.flatMap((file) =>
  jsdocExamples(file, readFileSync(join(root, file), 'utf8')),
);

const isChecked = (block: CodeBlock) => block.lang in typeScriptLanguages && block.skip === undefined;
const checked = [...markdownBlocks.filter(isChecked), ...exampleBlocks.filter(isChecked)];

/** Deliberately wrong modules: each must produce the diagnostic named, or the check proves nothing. */
const selfTests = [
  {
    name: 'a wrong option type',
    code: "import { useChat } from 'parlance';\nexport function Chat() {\n  useChat({ model: 42 });\n  return null;\n}\n",
    diagnostic: 2322,
  },
  {
    name: 'a name the package does not export',
    code: "import { useChatt } from 'parlance';\nuseChatt();\n",
    diagnostic: 2724,
  },
  {
    name: 'a side-effect import of a missing file',
    code: "import 'parlance/style.css';\n",
    diagnostic: 2307,
  },
  { name: 'a missing import', code: 'export const n = countTokens("hi", "gpt-4o");\n', diagnostic: 2304 },
] as const;

const fileName = (block: CodeBlock) =>
  `${block.source.replace(/\.\w+$/, '').replace(/[^\w-]+/g, '_')}-L${block.line}.${typeScriptLanguages[block.lang]}`;

let project: string;
const diagnostics = new Map<string, ts.Diagnostic[]>();
const globalDiagnostics: ts.Diagnostic[] = [];

beforeAll(() => {
  const types = join(root, 'dist/index.d.ts');
  if (!existsSync(types)) throw new Error('dist/ is not built: run `npm run build` first');
  project = mkdtempSync(join(tmpdir(), 'parlance-docs-'));
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  mkdirSync(join(modules, '@tanstack'));
  mkdirSync(join(modules, '@vitejs'));
  // The repository itself, as an installed package: resolution goes through its package.json.
  symlinkSync(root, join(modules, 'parlance'), 'dir');
  for (const name of installed) symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'docs-check', private: true, type: 'module' }),
  );

  const files: string[] = [];
  const write = (name: string, code: string) => {
    const path = join(project, 'src', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    files.push(path);
  };
  for (const block of checked) write(fileName(block), block.code);
  for (const [i, self] of selfTests.entries()) write(`self-test-${i}.tsx`, self.code);

  const { options, errors } = ts.convertCompilerOptionsFromJson(compilerOptions, project);
  expect(errors).toEqual([]);
  const program = ts.createProgram(files, options);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (!diagnostic.file) {
      globalDiagnostics.push(diagnostic);
      continue;
    }
    const name = relative(join(project, 'src'), diagnostic.file.fileName);
    diagnostics.set(name, [...(diagnostics.get(name) ?? []), diagnostic]);
  }
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function describeDiagnostics(block: CodeBlock, found: readonly ts.Diagnostic[]): string {
  return found
    .map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
      return `${block.source}:${block.codeLine + line}:${character + 1} TS${d.code}: ${message}`;
    })
    .join('\n');
}

test('the compiler reports nothing outside the blocks (options, libraries)', () => {
  expect(globalDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual([]);
  expect(checked.length).toBeGreaterThan(10);
});

describe.each(selfTests.map((self, i) => ({ ...self, i })))('self-test: $name', ({ i, diagnostic }) => {
  test(`is reported as TS${diagnostic}`, () => {
    const codes = (diagnostics.get(`self-test-${i}.tsx`) ?? []).map((d) => d.code);
    expect(codes).toContain(diagnostic);
  });
});

describe('every TypeScript block compiles against the built package', () => {
  test.each(checked.map((block) => [`${block.source}:${block.line} (${block.lang})`, block] as const))(
    '%s',
    (_, block) => {
      const found = diagnostics.get(fileName(block)) ?? [];
      expect(found.length, `\n${describeDiagnostics(block, found)}\n`).toBe(0);
    },
  );
});

describe('the blocks that are not checked say why', () => {
  test.each(docs)('%s: every fence names its language; every opt-out gives a reason', (file) => {
    const blocks = markdownBlocks.filter((block) => block.source === file);
    const unnamed = blocks.filter((block) => block.lang === '').map((block) => `${file}:${block.line}`);
    expect(unnamed, 'name the language of these fences (ts, tsx, sh, html, css, text…)').toEqual([]);
    const noReason = blocks.filter((block) => block.skip === '').map((block) => `${file}:${block.line}`);
    expect(noReason, 'give the reason: <!-- docs-check: skip (reason) -->').toEqual([]);
  });
});

describe('the links between the documents lead somewhere', () => {
  test.each(docs)('%s: every relative link names a file and a heading that exist', (file) => {
    const broken = markdownLinks(readFileSync(join(root, file), 'utf8')).flatMap(({ target, line }) => {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const linked = path === '' ? join(root, file) : resolve(root, dirname(file), path);
      if (!existsSync(linked)) return [`${file}:${line}: ${target} (no such file)`];
      if (anchor && !markdownAnchors(readFileSync(linked, 'utf8')).has(anchor)) {
        return [`${file}:${line}: ${target} (no such heading)`];
      }
      return [];
    });
    expect(broken).toEqual([]);
  });
});

describe('self-test: reading Markdown', () => {
  const markdown = [
    '# Title',
    '',
    '[a](#title) [b](#nope) [c](https://example.com)',
    '',
    '<!-- docs-check: skip (a Next.js type) -->',
    '',
    '```ts',
    '[d](#ignored)',
    '```',
    '',
    '```',
    'plain',
    '```',
  ].join('\n');

  test('finds the relative links outside code, and the headings', () => {
    expect(markdownLinks(markdown)).toEqual([
      { target: '#title', line: 3 },
      { target: '#nope', line: 3 },
    ]);
    expect([...markdownAnchors(markdown)]).toEqual(['title']);
  });

  test('finds the fences, their languages and their opt-out reasons', () => {
    expect(markdownCodeBlocks('x.md', markdown)).toEqual([
      { source: 'x.md', line: 7, codeLine: 8, lang: 'ts', code: '[d](#ignored)', skip: 'a Next.js type' },
      { source: 'x.md', line: 11, codeLine: 12, lang: '', code: 'plain' },
    ]);
  });
});
