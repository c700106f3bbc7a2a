import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor } from 'storybook/test';

import { Composer } from 'parlance';

const meta = {
  title: 'Components/Composer',
  component: Composer,
  args: { onSend: fn(), onStop: fn(), onValueChange: fn() },
  parameters: { parlance: { height: 'auto' } },
} satisfies Meta<typeof Composer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Enter sends, Shift+Enter breaks the line. */
export const Default: Story = {
  play: async ({ canvas, args }) => {
    const box = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, 'First line{Shift>}{Enter}{/Shift}second line');
    await expect(args.onSend).not.toHaveBeenCalled();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSend).toHaveBeenCalledWith('First line\nsecond line');
    await expect(box).toHaveValue('');
  },
};

/** While a reply streams, the Send button becomes Stop. */
export const Streaming: Story = {
  args: { status: 'streaming', defaultValue: 'Next question' },
  play: async ({ canvas, args }) => {
    await expect(canvas.queryByRole('button', { name: 'Send' })).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await expect(args.onStop).toHaveBeenCalled();
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), '{Enter}');
    await expect(args.onSend).not.toHaveBeenCalled();
  },
};

/** Disabled, with the reason shown and tied to the textarea. */
export const Disabled: Story = {
  args: { disabled: 'Sign in to chat.' },
  play: async ({ canvas }) => {
    const box = canvas.getByRole('textbox', { name: 'Message' });
    await expect(box).toBeDisabled();
    await expect(box).toHaveAccessibleDescription('Sign in to chat.');
  },
};

/** The draft's token count and the room left. */
export const WithTokenCount: Story = {
  args: { defaultValue: 'How long is this?', tokens: { count: 5, remaining: 4011 } },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('5 tokens · 4,011 left')).toBeVisible();
  },
};

/** Image attachments: picked files show as previews and can be removed. */
export const WithImages: Story = {
  args: { allowImages: true },
  play: async ({ canvasElement, canvas, args }) => {
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!;
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });
    await userEvent.upload(input, png);
    await expect(canvas.getByRole('img', { name: 'cat.png' })).toBeInTheDocument();
    await userEvent.click(canvas.getByRole('button', { name: 'Remove cat.png' }));
    await expect(canvas.queryByRole('img', { name: 'cat.png' })).toBeNull();
    await userEvent.upload(input, png);
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    // The file is read as a data URL before onSend: asynchronous, and slow on a busy machine.
    await waitFor(
      () =>
        expect(args.onSend).toHaveBeenCalledWith([
          { type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) } },
        ]),
      { timeout: 5_000 },
    );
  },
};

export const ZhCN: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  play: async ({ canvas, args }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: '消息' }), '你好');
    await userEvent.click(canvas.getByRole('button', { name: '发送' }));
    await expect(args.onSend).toHaveBeenCalledWith('你好');
  },
};
