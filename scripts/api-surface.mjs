// Writes api-surface/<entry>.txt: the sorted runtime export names of each built entry point.
// `npm run api-surface` after a deliberate change; test/package/dist.test.ts compares the build
// with these files, so every change to the public surface shows up in review.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const entries = JSON.parse(readFileSync('api-surface/entries.json', 'utf8'));

mkdirSync('api-surface', { recursive: true });
for (const [name, file] of Object.entries(entries)) {
  const mod = await import(pathToFileURL(file).href);
  writeFileSync(`api-surface/${name}.txt`, Object.keys(mod).sort().join('\n') + '\n');
  console.log(`api-surface/${name}.txt: ${Object.keys(mod).length} exports`);
}
