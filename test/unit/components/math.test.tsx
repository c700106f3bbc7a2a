// @vitest-environment jsdom
import { render, waitFor } from '@testing-library/react';
import { Lexer, type Token } from 'marked';
import { describe, expect, it } from 'vitest';

import { Markdown } from 'parlance';

import { BlockSplitter } from '../../../src/components/markdown/blocks';
import { mathExtensions, type MathToken } from '../../../src/components/markdown/math-syntax';

function tokensOf(markdown: string): Token[] {
  const found: Token[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      found.push(token);
      if ('tokens' in token && Array.isArray(token.tokens)) walk(token.tokens as Token[]);
    }
  };
  walk(Lexer.lex(markdown, { gfm: true, extensions: mathExtensions }));
  return found;
}

const formulas = (markdown: string) =>
  tokensOf(markdown)
    .filter((t): t is MathToken => t.type === 'math')
    .map((t) => [t.tex, t.display]);

describe('math syntax', () => {
  it('reads inline and display math in the four notations', () => {
    expect(formulas('Euler: $e^{i\\pi}+1=0$ and \\(a^2\\).')).toEqual([
      ['e^{i\\pi}+1=0', false],
      ['a^2', false],
    ]);
    expect(formulas('$$\n\\frac{a}{b}\n$$')).toEqual([['\\frac{a}{b}', true]]);
    expect(formulas('\\[\n\\sum_{i=1}^n i\n\\]')).toEqual([['\\sum_{i=1}^n i', true]]);
    expect(formulas('so $$x^2$$ within a line')).toEqual([['x^2', true]]);
    expect(formulas('Text first:\n$$\ny = mx + b\n$$\nand after.')).toEqual([['y = mx + b', true]]);
  });

  it('leaves dollar amounts, escaped dollars and code alone', () => {
    for (const text of [
      'It costs $5 and $10.',
      'From $5-$10 a month',
      'between $20 and $30, or $ 5$',
      'Price: \\$5 and \\$6$',
      'Use `$x$` in code',
      '```\n$$x$$\n```',
      'US$5, then $',
    ]) {
      expect(formulas(text), text).toEqual([]);
    }
  });

  it('keeps an unclosed display formula as text, and reads it once closed', () => {
    const splitter = new BlockSplitter();
    const open = splitter.split('Here:\n\n$$\n\\int_0^1 x\\,dx', true);
    expect(open.flatMap((b) => b.tokens).some((t) => t.type === 'math')).toBe(false);
    expect(open.at(-1)!.tokens[0]!.type).toBe('paragraph');
    const closed = splitter.split('Here:\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nDone.', true);
    expect(closed.map((b) => b.tokens[0]?.type)).toEqual(['paragraph', 'math', 'paragraph']);
  });

  it('streams to the blocks of a one-shot split', () => {
    const text =
      'Intro $a+b$ text.\n\n$$\nE = mc^2\n$$\n\nCosts $5 and $10.\n\n\\[\n\\alpha\n\\]\n\nEnd \\(x\\).';
    const streamed = new BlockSplitter();
    for (let end = 1; end <= text.length; end += 3) streamed.split(text.slice(0, end), true);
    const final = streamed.split(text, false);
    const oneShot = new BlockSplitter().split(text, false);
    expect(final.map((b) => [b.key, b.raw])).toEqual(oneShot.map((b) => [b.key, b.raw]));
    expect(final.map((b) => b.tokens[0]?.type)).toEqual([
      'paragraph',
      'math',
      'paragraph',
      'math',
      'paragraph',
    ]);
  });
});

describe('<Markdown> with math', () => {
  it('renders formulas as MathML once the renderer has loaded, and keeps dollar amounts as text', async () => {
    const { container } = render(<Markdown>{'Euler: $e^{i\\pi}+1=0$. It costs $5 and $10.'}</Markdown>);
    await waitFor(() =>
      expect(container.querySelector('[data-slot="math"]')?.getAttribute('data-state')).toBe('rendered'),
    );
    const math = container.querySelector('math')!;
    expect(math).not.toBeNull();
    expect(math.querySelector('annotation')?.textContent).toBe('e^{i\\pi}+1=0');
    expect(container.textContent).toContain('It costs $5 and $10.');
    expect(container.querySelectorAll('[data-slot="math"]')).toHaveLength(1);
  });

  it('makes no links, images, HTML or scripts from TeX', async () => {
    const tex = [
      '$\\href{javascript:alert(1)}{click}$',
      '$\\url{https://evil.example/x}$',
      '$\\includegraphics{https://evil.example/a.png}$',
      '$\\htmlClass{x}{y}$',
      '$\\text{<img src=x onerror=alert(1)>}$',
      '$\\style{background:url(https://evil.example)}{x}$',
    ].join('\n\n');
    const { container } = render(<Markdown>{tex}</Markdown>);
    await waitFor(() =>
      expect(container.querySelectorAll('[data-slot="math"][data-state="loading"]')).toHaveLength(0),
    );
    expect(container.querySelectorAll('a, img, script, [href], [src], [style*="url"]')).toHaveLength(0);
    expect(
      container.querySelectorAll('[data-slot="math"][data-state="rendered"]').length,
    ).toBeGreaterThanOrEqual(3);
    // What Temml refuses shows as its source, with the reason on hover.
    const refused = container.querySelector('[data-slot="math"][data-state="error"] code')!;
    expect(refused.getAttribute('title')).toMatch(/not trusted|Unsupported|Undefined/i);
  });

  it('answers a 100 KB formula and a runaway macro quickly, with their source', async () => {
    const huge = `$$${'x^2+'.repeat(25_000)}x$$`;
    const started = performance.now();
    const { container } = render(
      <Markdown>{`${huge}\n\n$\\def\\a{\\a\\a}\\a$\n\n$${'{'.repeat(5000)}x${'}'.repeat(5000)}$`}</Markdown>,
    );
    await waitFor(() =>
      expect(container.querySelectorAll('[data-slot="math"][data-state="error"]')).toHaveLength(3),
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(container.querySelector('math')).toBeNull();
  });
});
