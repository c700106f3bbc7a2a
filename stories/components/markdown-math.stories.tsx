import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';

import { Markdown } from 'parlance';

const meta = {
  title: 'Components/Markdown/Math',
  component: Markdown,
  args: { children: '' },
} satisfies Meta<typeof Markdown>;

export default meta;
type Story = StoryObj<typeof meta>;

const REPLY = [
  'The roots of $ax^2 + bx + c = 0$ are',
  '',
  '$$',
  'x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}',
  '$$',
  '',
  'and Euler wrote \\(e^{i\\pi} + 1 = 0\\). A kite costs $5 and its line $10.',
  '',
  '\\[',
  '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  '\\]',
].join('\n');

/** Inline and displayed formulas, in the four notations; dollar amounts stay text. */
export const Formulas: Story = {
  args: { children: REPLY },
  play: async ({ canvasElement }) => {
    // Temml loads on the first formula: the source shows as code until then.
    await waitFor(
      () =>
        expect(canvasElement.querySelectorAll('[data-slot="math"][data-state="rendered"]')).toHaveLength(4),
      { timeout: 20_000 },
    );
    await expect(canvasElement.querySelectorAll('math[display="block"]')).toHaveLength(2);
    await expect(canvasElement.textContent).toContain('A kite costs $5 and its line $10.');
  },
};

/** What cannot render shows as its source, with the reason on hover; TeX makes no links or images. */
export const UnsafeOrInvalid: Story = {
  args: {
    children: [
      'A link in TeX shows its text only: $\\href{javascript:alert(1)}{\\text{click}}$.',
      '',
      'An image is refused: $\\includegraphics{https://example.com/a.png}$.',
      '',
      'A typo: $\\frac{1}{$.',
    ].join('\n'),
  },
  play: async ({ canvasElement }) => {
    await waitFor(
      () =>
        expect(canvasElement.querySelectorAll('[data-slot="math"][data-state="loading"]')).toHaveLength(0),
      { timeout: 20_000 },
    );
    await expect(canvasElement.querySelectorAll('[data-slot="math"][data-state="error"]')).toHaveLength(2);
    await expect(canvasElement.querySelectorAll('a, img, [href]')).toHaveLength(0);
    await expect(canvasElement.querySelector('math')?.textContent).toContain('click');
  },
};
