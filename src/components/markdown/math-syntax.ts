import type { MarkedOptions, TokenizerExtensionFunction, TokenizerStartFunction, Tokens } from 'marked';

/** A formula in a reply: `$…$` or `\(…\)` inline, `$$…$$` or `\[…\]` displayed. */
export interface MathToken extends Tokens.Generic {
  type: 'math';
  raw: string;
  /** The TeX source between the delimiters. */
  tex: string;
  /** Displayed (its own line, larger operators) rather than inline. */
  display: boolean;
}

// Display math may span lines but, as in LaTeX, never a blank line: so a streamed reply's blocks
// end where they would without math, and an unclosed `$$` stays a paragraph of text.
const BLANK_LINE = /\n[ \t]*\n/;
const BLOCK_DOLLARS = /^ {0,3}\$\$(?!\$)([\s\S]+?)\$\$[ \t]*(?:\n|$)/;
const BLOCK_BRACKETS = /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n|$)/;
const BLOCK_START = /\n {0,3}(?:\$\$|\\\[)/;
const INLINE_DISPLAY_DOLLARS = /^\$\$(?!\$)((?:\\[\s\S]|[^\\$])+?)\$\$(?!\$)/;
// `$…$`: no space just inside either dollar and no digit right after the closing one, so "$5 and
// $10", "$5-$10" and "US$ 5" stay text (the rule pandoc uses).
const INLINE_DOLLARS = /^\$(?![\s$])((?:\\[\s\S]|[^\\$\n])*?(?:\\[\s\S]|[^\s\\$]))\$(?![\d$])/;
const INLINE_PARENS = /^\\\(([\s\S]+?)\\\)/;
const INLINE_BRACKETS = /^\\\[([\s\S]+?)\\\]/;
const INLINE_START = /\$|\\[([]/;

function token(raw: string, tex: string, display: boolean): MathToken | undefined {
  if (BLANK_LINE.test(tex) || tex.trim() === '') return undefined;
  return { type: 'math', raw, tex: tex.trim(), display };
}

const block: TokenizerExtensionFunction = (src) => {
  const first = src.trimStart()[0];
  if (first !== '$' && first !== '\\') return undefined;
  const match = BLOCK_DOLLARS.exec(src) ?? BLOCK_BRACKETS.exec(src);
  return match ? token(match[0], match[1]!, true) : undefined;
};

const blockStart: TokenizerStartFunction = (src) => {
  const match = BLOCK_START.exec(src);
  return match ? match.index + 1 : undefined;
};

const inline: TokenizerExtensionFunction = (src) => {
  const first = src[0];
  if (first === '$') {
    const display = INLINE_DISPLAY_DOLLARS.exec(src);
    if (display) return token(display[0], display[1]!, true);
    if (src[1] === '$') return undefined;
    const match = INLINE_DOLLARS.exec(src);
    return match ? token(match[0], match[1]!, false) : undefined;
  }
  if (first === '\\') {
    const match = INLINE_PARENS.exec(src);
    if (match) return token(match[0], match[1]!, false);
    const display = INLINE_BRACKETS.exec(src);
    return display ? token(display[0], display[1]!, true) : undefined;
  }
  return undefined;
};

const inlineStart: TokenizerStartFunction = (src) => {
  const match = INLINE_START.exec(src);
  return match ? match.index : undefined;
};

/**
 * The lexer options that make marked read math: `$$…$$` and `\[…\]` on their own lines are
 * blocks; `$…$`, `\(…\)` (and `$$…$$`, `\[…\]` within a line) are inline. Code spans and code
 * blocks keep their dollars, and a backslash-escaped `\$` is a dollar.
 */
export const mathExtensions: NonNullable<MarkedOptions['extensions']> = {
  renderers: {},
  childTokens: {},
  block: [block],
  inline: [inline],
  startBlock: [blockStart],
  startInline: [inlineStart],
};

/** Whether marked's token is a formula. */
export function isMathToken(value: { type: string }): value is MathToken {
  return value.type === 'math';
}
