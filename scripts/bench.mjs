// npm run bench [filter]: every side-by-side benchmark, in one run.
// 1. Node micro-benchmarks (bench/**/*.bench.ts) through `vitest bench`, which prints
//    "N× faster than" for each group.
// 2. Browser benchmarks (bench/browser/*.ts), each a script that drives Debian's Chromium and
//    prints its own table of figures and ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const filter = process.argv[2] ?? '';
let failed = 0;
const run = (cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) failed++;
};

run('npx', ['vitest', 'bench', '--run', '--config', 'bench/vitest.config.ts', ...(filter ? [filter] : [])]);
for (const file of readdirSync('bench/node')
  .filter((f) => f.endsWith('.ts') && !f.includes('-run') && f.includes(filter))
  .sort()) {
  run('npx', ['tsx', `bench/node/${file}`]);
}
for (const file of readdirSync('bench/browser')
  .filter((f) => f.endsWith('.ts') && f.includes(filter))
  .sort()) {
  run('npx', ['tsx', `bench/browser/${file}`]);
}
process.exit(failed ? 1 : 0);
