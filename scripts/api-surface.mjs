// Writes the reviewed public surface of each built entry point (api-surface/entries.json):
// api-surface/<entry>.txt, the sorted runtime export names, and api-surface/<entry>.d.txt, every
// exported name with its declaration from dist/*.d.ts. `npm run api-surface` after a deliberate
// change; test/package/dist.test.ts compares the build with these files exactly, so every change
// to a name or a type shows up in review.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import { declarations, runtimeNames } from './api-surface-lib.mjs';

const entries = JSON.parse(readFileSync('api-surface/entries.json', 'utf8'));

mkdirSync('api-surface', { recursive: true });
for (const [name, file] of Object.entries(entries)) {
  const names = await runtimeNames(file);
  writeFileSync(`api-surface/${name}.txt`, names.join('\n') + '\n');
  const types = declarations(file.replace(/\.js$/, '.d.ts'));
  writeFileSync(`api-surface/${name}.d.txt`, types);
  const count = (types.match(/^## /gm) ?? []).length;
  console.log(`api-surface/${name}: ${names.length} runtime exports, ${count} exported names with types`);
}
