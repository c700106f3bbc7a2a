// The CSS entry leaves an empty JS stub behind; only dist/styles.css is part of the package.
import { rmSync } from 'node:fs';

for (const stub of ['dist/styles-entry.js', 'dist/styles-entry.js.map']) rmSync(stub, { force: true });
