// Finds the code in the documentation: fenced blocks in Markdown, and `@example` blocks in JSDoc.

/** One code block, where it was found, and whether (and why) it is opted out of checking. */
export interface CodeBlock {
  /** The file it came from, relative to the repository root. */
  source: string;
  /** 1-based line of the opening fence (or of the `@example` tag). */
  line: number;
  /** 1-based line of the block's first line of code. */
  codeLine: number;
  /** The fence's language, lower-cased; `''` when the fence names none. */
  lang: string;
  code: string;
  /** The reason given by a `<!-- docs-check: skip (reason) -->` marker before the block. */
  skip?: string;
}

/** The languages whose blocks are type-checked, and the file extension each compiles as. */
export const typeScriptLanguages: Record<string, 'ts' | 'tsx'> = { ts: 'ts', typescript: 'ts', tsx: 'tsx' };

const fenceOpen = /^ {0,3}(`{3,}|~{3,})\s*([^\s`{]*)/;
const skipMarker = /^<!--\s*docs-check:\s*skip\s*(?:\((.*)\))?\s*-->$/;

/**
 * The fenced code blocks of a CommonMark document. A block preceded (blank lines aside) by
 * `<!-- docs-check: skip (reason) -->` carries that reason in `skip`; a marker without a reason
 * gives `skip: ''`, which the check rejects.
 */
export function markdownCodeBlocks(source: string, markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let lastText = '';
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen.exec(lines[i]!);
    if (!open) {
      if (lines[i]!.trim() !== '') lastText = lines[i]!.trim();
      continue;
    }
    const fence = open[1]!;
    const indent = lines[i]!.length - lines[i]!.trimStart().length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const trimmed = line.trimStart();
      if (
        line.length - trimmed.length <= 3 &&
        trimmed.startsWith(fence[0]!.repeat(fence.length)) &&
        trimmed.replace(/^[`~]+/, '').trim() === ''
      ) {
        break;
      }
      // Content lines lose up to the fence's own indentation, as CommonMark says.
      body.push(line.replace(new RegExp(`^ {0,${indent}}`), ''));
    }
    const marker = skipMarker.exec(lastText);
    blocks.push({
      source,
      line: i + 1,
      codeLine: i + 2,
      lang: open[2]!.toLowerCase(),
      code: body.join('\n'),
      ...(marker ? { skip: (marker[1] ?? '').trim() } : {}),
    });
    lastText = '';
    i = j;
  }
  return blocks;
}

/**
 * The `@example` blocks of the JSDoc comments in a source file. An example is the text after the
 * tag up to the next tag or the comment's end; when it holds a fence, the fenced code (and its
 * language), else the whole text as `tsx`.
 */
export function jsdocExamples(source: string, text: string): CodeBlock[] {
  const examples: CodeBlock[] = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let match = comment.exec(text); match; match = comment.exec(text)) {
    const startLine = text.slice(0, match.index).split('\n').length;
    const lines = match[0]
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, ''));
    for (let i = 0; i < lines.length; i++) {
      const tag = /^\s*@example\b\s?(.*)$/.exec(lines[i]!);
      if (!tag) continue;
      const body: string[] = tag[1]!.trim() ? [tag[1]!] : [];
      let j = i + 1;
      while (j < lines.length && !/^\s*@\w/.test(lines[j]!)) body.push(lines[j++]!);
      const [fenced] = markdownCodeBlocks(source, body.join('\n'));
      const bodyLine = startLine + i + (tag[1]!.trim() ? 0 : 1);
      const leading = body.findIndex((line) => line.trim() !== '');
      examples.push({
        source,
        line: startLine + i,
        codeLine: fenced ? bodyLine + fenced.codeLine - 1 : bodyLine + leading,
        lang: fenced ? fenced.lang : 'tsx',
        code: fenced ? fenced.code : body.join('\n').trim(),
      });
      i = j - 1;
    }
  }
  return examples;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown document's headings (outside code blocks). */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(line.text);
    if (heading) anchors.add(headingAnchor(heading[1]!));
  }
  return anchors;
}

/** Relative links (`[text](path#anchor)`) outside code blocks, with their lines. */
export function markdownLinks(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  for (const line of proseLines(markdown)) {
    for (const match of line.text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z][a-z+.-]*:/i.test(match[1]!)) links.push({ target: match[1]!, line: line.line });
    }
  }
  return links;
}

function proseLines(markdown: string): { text: string; line: number }[] {
  const lines = markdown.split(/\r?\n/).map((text, i) => ({ text, line: i + 1 }));
  const inCode = new Set<number>();
  for (const block of markdownCodeBlocks('', markdown)) {
    const end = block.codeLine + (block.code === '' ? 0 : block.code.split('\n').length);
    for (let line = block.line; line <= end; line++) inCode.add(line);
  }
  return lines.filter((line) => !inCode.has(line.line));
}
