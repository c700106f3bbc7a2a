import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { Markdown } from 'parlance';

describe('Markdown code blocks', () => {
  it('paints plain code first and highlights it once lowlight has loaded', async () => {
    const screen = await render(<Markdown>{'```ts\nexport const answer = 42;\n```'}</Markdown>);
    const root = screen.container as HTMLElement;
    expect(root.querySelector('code')?.textContent).toBe('export const answer = 42;');
    await expect
      .poll(() => root.querySelector('.hljs-keyword')?.textContent, { timeout: 20_000 })
      .toBe('export');
    expect(root.querySelector('code')?.textContent).toBe('export const answer = 42;');
  });
});
