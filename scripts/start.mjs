// npm start: builds what the reference server needs when it is missing or older than its sources
// (the library build for dist/server, the playground for .playground), then runs the
// parlance-server CLI in the foreground. PORT, HOST and the CLI's options pass through
// (npm start -- --port 3001).
//
// A running server survives `npm run build`, which empties dist/: the playground lives outside
// dist/, and the CLI loads every module it would load on demand before it listens.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newest(target) {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

function built(file, sources) {
  return existsSync(file) && statSync(file).mtimeMs >= Math.max(...sources.map(newest));
}

function run(label, args) {
  console.log(`Building ${label}…`);
  const result = spawnSync('npx', args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`Building ${label} failed.`);
    process.exit(result.status ?? 1);
  }
}

const shared = ['src', 'package.json'];
if (!built('dist/server/cli.js', [...shared, 'vite.config.ts'])) {
  run('the library', ['vite', 'build', '--logLevel', 'warn']);
}
if (!built('.playground/index.html', [...shared, 'playground'])) {
  run('the playground', ['vite', 'build', '--config', 'playground/vite.config.ts', '--logLevel', 'warn']);
}

const server = spawn(process.execPath, ['dist/server/cli.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
