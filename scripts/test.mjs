// npm test: every check and every test, in order, and one closing line of totals.
// Each check (types, lint, package) counts as one test; Vitest's JSON report gives the rest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const checks = [
  ['types', 'npx', ['tsc', '--noEmit']],
  ['types (playground)', 'npx', ['tsc', '--noEmit', '-p', 'playground']],
  ['types (public JSX typing)', 'npx', ['tsc', '-p', 'test/types']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['format', 'npx', ['prettier', '--check', '.']],
  // Unused files, exports and dependencies (knip.jsonc says what it reads and what it excuses).
  ['unused code', 'npx', ['knip', '--no-progress']],
  ['build', 'npm', ['run', 'build', '--silent']],
  ['publint', 'npx', ['publint', '--strict']],
  ['attw', 'npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--exclude-entrypoints', './styles.css']],
  ['size', 'npx', ['size-limit']],
];

let passed = 0;
let failed = 0;
for (const [name, cmd, args] of checks) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.log(`✗ ${name} failed (exit ${r.status})`);
  }
}

mkdirSync('.test-out', { recursive: true });
const report = '.test-out/vitest.json';
rmSync(report, { force: true });
console.log('\n▶ vitest: unit, react18, browser, e2e, storybook');
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { stdio: 'inherit' },
);
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  // A suite that fails to load has no tests to count, but it is a failure all the same.
  const brokenFiles = json.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  );
  failed += brokenFiles.length;
  if (json.numPendingTests + json.numTodoTests > 0) {
    console.log(`✗ ${json.numPendingTests + json.numTodoTests} skipped or todo tests: not allowed`);
    failed += json.numPendingTests + json.numTodoTests;
  }
} else {
  failed++;
}
if (vitest.status !== 0 && failed === 0) failed++;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
