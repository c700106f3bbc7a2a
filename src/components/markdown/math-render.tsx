import type { ReactNode } from 'react';
import type { Token } from 'marked';

import { MathFormula } from './math';
import { isMathToken } from './math-syntax';

/** A `math` token as a formula (`block`: a paragraph of its own). */
export function renderMath(token: Token, key: number, block: boolean): ReactNode {
  if (!isMathToken(token)) return token.raw;
  return (
    <MathFormula key={key} tex={token.tex} display={token.display} raw={token.raw.trim()} block={block} />
  );
}
