import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';

import { TokenMeter, type TokenMessage } from 'parlance';

const meta = {
  title: 'Components/TokenMeter',
  component: TokenMeter,
  parameters: { parlance: { height: 'auto' } },
} satisfies Meta<typeof TokenMeter>;

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

/** Example prices only (per million tokens): Parlance ships none; apps give their provider's. */
const EXAMPLE_PRICES = { 'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 } };

/** With a price for the model: what the next request can cost at most, and what was spent. */
export const WithCost: Story = {
  args: {
    model: 'gpt-4o',
    maxTokens: 500,
    prices: EXAMPLE_PRICES,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello!' },
      {
        role: 'assistant',
        content: 'Hi! How can I help?',
        usage: { prompt_tokens: 1_200, completion_tokens: 300, total_tokens: 1_500 },
      } as TokenMessage,
      { role: 'user', content: 'Plan a three-day trip to Kyoto.' },
    ],
  },
  play: async ({ canvasElement }) => {
    const cost = () => canvasElement.querySelector('[data-slot="request-cost"]');
    await waitFor(() => expect(cost()?.textContent).toMatch(/^up to \$0\.00\d+$/), { timeout: 10_000 });
    await expect(canvasElement.querySelector('[data-slot="reply-room"]')).toHaveTextContent('500');
    // 1,200 × $2.5 + 300 × $10 per million.
    await expect(canvasElement.querySelector('[data-slot="conversation-cost"]')).toHaveTextContent('$0.006');
  },
};

export const WithCostZhCN: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  args: {
    promptTokens: 12_345,
    replyRoom: 4_096,
    contextWindow: 128_000,
    droppedCount: 0,
    cost: { input: 0.0308625, maxOutput: 0.04096, total: 0.0718225, currency: 'USD' },
    conversationCost: { input: 1.5, cachedInput: 0, output: 2, total: 3.5, currency: 'USD' },
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('12,345')).toBeVisible();
    await expect(canvas.getByText('最多 US$0.07182')).toBeVisible();
    await expect(canvas.getByText('US$3.50')).toBeVisible();
  },
};
