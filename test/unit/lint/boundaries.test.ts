// The layers in eslint.config.js bite: ESLint, run through its API with the repo's own config,
// reports every forbidden arrow between the layers, and none of the allowed ones.
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints `code` as if it were the file at `filePath` and returns the rules it broke. */
async function brokenRules(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

// One small file per arrow: where it sits, and the one import it makes.
const forbidden: [arrow: string, filePath: string, specifier: string, rule: string][] = [
  ['core → hooks', 'src/core/chat/x.ts', '../../hooks/use-chat', 'boundaries/dependencies'],
  ['core → components', 'src/core/x.ts', '../components/token-meter/token-meter', 'boundaries/dependencies'],
  ['core → widget', 'src/core/x.ts', '../widget/strings', 'boundaries/dependencies'],
  ['core → server', 'src/core/x.ts', '../server/proxy', 'boundaries/dependencies'],
  ['core → react', 'src/core/x.ts', 'react', 'no-restricted-imports'],
  [
    'hooks → components',
    'src/hooks/x.ts',
    '../components/token-meter/token-meter',
    'boundaries/dependencies',
  ],
  ['hooks → widget', 'src/hooks/x.ts', '../widget/strings', 'boundaries/dependencies'],
  ['hooks → server', 'src/hooks/x.ts', '../server/proxy', 'boundaries/dependencies'],
  ['hooks → a module inside core', 'src/hooks/x.ts', '../core/tokens/count', 'no-restricted-imports'],
  ['components → widget', 'src/components/x/x.ts', '../../widget/strings', 'boundaries/dependencies'],
  ['components → server', 'src/components/x/x.ts', '../../server/offline/index', 'boundaries/dependencies'],
  [
    'components → a module inside core',
    'src/components/x/x.ts',
    '../../core/chat/request',
    'no-restricted-imports',
  ],
  ['widget → server', 'src/widget/x.ts', '../server/index', 'boundaries/dependencies'],
  ['server → hooks', 'src/server/x.ts', '../hooks/use-chat', 'boundaries/dependencies'],
  [
    'server → components',
    'src/server/x.ts',
    '../components/token-meter/token-meter',
    'boundaries/dependencies',
  ],
  ['server → widget', 'src/server/x.ts', '../widget/strings', 'boundaries/dependencies'],
  ['the parlance entry → server', 'src/x.ts', './server', 'no-restricted-imports'],
];

const allowed: [arrow: string, filePath: string, specifier: string][] = [
  ['core → core', 'src/core/chat/x.ts', '../errors'],
  ['hooks → the public core', 'src/hooks/x.ts', '../core'],
  ['hooks → core/internal/sleep', 'src/hooks/x.ts', '../core/internal/sleep'],
  ['hooks → hooks', 'src/hooks/x.ts', './parlance-provider'],
  ['components → hooks', 'src/components/x/x.ts', '../../hooks/use-chat'],
  ['components → the public core', 'src/components/x/x.ts', '../../core'],
  ['widget → components', 'src/widget/x.ts', '../components/token-meter/token-meter'],
  ['server → core', 'src/server/x.ts', '../core/errors'],
];

const source = (specifier: string) => `import * as m from '${specifier}';\n\nexport const used = m;\n`;

describe('a forbidden import is reported', () => {
  test.each(forbidden)('%s', async (_arrow, filePath, specifier, rule) => {
    expect(await brokenRules(filePath, source(specifier))).toContain(rule);
  });
});

describe('an allowed import is not', () => {
  test.each(allowed)('%s', async (_arrow, filePath, specifier) => {
    expect(await brokenRules(filePath, source(specifier))).toEqual([]);
  });
});
