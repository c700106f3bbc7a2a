import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';

import { ImageGallery, type ImageHistoryEntry } from 'parlance';
import '../../src/styles/images.css';

const swatch = (colour: string) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext('2d')!;
  context.fillStyle = colour;
  context.fillRect(0, 0, 64, 64);
  return canvas.toDataURL('image/png');
};

const base = { operation: 'generate' as const, error: null, createdAt: 0, reduced: null };
const pending: ImageHistoryEntry = {
  ...base,
  id: 'p',
  prompt: 'A lighthouse at dawn',
  n: 3,
  status: 'pending',
  images: [],
};
const queued: ImageHistoryEntry = {
  ...base,
  id: 'q',
  prompt: 'A quiet harbour',
  n: 2,
  status: 'queued',
  images: [],
};
const ready: ImageHistoryEntry = {
  ...base,
  id: 'r',
  prompt: 'A red fox in snow',
  n: 2,
  status: 'success',
  images: [
    { src: swatch('#ea580c'), revisedPrompt: 'A red fox curled up in fresh snow, morning light' },
    { src: swatch('#0284c7') },
  ],
};
const expired: ImageHistoryEntry = {
  ...base,
  id: 'e',
  prompt: 'An old map',
  n: 1,
  status: 'success',
  images: [{ src: 'https://images.parlance.test/expired.png', expiresAt: 1 }],
};
const failed: ImageHistoryEntry = {
  ...base,
  id: 'f',
  prompt: 'Something disallowed',
  n: 1,
  status: 'error',
  error: new Error('Your request was rejected as a result of our safety system.'),
  images: [],
};
const cancelled: ImageHistoryEntry = {
  ...base,
  id: 'c',
  prompt: 'Cancelled idea',
  n: 1,
  status: 'cancelled',
  images: [],
};

const meta = {
  title: 'Components/ImageGallery',
  component: ImageGallery,
  args: { requests: [], onEdit: fn(), onVary: fn(), onKeep: fn() },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof ImageGallery>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByText('No images yet.')).toBeVisible();
  },
};

/** One placeholder per requested image. */
export const Loading: Story = {
  args: { requests: [pending] },
  play: async ({ canvas }) => {
    await expect(canvas.getAllByText('Generating image…')).toHaveLength(3);
  },
};

/** Waiting for the client-side rate limit, with position and wait. */
export const Queued: Story = {
  args: { requests: [queued], queue: { id: 1, images: 2, position: 2, waitMs: 2400, readyAt: 0 } },
  play: async ({ canvas }) => {
    await expect(canvas.getAllByText('Waiting for the rate limit: position 2, about 3 s')).toHaveLength(2);
  },
};

/** Results with the revised prompt and every action, reachable by keyboard. */
export const Ready: Story = {
  args: { requests: [ready] },
  play: async ({ canvas, args, userEvent }) => {
    await expect(canvas.getAllByRole('img')).toHaveLength(2);
    await expect(canvas.getByText('A red fox curled up in fresh snow, morning light')).toBeVisible();
    await userEvent.tab();
    await expect(canvas.getAllByRole('link', { name: 'Download' })[0]).toHaveFocus();
    await userEvent.click(canvas.getAllByRole('button', { name: 'Vary this' })[1]!);
    await expect(args.onVary).toHaveBeenCalledWith(ready.images[1], ready);
  },
};

/** An unkept URL past its hour: an expired notice, never a broken image. */
export const Expired: Story = {
  args: { requests: [expired] },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('This image link has expired.')).toBeVisible();
    await expect(canvas.queryByRole('img')).toBeNull();
  },
};

export const Failed: Story = {
  args: { requests: [failed, cancelled] },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('alert')).toHaveTextContent('safety system');
    await expect(canvas.getByText('Cancelled')).toBeVisible();
  },
};

/** Every state at once, in Chinese. */
export const AllStatesChinese: Story = {
  args: { requests: [queued, pending, ready, expired, failed, cancelled], queue: null },
  parameters: { parlance: { locale: 'zh-CN' } },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('region', { name: '生成的图片' })).toBeVisible();
    await expect(canvas.getByText('此图片链接已过期。')).toBeVisible();
    await expect(canvas.getAllByRole('button', { name: '编辑此图' })).toHaveLength(2);
  },
};

export const Dark: Story = {
  args: { requests: [ready, failed], theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.parlance-image-gallery')).toHaveAttribute(
      'data-theme',
      'dark',
    );
  },
};
