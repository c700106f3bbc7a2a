// Adversarial pieces: one long piece the split pattern cannot cut (a repeated letter, a random
// word, a CJK run, an emoji run, digits, base64) at 16k, 64k, 256k and 1M characters, counted with
// o200k_base by Parlance, gpt-tokenizer and js-tiktoken side by side. Each count runs in its own
// process with a time limit: a library that passes it at one size is not run at the larger ones.
// Prints each time, the growth from 16k to 256k (linear: 16, quadratic: 256) and Parlance's speed-up.
// Run: npx tsx bench/node/tokens-adversarial.ts   (LIMIT_S=30 by default)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { adversarialPieces } from '../../test/support/adversarial-pieces';

const LIMIT_MS = Number(process.env.LIMIT_S ?? 30) * 1000;
const SIZES = [16_000, 64_000, 256_000, 1_000_000];
const LIBRARIES = ['parlance', 'gpt-tokenizer', 'js-tiktoken'] as const;
const runner = fileURLToPath(new URL('./tokens-adversarial-run.ts', import.meta.url));

type Result = { ms: number; tokens: number } | 'over' | 'skipped';

function measure(library: string, piece: string, size: number): Result {
  const child = spawnSync('npx', ['tsx', runner, library, piece, String(size)], {
    encoding: 'utf8',
    timeout: LIMIT_MS + 15_000, // start-up and rank loading are not timed
    killSignal: 'SIGKILL',
  });
  if (child.status !== 0) return 'over';
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; tokens: number };
  return result.ms > LIMIT_MS ? 'over' : result;
}

const show = (r: Result) =>
  r === 'over'
    ? `> ${LIMIT_MS / 1000} s`
    : r === 'skipped'
      ? '—'
      : `${Math.round(r.ms).toLocaleString('en')} ms`;
const ms = (r: Result | undefined) => (r && typeof r === 'object' ? Math.max(r.ms, 0.5) : undefined);

for (const piece of Object.keys(adversarialPieces)) {
  console.log(`\n${piece} (o200k_base)`);
  const rows: string[][] = [['library', ...SIZES.map((s) => `${s / 1000}k`), 'growth 16k→256k']];
  const results: Record<string, Result[]> = {};
  for (const library of LIBRARIES) {
    const row: Result[] = [];
    for (const size of SIZES) {
      const previous = row.at(-1);
      row.push(previous === 'over' || previous === 'skipped' ? 'skipped' : measure(library, piece, size));
    }
    results[library] = row;
    const [a, , c] = row;
    const growth = ms(a) && ms(c) ? `${(ms(c)! / ms(a)!).toFixed(1)}×` : 'n/a (over the limit)';
    rows.push([library, ...row.map(show), growth]);
  }
  const tokens = results.parlance!.map((r, i) => {
    const others = LIBRARIES.slice(1)
      .map((l) => results[l]![i])
      .filter((o) => typeof o === 'object');
    return typeof r !== 'object' || others.every((o) => (o as { tokens: number }).tokens === r.tokens);
  });
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  for (const library of LIBRARIES.slice(1)) {
    const ratios = SIZES.map((size, i) => {
      const ours = ms(results.parlance![i]);
      const theirs = ms(results[library]![i]);
      return ours && theirs ? `${size / 1000}k ${(theirs / ours).toFixed(1)}×` : undefined;
    }).filter(Boolean);
    if (ratios.length) console.log(`Parlance faster than ${library}: ${ratios.join(', ')}`);
  }
  if (!tokens.every(Boolean)) {
    console.log('COUNTS DISAGREE');
    process.exitCode = 1;
  }
}
