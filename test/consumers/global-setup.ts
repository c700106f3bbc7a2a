// Packs the package once for every consumer test file: the tarball is what people install.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TestProject } from 'vitest/node';

import { repoRoot, run, tail } from './support/process';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the packed `parlance-<version>.tgz`. */
    parlanceTarball: string;
  }
}

export default async function setup(project: TestProject) {
  for (const entry of ['dist/index.js', 'dist/core/index.js', 'dist/server/index.js']) {
    if (!existsSync(path.join(repoRoot, entry)))
      throw new Error(
        `The consumer suite tests the packed package, but ${entry} is missing: run \`npm run build\` first (npm test does).`,
      );
  }
  const destination = await mkdtemp(path.join(tmpdir(), 'parlance-pack-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: repoRoot,
  });
  if (packed.code !== 0) throw new Error(`npm pack failed (exit ${packed.code}):\n${tail(packed.stderr)}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number }[];
  const tarball = path.join(destination, info!.filename);
  console.log(
    `consumers: packed ${info!.filename} in ${packed.ms} ms (${(info!.size / 1e6).toFixed(1)} MB packed, ${(info!.unpackedSize / 1e6).toFixed(1)} MB unpacked)`,
  );
  project.provide('parlanceTarball', tarball);
  return async () => {
    await rm(destination, { recursive: true, force: true });
  };
}
