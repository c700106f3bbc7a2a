import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';

import { TokenMeter } from 'parlance';

const meta = { title: 'Components/TokenMeter', component: TokenMeter } satisfies Meta<typeof TokenMeter>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Fits: Story = {
  args: { promptTokens: 1200, replyRoom: 2896, contextWindow: 4096, droppedCount: 0 },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Everything fits.')).toBeVisible();
    await expect(canvas.getByRole('meter', { name: 'Token budget' })).toHaveAttribute('max', '4096');
  },
};

export const Trimming: Story = {
  args: { promptTokens: 3000, replyRoom: 1096, contextWindow: 4096, droppedCount: 6, droppedTokens: 2480 },
  play: async ({ canvas }) => {
    await expect(
      canvas.getByText('Trimming will leave out 6 earlier messages (2,480 tokens).'),
    ).toBeVisible();
  },
};

export const Overflow: Story = {
  args: { promptTokens: 5000, replyRoom: -904, contextWindow: 4096, overflow: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByText(/does not fit/)).toBeVisible();
  },
};

/** Counting a real conversation for a model, with the exact tokenizer. */
export const CountsAConversation: Story = {
  args: {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello!' },
    ],
  },
  play: async ({ canvasElement }) => {
    await waitFor(
      () => expect(canvasElement.querySelector('[data-slot="prompt-tokens"]')?.textContent).toMatch(/^\d+$/),
      { timeout: 10_000 },
    );
    await expect(canvasElement.querySelector('[data-slot="context-window"]')).toHaveTextContent('128,000');
  },
};

export const ZhCN: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  args: { promptTokens: 3000, replyRoom: 1096, contextWindow: 4096, droppedCount: 2, droppedTokens: 800 },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('裁剪将省略之前的 2 条消息（800 个 token）。')).toBeVisible();
  },
};
