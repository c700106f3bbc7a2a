import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, waitFor } from 'storybook/test';

import {
  ImageGallery,
  MaskEditor,
  useImageEdit,
  useImageGeneration,
  useImageVariation,
  type GeneratedImage,
  type MaskEditorChange,
} from 'parlance';
import '../../src/styles/images.css';

import { createImagesBackend, strokeCanvas } from '../support/images-backend';

const backend = createImagesBackend({ delayMs: 150 });

/**
 * The three image hooks together: generate from a prompt, paint a mask on a result and edit it,
 * then make variations, with one gallery over their shared history.
 */
function ImageFlow() {
  // Three hooks over one session: one history across generate, edit and vary.
  const generation = useImageGeneration();
  const editing = useImageEdit({ session: generation.session });
  const variation = useImageVariation({ session: generation.session });
  const [prompt, setPrompt] = useState('A lighthouse at dawn');
  const [editPrompt, setEditPrompt] = useState('');
  const [target, setTarget] = useState<GeneratedImage | null>(null);
  const [masked, setMasked] = useState<MaskEditorChange | null>(null);
  const requests = generation.history;
  const busy = [generation, editing, variation].find((h) => h.isPending);
  const failure = [generation, editing, variation].find((h) => h.status === 'error');
  const ignore = () => {};

  return (
    <div style={{ display: 'grid', gap: 16, maxWidth: 720 }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          generation.generate({ prompt, n: 2, size: '256x256' }).catch(ignore);
        }}
        style={{ display: 'flex', gap: 8, alignItems: 'end' }}
      >
        <label style={{ display: 'grid', flex: 1 }}>
          Prompt
          <input value={prompt} onChange={(e) => setPrompt(e.currentTarget.value)} />
        </label>
        <button type="submit">Generate</button>
        {busy && (
          <button type="button" onClick={busy.cancel}>
            Cancel
          </button>
        )}
      </form>
      <p role="status">
        {busy ? 'Working…' : failure ? `Failed: ${(failure.error as Error).message}` : 'Ready'}
      </p>
      {target && (
        <section aria-label="Edit an image" style={{ display: 'grid', gap: 8 }}>
          <MaskEditor
            image={target.blob ?? target.src}
            side={256}
            defaultBrushSize={40}
            onChange={setMasked}
            style={{ maxWidth: 320 }}
          />
          <label style={{ display: 'grid' }}>
            Edit prompt
            <input value={editPrompt} onChange={(e) => setEditPrompt(e.currentTarget.value)} />
          </label>
          <button
            type="button"
            disabled={!masked || masked.isEmpty || editPrompt.trim() === ''}
            onClick={() => {
              if (!masked) return;
              editing
                .edit({ image: masked.image, mask: masked.mask, prompt: editPrompt, n: 1, size: '256x256' })
                .catch(ignore);
            }}
          >
            Apply edit
          </button>
        </section>
      )}
      <ImageGallery
        requests={requests}
        queue={generation.queue}
        onEdit={(image) => setTarget(image)}
        onVary={(image) =>
          variation.vary({ image: image.blob ?? image.src, n: 2, size: '256x256' }).catch(ignore)
        }
      />
    </div>
  );
}

const meta = {
  title: 'Hooks/Image flow',
  component: ImageFlow,
  parameters: { layout: 'padded', parlance: { fetch: backend.fetch } },
} satisfies Meta<typeof ImageFlow>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Generate two images, mask and edit one, then vary the edit: every request through the hooks. */
export const GenerateEditVary: Story = {
  play: async ({ canvas, canvasElement, userEvent }) => {
    backend.calls.length = 0;
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }));
    await expect(await canvas.findAllByText('Generating image…')).toHaveLength(2);
    await waitFor(() => expect(canvas.getAllByRole('img')).toHaveLength(2), { timeout: 5000 });
    await expect(canvas.getByText('A lighthouse at dawn, soft light')).toBeVisible();

    await userEvent.click(canvas.getAllByRole('button', { name: 'Edit this' })[0]!);
    const editor = canvasElement.querySelector<HTMLElement>('.parlance-mask-editor')!;
    await waitFor(() => expect(editor.dataset.state).toBe('ready'), { timeout: 5000 });
    const apply = canvas.getByRole('button', { name: 'Apply edit' });
    await expect(apply).toBeDisabled();
    strokeCanvas(editor.querySelector<HTMLCanvasElement>('[data-slot="overlay"]')!, [
      [60, 128],
      [200, 128],
    ]);
    await userEvent.type(canvas.getByRole('textbox', { name: 'Edit prompt' }), 'Add a hot-air balloon');
    await waitFor(() => expect(apply).toBeEnabled());
    await userEvent.click(apply);
    await waitFor(() => expect(canvas.getAllByRole('img')).toHaveLength(3), { timeout: 5000 });
    await expect(canvas.getByRole('img', { name: 'Image 1 of 1: Add a hot-air balloon' })).toBeVisible();

    const edited = canvas.getByRole('group', { name: 'Image 1 of 1: Add a hot-air balloon' });
    await userEvent.click(edited.querySelector<HTMLButtonElement>('[data-slot="vary"]')!);
    await waitFor(() => expect(canvas.getAllByRole('img')).toHaveLength(5), { timeout: 5000 });
    // The first status is the flow's own line; the mask editor's zoom readout is another.
    await expect(canvas.getAllByRole('status')[0]).toHaveTextContent('Ready');

    expect(backend.calls.map((c) => c.path)).toEqual([
      '/images/generations',
      '/images/edits',
      '/images/variations',
    ]);
    expect(backend.calls[0]!.fields).toMatchObject({
      prompt: 'A lighthouse at dawn',
      n: '2',
      size: '256x256',
    });
    expect(backend.calls[1]!.fields).toMatchObject({
      prompt: 'Add a hot-air balloon',
      response_format: 'b64_json',
    });
  },
};

/** A refused prompt: the error shows on its request in the gallery and in the status line. */
export const RefusedPrompt: Story = {
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Prompt' });
    await userEvent.clear(input);
    await userEvent.type(input, 'please fail');
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }));
    await expect(await canvas.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('safety system');
    await expect(canvas.getByRole('status')).toHaveTextContent('Failed: Your request was rejected');
  },
};

/** Cancelling a slow request returns to ready and marks the request cancelled. */
export const Cancelled: Story = {
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Prompt' });
    await userEvent.clear(input);
    await userEvent.type(input, 'a slow sunrise');
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }));
    await userEvent.click(await canvas.findByRole('button', { name: 'Cancel' }));
    await expect(await canvas.findByText('Cancelled')).toBeVisible();
    await expect(canvas.getByRole('status')).toHaveTextContent('Ready');
  },
};
