import { Lexer, type Token, type Tokens, type TokensList } from 'marked';

import { mathExtensions } from './math-syntax';

/** One top-level markdown block, keyed by where it starts in the source. */
export interface MarkdownBlock {
  /** The offset of the block in the (normalised) source: stable while a reply grows. */
  key: number;
  raw: string;
  tokens: Token[];
  /** The last block of a streaming reply: it may still change. */
  live: boolean;
}

/**
 * Splits markdown into blocks incrementally. Blocks a streaming reply has finished (every one but
 * the last) are kept, with their tokens, and never lexed again; each new chunk lexes only the
 * text from the start of the last block on.
 */
export class BlockSplitter {
  #source = '';
  #offset = 0;
  #finished: MarkdownBlock[] = [];
  /** The heading depths used by the finished blocks. */
  #finishedDepths = new Set<number>();
  /** The last split found one block from `#offset` on (so a line that grows keeps it one block). */
  #single = false;

  /** The blocks of `source`. `streaming` keeps the last block live (and repairs half-written syntax). */
  split(rawSource: string, streaming: boolean): MarkdownBlock[] {
    const source = normalize(rawSource);
    // A chunk with no line break that grows a single streaming block leaves where the blocks start
    // as it was, but for a block that starts on the growing line (a `#` after a paragraph), which
    // the whole lex below still renders as what it is: only which blocks are kept finished waits
    // for the next line break. So the block scan is skipped, which is most chunks.
    const grewLine =
      streaming &&
      this.#single &&
      source.length > this.#source.length &&
      source.indexOf('\n', this.#source.length) === -1 &&
      source.startsWith(this.#source);
    if (grewLine) {
      this.#source = source;
      const lastRaw = source.slice(this.#offset);
      return [
        ...this.#finished,
        { key: this.#offset, raw: lastRaw, tokens: lex(repairPartial(lastRaw)), live: true },
      ];
    }
    if (!source.startsWith(this.#source.slice(0, this.#offset))) {
      this.#offset = 0;
      this.#finished = [];
      this.#finishedDepths.clear();
    }
    this.#source = source;
    // The tail (from the last block's start on) is parsed once: its finished blocks keep these
    // tokens, and so does the last block when it needs no repair.
    const { aligned, content } = this.#pieces(lex(source.slice(this.#offset)));
    // The last block stays out of the cache even when the reply is done, since `continue` may
    // append to it.
    const keep = aligned ? content.length - 1 : 0;
    for (let i = 0; i < keep; i++) {
      const { start, token } = content[i]!;
      this.#finished.push({ key: start, raw: token.raw, tokens: [token], live: false });
      if (token.type === 'heading') this.#finishedDepths.add((token as Tokens.Heading).depth);
    }
    const last = content[keep];
    this.#single = aligned && last !== undefined;
    if (!last) {
      this.#offset = source.length;
      return this.#finished.slice();
    }
    this.#offset = last.start;
    const lastRaw = source.slice(last.start);
    const text = streaming ? repairPartial(lastRaw) : lastRaw;
    const lastTokens = text === lastRaw && aligned ? [last.token] : lex(text);
    return [...this.#finished, { key: last.start, raw: lastRaw, tokens: lastTokens, live: streaming }];
  }

  /**
   * The heading depths `blocks` (this splitter's last result) use, shallowest first: those of the
   * finished blocks are kept as blocks finish, so a streamed frame only looks at the live block.
   */
  headingDepths(blocks: readonly MarkdownBlock[]): number[] {
    const found = new Set(this.#finishedDepths);
    // The last block is never among the finished ones (a `continue` may still append to it).
    for (const token of blocks.at(-1)?.tokens ?? []) {
      if (token.type === 'heading') found.add((token as Tokens.Heading).depth);
    }
    return [...found].sort((a, b) => a - b);
  }

  #pieces(tokens: readonly Token[]): { aligned: boolean; content: { start: number; token: Token }[] } {
    const pieces: { start: number; token: Token }[] = [];
    let position = this.#offset;
    for (const token of tokens) {
      pieces.push({ start: position, token });
      position += token.raw.length;
    }
    return {
      // marked consumes every character into some token's raw; if that ever fails to hold, keep
      // the whole tail as one block rather than cut a block in the wrong place.
      aligned: position === this.#source.length,
      content: pieces.filter((p) => p.token.type !== 'space' && p.token.type !== 'def'),
    };
  }
}

function cells(row: string): number {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').length;
}

const OPTIONS = { gfm: true, breaks: false, extensions: mathExtensions } as const;

function lex(text: string): TokensList | Token[] {
  if (!text) return [];
  return Lexer.lex(text, OPTIONS);
}

function normalize(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Makes the growing end of a reply render as what it is becoming rather than as raw syntax: half a
 * link shows its text, half an image nothing, an unclosed `**`, `~~` or backtick is closed, and a
 * table shows nothing until its delimiter row has arrived. An open code fence is left alone: the
 * lexer already renders it as code.
 */
export function repairPartial(block: string): string {
  const lines = block.split('\n');
  if (lines.filter((line) => FENCE.test(line)).length % 2 === 1) return block;
  const first = lines[0]?.trim() ?? '';
  if (first.startsWith('|')) {
    const delimiter = lines[1];
    const complete =
      delimiter !== undefined &&
      TABLE_DELIMITER.test(delimiter) &&
      /-\s*\|?\s*$/.test(delimiter) &&
      cells(delimiter) === cells(first) &&
      // Until the closing pipe arrives, the last cell may still be growing.
      (!first.endsWith('|') || delimiter.trim().endsWith('|'));
    if (!complete) return '';
    // A half-written row would show its cells shifting; keep rows that are complete.
    const last = lines[lines.length - 1]!;
    if (lines.length > 2 && !last.trimEnd().endsWith('|')) lines.pop();
    return lines.join('\n');
  }
  // What is cut short is on the last line (none of these patterns crosses a line break): the
  // patterns run on it alone, so a frame does not scan the whole block for them.
  const lineStart = block.lastIndexOf('\n') + 1;
  let line = block.slice(lineStart);
  line = line.replace(/!\[[^\]\n]*(\]\([^)\n]*)?$/, '');
  line = line.replace(/!\[[^\]\n]*\]$/, '');
  line = line.replace(/\[([^\]\n]*)\]\([^)\n]*$/, '$1');
  line = line.replace(/\[([^\]\n]*)\]?$/, '$1');
  line = line.replace(/(?<=\S)[*_~`]+$/, '').replace(/(^|\s)[*_~`]+$/, '$1');
  let text = block.slice(0, lineStart) + line;
  const paragraph = text.slice(text.lastIndexOf('\n\n') + 1);
  const outsideCode = paragraph.replace(/`[^`\n]*`/g, '');
  if ((paragraph.match(/`/g)?.length ?? 0) % 2 === 1) return `${text}\``;
  if ((outsideCode.match(/\*\*/g)?.length ?? 0) % 2 === 1) text += '**';
  if ((outsideCode.match(/~~/g)?.length ?? 0) % 2 === 1) text += '~~';
  return text;
}
