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

/** A real PNG of the given size, drawn on a canvas. */
async function png(name: string, width: number, height: number): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#2563eb';
  context.fillRect(0, 0, width / 2, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

/** Image attachments: picked files show as previews and can be removed. */
export const WithImages: Story = {
  args: { allowImages: true },
  play: async ({ canvasElement, canvas, args }) => {
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!;
    const cat = await png('cat.png', 64, 48);
    await userEvent.upload(input, cat);
    await expect(canvas.getByRole('img', { name: 'cat.png' })).toBeInTheDocument();
    await userEvent.click(canvas.getByRole('button', { name: 'Remove cat.png' }));
    await expect(canvas.queryByRole('img', { name: 'cat.png' })).toBeNull();
    await userEvent.upload(input, cat);
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    // The image is prepared (decoded, checked, read as a data URL) before onSend: asynchronous.
    await waitFor(
      () =>
        expect(args.onSend).toHaveBeenCalledWith([
          { type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) } },
        ]),
      { timeout: 5_000 },
    );
  },
};

/**
 * Files: a large image is scaled for vision models (longest side 2048), a text file becomes a
 * named text part, a PDF a `file` part (the model reads PDFs).
 */
export const WithFiles: Story = {
  args: { allowImages: true, allowFiles: true, model: 'gpt-4o' },
  play: async ({ canvasElement, canvas, args }) => {
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!;
    await expect(canvas.getByRole('button', { name: 'Attach files' })).toBeEnabled();
    await userEvent.upload(input, [
      await png('wide.png', 3000, 1000),
      new File(['a,b\n1,2\n'], 'data.csv', { type: 'text/csv' }),
      new File(['%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n'], 'paper.pdf', { type: 'application/pdf' }),
    ]);
    await expect(canvas.getByRole('img', { name: 'wide.png' })).toBeInTheDocument();
    await expect(canvas.getByText('data.csv')).toBeVisible();
    await expect(canvas.getByText('paper.pdf')).toBeVisible();
    await waitFor(
      () =>
        expect(canvasElement.querySelectorAll('.parlance-attachment[data-status="ready"]')).toHaveLength(3),
      { timeout: 10_000 },
    );
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Compare these{Enter}');
    await waitFor(() => expect(args.onSend).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    const [content] = (args.onSend as unknown as { mock: { calls: [Array<Record<string, unknown>>][] } }).mock
      .calls[0]!;
    await expect(content.map((part) => part.type)).toEqual(['text', 'image_url', 'text', 'file']);
    await expect(content[2]).toEqual({ type: 'text', text: '<file name="data.csv">\na,b\n1,2\n\n</file>' });
    const image = new Image();
    image.src = (content[1]!.image_url as { url: string }).url;
    await image.decode();
    await expect([image.naturalWidth, image.naturalHeight]).toEqual([2048, 683]);
  },
};

/** A file that cannot be attached is refused with its name and the reason, until dismissed. */
export const RefusedFiles: Story = {
  args: { allowImages: true, allowFiles: true, model: 'gpt-3.5-turbo' },
  play: async ({ canvasElement, canvas }) => {
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!;
    await userEvent.upload(input, [
      new File(['%PDF-1.4\n'], 'paper.pdf', { type: 'application/pdf' }),
      new File([new Uint8Array([0, 1, 2])], 'song.mp3', { type: 'audio/mpeg' }),
      new File([new Uint8Array([137, 80, 78, 71])], 'broken.png', { type: 'image/png' }),
    ]);
    const alert = canvas.getByRole('alert');
    await expect(alert).toHaveTextContent('paper.pdf was not attached: this model does not read PDF files.');
    await expect(alert).toHaveTextContent(
      'song.mp3 was not attached: it is not an image, a text file or a PDF.',
    );
    await waitFor(() =>
      expect(alert).toHaveTextContent('broken.png was not attached: the image could not be prepared.'),
    );
    await expect(canvasElement.querySelectorAll('.parlance-attachment')).toHaveLength(0);
    for (const button of canvas.getAllByRole('button', { name: 'Dismiss' })) await userEvent.click(button);
    await expect(alert).toBeEmptyDOMElement();
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
