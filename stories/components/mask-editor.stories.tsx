import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';

import { MaskEditor } from 'parlance';
import '../../src/styles/images.css';

import { sampleScene, strokeCanvas } from '../support/images-backend';

const scene = sampleScene();

const meta = {
  title: 'Components/MaskEditor',
  component: MaskEditor,
  args: { image: scene, side: 512, onChange: fn(), onError: fn() },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof MaskEditor>;

export default meta;
type Story = StoryObj<typeof meta>;

const ready = async (canvasElement: HTMLElement) => {
  const root = canvasElement.querySelector<HTMLElement>('.parlance-mask-editor')!;
  // Decoding and preparing the image takes a moment, longer on a busy machine than waitFor's 1 s.
  await waitFor(() => expect(root.dataset.state).toBe('ready'), { timeout: 10_000 });
  return root;
};

/** Nothing painted yet: the image is ready, undo is disabled, `onChange` reports an empty mask. */
export const Empty: Story = {
  play: async ({ canvas, canvasElement, args }) => {
    await ready(canvasElement);
    await expect(canvas.getByRole('button', { name: 'Undo' })).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Paint' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() =>
      expect(args.onChange).toHaveBeenCalledWith(expect.objectContaining({ isEmpty: true, width: 512 })),
    );
  },
};

/** A brush stroke across the sun marks it for editing; undo and redo work from the toolbar. */
export const Painted: Story = {
  args: { defaultBrushSize: 60 },
  play: async ({ canvas, canvasElement, args, userEvent }) => {
    const root = await ready(canvasElement);
    const overlay = root.querySelector<HTMLCanvasElement>('[data-slot="overlay"]')!;
    strokeCanvas(overlay, [
      [300, 150],
      [360, 150],
      [420, 150],
    ]);
    await waitFor(() =>
      expect(args.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ isEmpty: false })),
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Undo' }));
    await waitFor(() =>
      expect(args.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ isEmpty: true })),
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Redo' }));
    await waitFor(() =>
      expect(args.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ isEmpty: false })),
    );
  },
};

/** Zoomed in to 225 % for detail; arrow keys pan the focused canvas. */
export const Zoomed: Story = {
  args: { defaultZoom: 2.25 },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const root = await ready(canvasElement);
    await expect(canvas.getByText('Zoom 225%')).toBeVisible();
    const stage = root.querySelector<HTMLElement>('[data-slot="stage"]')!;
    canvas.getByRole('application', { name: 'Mask canvas' }).focus();
    await userEvent.keyboard('{ArrowRight}{ArrowDown}');
    await waitFor(() => expect(stage.style.transform).toMatch(/translate\(-\d+px, -\d+px\) scale\(2\.25\)/));
    await userEvent.click(canvas.getByRole('button', { name: 'Reset view' }));
    await expect(canvas.getByText('Zoom 100%')).toBeVisible();
  },
};

/** Every control labelled in Simplified Chinese. */
export const Chinese: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  play: async ({ canvas, canvasElement }) => {
    await ready(canvasElement);
    await expect(canvas.getByRole('toolbar', { name: '蒙版工具' })).toBeVisible();
    for (const name of ['涂抹', '擦除', '矩形', '平移', '撤销', '重做', '清除', '反选'])
      await expect(canvas.getByRole('button', { name })).toBeVisible();
    await expect(canvas.getByRole('slider', { name: '画笔大小' })).toBeVisible();
  },
};

/** The dark colour scheme. */
export const Dark: Story = {
  args: { theme: 'dark' },
  play: async ({ canvasElement, canvas, userEvent }) => {
    const root = await ready(canvasElement);
    await expect(root).toHaveAttribute('data-theme', 'dark');
    await userEvent.click(canvas.getByRole('button', { name: 'Invert' }));
    await expect(canvas.getByRole('button', { name: 'Undo' })).toBeEnabled();
  },
};

/** An input that is not an image shows a typed error instead of a canvas. */
export const NotAnImage: Story = {
  args: { image: new Blob(['plain text'], { type: 'text/plain' }) },
  play: async ({ canvas, args }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent('not an image');
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'not-an-image' }));
  },
};
