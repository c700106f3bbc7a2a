// After the library build:
// 1. The CSS entry leaves an empty JS stub behind; only dist/styles.css is part of the package.
// 2. tsc writes relative imports in .d.ts files without extensions, which Node's ESM resolution
//    rejects. Rewrite each to the .js path whose declaration exists (`./x.js` or `./x/index.js`).
//    Type-only modules have a .d.ts but no .js, so the check is on the declaration file.
// 3. The generated rank tables ship without a source map: a map of one string literal helps no one
//    and doubled their weight. Their sourceMappingURL comment goes with it.
// 4. `import 'parlance/styles.css'` needs a declaration under `noUncheckedSideEffectImports`.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

for (const stub of ['dist/styles-entry.js', 'dist/styles-entry.js.map']) rmSync(stub, { force: true });

const ranksDir = 'dist/core/tokens/ranks';
for (const name of readdirSync(ranksDir)) {
  const file = join(ranksDir, name);
  if (name.endsWith('.js.map')) rmSync(file);
  else if (name.endsWith('.js')) {
    const code = readFileSync(file, 'utf8');
    const stripped = code.replace(/\n*\/\/# sourceMappingURL=\S+\s*$/, '\n');
    if (stripped !== code) writeFileSync(file, stripped);
  }
}

writeFileSync(
  'dist/styles.css.d.ts',
  "// The stylesheet: `import 'parlance/styles.css'` for its side effect, no exports.\nexport {};\n",
);

const specifier = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const file = join(entry.parentPath, entry.name);
  const source = readFileSync(file, 'utf8');
  const rewritten = source.replace(specifier, (match, lead, quote, path) => {
    if (/\.(js|css|json)$/.test(path)) return match;
    const base = join(dirname(file), path);
    if (existsSync(`${base}.d.ts`)) return `${lead}${quote}${path}.js${quote}`;
    if (existsSync(join(base, 'index.d.ts'))) return `${lead}${quote}${path}/index.js${quote}`;
    throw new Error(`${file}: cannot resolve the declaration of '${path}'`);
  });
  if (rewritten !== source) writeFileSync(file, rewritten);
}

// 5. Bundled third-party modules (dist/vendor/) keep their licences beside them.
for (const name of ['react-virtual', 'virtual-core']) {
  const licence = `node_modules/@tanstack/${name}/LICENSE`;
  if (existsSync(`dist/vendor/@tanstack/${name}`))
    copyFileSync(licence, `dist/vendor/@tanstack/${name}/LICENSE`);
}
