// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { Lexer } from 'marked';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { Markdown, ParlanceProvider } from 'parlance';

import { BlockSplitter, repairPartial } from '../../../src/components/markdown/blocks';

afterEach(() => vi.restoreAllMocks());

describe('BlockSplitter', () => {
  it('keeps finished blocks and lexes only from the last block on', () => {
    const splitter = new BlockSplitter();
    const first = splitter.split('# Title\n\nFirst paragraph.\n\nSecond', true);
    expect(first.map((b) => b.live)).toEqual([false, false, true]);
    const lex = vi.spyOn(Lexer, 'lex');
    const second = splitter.split('# Title\n\nFirst paragraph.\n\nSecond paragraph grows', true);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(lex).toHaveBeenCalledTimes(1);
    expect(lex.mock.calls[0]![0]).toBe('Second paragraph grows');
  });

  it('streamed piece by piece, ends with the blocks of a one-shot split', () => {
    const text = [
      '## Part 1',
      '',
      'Some **bold** text, a [link](https://example.com/a) and `code`.',
      '',
      '- one',
      '- two with ~~old~~ new',
      '- [x] done',
      '',
      '| Name | Value |',
      '| --- | ---: |',
      '| alpha | 3 |',
      '',
      '```ts',
      'const x = 1;',
      '```',
      '',
      '> quoted',
      '',
      '1. first',
      '2. second',
      '',
      'Last paragraph.',
    ].join('\n');
    const streamed = new BlockSplitter();
    for (let end = 1; end <= text.length; end += 7) streamed.split(text.slice(0, end), true);
    const final = streamed.split(text, false);
    const oneShot = new BlockSplitter().split(text, false);
    expect(final.map((b) => [b.key, b.raw, b.live])).toEqual(oneShot.map((b) => [b.key, b.raw, b.live]));
    expect(final.map((b) => [...b.tokens])).toEqual(oneShot.map((b) => [...b.tokens]));
    expect(final.map((b) => b.tokens[0]?.type)).toEqual([
      'heading',
      'paragraph',
      'list',
      'table',
      'code',
      'blockquote',
      'list',
      'paragraph',
    ]);
  });

  it('renders every streamed step as a fresh split would, also when a block starts on the growing line', () => {
    // Blocks that interrupt a paragraph with no blank line (a heading, a list, a fence, a quote)
    // start on a line that grows chunk by chunk without a line break.
    const text = [
      'Intro paragraph',
      '## A heading typed right after it',
      'More text',
      '- a list that interrupts',
      '- second item',
      'Paragraph again',
      '```js',
      'const y = 2; // code',
      '```',
      'Then a quote',
      '> quoted line',
      '',
      'End.',
    ].join('\n');
    const flat = (blocks: ReturnType<BlockSplitter['split']>) =>
      blocks.flatMap((b) => b.tokens.filter((t) => t.type !== 'space').map((t) => [t.type, t.raw]));
    for (const step of [1, 3, 5, 11]) {
      const streamed = new BlockSplitter();
      for (let end = 1; end <= text.length; end += step) {
        const prefix = text.slice(0, end);
        expect(flat(streamed.split(prefix, true)), `at ${end} of ${text.length}`).toEqual(
          flat(new BlockSplitter().split(prefix, true)),
        );
      }
      expect(streamed.split(text, false).map((b) => [b.key, b.raw])).toEqual(
        new BlockSplitter().split(text, false).map((b) => [b.key, b.raw]),
      );
    }
  });

  it('starts over when the text is replaced', () => {
    const splitter = new BlockSplitter();
    splitter.split('One\n\nTwo', false);
    const blocks = splitter.split('Other\n\nText', false);
    expect(blocks.map((b) => b.raw.trim())).toEqual(['Other', 'Text']);
  });
});

describe('repairPartial', () => {
  it('shows half a link as its text and drops half an image', () => {
    expect(repairPartial('see [the docs](https://exa')).toBe('see the docs');
    expect(repairPartial('see [the do')).toBe('see the do');
    expect(repairPartial('look ![chart](https://x')).toBe('look ');
  });
  it('closes open emphasis and code', () => {
    expect(repairPartial('a **bold')).toBe('a **bold**');
    expect(repairPartial('a `code')).toBe('a `code`');
    expect(repairPartial('a ~~gone')).toBe('a ~~gone~~');
  });
  it('holds a table back until its delimiter row is there', () => {
    expect(repairPartial('| a | b |')).toBe('');
    expect(repairPartial('| a | b |\n| --- | -')).toBe('');
    expect(repairPartial('| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4')).toBe(
      '| a | b |\n| --- | --- |\n| 1 | 2 |',
    );
  });
  it('leaves an open code fence alone', () => {
    expect(repairPartial('```ts\nconst a = [1')).toBe('```ts\nconst a = [1');
  });
});

describe('Markdown', () => {
  it('shows raw HTML as text and neutralises dangerous links', () => {
    const { container } = render(
      <Markdown>
        {'<img src=x onerror="alert(1)"> and [click](javascript:alert(1)) and <script>x</script>'}
      </Markdown>,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(screen.getByText('click')).toHaveProperty('tagName', 'SPAN');
  });

  it('opens safe links in a new tab without an opener', () => {
    render(<Markdown>{'[docs](https://example.com/docs)'}</Markdown>);
    const link = screen.getByRole('link', { name: 'docs' });
    expect(link.getAttribute('href')).toBe('https://example.com/docs');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.getAttribute('rel')).toContain('noreferrer');
  });

  it('loads images only from allowed origins, else offers a link', () => {
    const { container, rerender } = render(
      <Markdown>{'![leak](https://evil.example/p.png?q=secret)'}</Markdown>,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: /Image not loaded: leak/ }).getAttribute('href')).toBe(
      'https://evil.example/p.png?q=secret',
    );
    rerender(
      <Markdown allowedImageOrigins={['https://evil.example']}>
        {'![leak](https://evil.example/p.png?q=secret)'}
      </Markdown>,
    );
    expect(container.querySelector('img')?.getAttribute('src')).toBe('https://evil.example/p.png?q=secret');
  });

  it('ranks headings below the window title without skipping levels, while streaming and after', () => {
    const text = '# Top\n\nIntro.\n\n### Third level\n\nBody.\n\n##### Fifth';
    const levels = (container: HTMLElement) =>
      [...container.querySelectorAll('h3, h4, h5, h6')].map((h) => `${h.tagName}:${h.textContent}`);
    const { container, rerender } = render(
      <Markdown streaming>{text.slice(0, text.indexOf('###'))}</Markdown>,
    );
    expect(levels(container)).toEqual(['H3:Top']);
    rerender(<Markdown streaming>{text.slice(0, text.indexOf('#####'))}</Markdown>);
    expect(levels(container)).toEqual(['H3:Top', 'H4:Third level']);
    rerender(<Markdown streaming>{text}</Markdown>);
    expect(levels(container)).toEqual(['H3:Top', 'H4:Third level', 'H5:Fifth']);
    rerender(<Markdown>{text}</Markdown>);
    expect(levels(container)).toEqual(['H3:Top', 'H4:Third level', 'H5:Fifth']);
    // A new text starts over: its only heading is the top one.
    rerender(<Markdown>{'##### Alone'}</Markdown>);
    expect(levels(container)).toEqual(['H3:Alone']);
  });

  it('renders GFM: tables, task lists, strikethrough, autolinks, entities', () => {
    const { container } = render(
      <Markdown>
        {'| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ www.example.com &amp; more'}
      </Markdown>,
    );
    expect(container.querySelectorAll('td')).toHaveLength(2);
    expect(container.querySelector('del')?.textContent).toBe('old');
    expect(screen.getByRole('link', { name: 'www.example.com' }).getAttribute('href')).toBe(
      'http://www.example.com/',
    );
    expect(container.textContent).toContain('☑ done');
    expect(container.textContent).toContain('& more');
  });

  it('speaks Chinese under a zh-CN provider', () => {
    render(
      <ParlanceProvider locale="zh-CN">
        <Markdown>{'![x](https://evil.example/a.png)'}</Markdown>
      </ParlanceProvider>,
    );
    expect(screen.getByRole('link', { name: /未加载图片/ })).toBeTruthy();
  });
});
