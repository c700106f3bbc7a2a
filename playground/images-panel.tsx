// The images column: generate, then edit (with a mask) or vary any result, one history for all three.
import {
  ImageGallery,
  MaskEditor,
  useImageEdit,
  useImageGeneration,
  useImageVariation,
  type GeneratedImage,
  type ImageHistoryEntry,
  type MaskEditorChange,
} from 'parlance';
import { DEFAULT_IMAGE_MODEL, getImageModelInfo, type ImageSize } from 'parlance/core';
import { useEffect, useRef, useState } from 'react';

import { Field } from './field';
import type { PlaygroundStrings } from './strings';

function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const SIZES = (getImageModelInfo(DEFAULT_IMAGE_MODEL)?.sizes.generate ?? [
  '1024x1024',
]) as readonly ImageSize[];

/** The side of a square size such as `256x256`, or `undefined` for any other. */
function squareSide(size: string | undefined): number | undefined {
  const match = /^(\d+)x\1$/.exec(size ?? '');
  return match ? Number(match[1]) : undefined;
}

interface EditTarget {
  image: GeneratedImage;
  request: ImageHistoryEntry;
}

export function ImagesPanel({ s }: { s: PlaygroundStrings }) {
  // One session behind the three hooks: one history across generate, edit and vary.
  const generation = useImageGeneration();
  const editing = useImageEdit({ session: generation.session });
  const variation = useImageVariation({ session: generation.session });
  const [prompt, setPrompt] = useState('a lighthouse at dusk');
  const [size, setSize] = useState<ImageSize>(SIZES[0]!);
  const [count, setCount] = useState(1);
  const [target, setTarget] = useState<EditTarget | null>(null);
  const [editPrompt, setEditPrompt] = useState('');
  const [masked, setMasked] = useState<MaskEditorChange | null>(null);
  const editorHeading = useRef<HTMLHeadingElement>(null);
  const galleryHeading = useRef<HTMLHeadingElement>(null);

  const requests = generation.history;
  const hooks = [generation, editing, variation];
  const busy = hooks.filter((h) => h.isPending);
  const failure = hooks.find((h) => h.status === 'error');
  // Failures also show on their request in the gallery; rejections need no handling here.
  const ignore = () => {};

  useEffect(() => {
    if (target) editorHeading.current?.focus();
  }, [target]);

  // Focus would fall to the body with the editor gone; the section's heading keeps the place.
  const closeEditor = () => {
    setTarget(null);
    galleryHeading.current?.focus();
  };

  const openEditor = (image: GeneratedImage, request: ImageHistoryEntry) => {
    setMasked(null);
    setEditPrompt(request.prompt ?? prompt);
    setTarget({ image, request });
  };

  const applyEdit = () => {
    if (!masked || masked.isEmpty) return;
    editing
      .edit({
        image: masked.image,
        mask: masked.mask,
        prompt: editPrompt,
        n: 1,
        size: `${masked.width}x${masked.height}` as ImageSize,
      })
      .then(closeEditor, ignore);
  };

  return (
    <section className="playground-panel playground-images" aria-labelledby="images-heading">
      <h2 id="images-heading" ref={galleryHeading} tabIndex={-1}>
        {s.images}
      </h2>
      <form
        className="playground-row"
        onSubmit={(event) => {
          event.preventDefault();
          generation.generate({ prompt, n: count, size }).catch(ignore);
        }}
      >
        <Field label={s.imagePrompt}>
          {(described) => (
            <input
              {...described}
              value={prompt}
              required
              onChange={(e) => setPrompt(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={s.size}>
          {(described) => (
            <select {...described} value={size} onChange={(e) => setSize(e.currentTarget.value as ImageSize)}>
              {SIZES.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={s.count}>
          {(described) => (
            <input
              {...described}
              type="number"
              min="1"
              max="10"
              value={count}
              onChange={(e) => setCount(Math.min(10, Math.max(1, e.currentTarget.valueAsNumber || 1)))}
            />
          )}
        </Field>
        <div className="playground-actions">
          <button type="submit" className="parlance-button parlance-button-primary">
            {s.generate}
          </button>
          {busy.length > 0 && (
            <button type="button" className="parlance-button" onClick={() => busy.forEach((h) => h.cancel())}>
              {s.cancel}
            </button>
          )}
        </div>
      </form>
      <p role="status" className="playground-status">
        {busy.length > 0
          ? s.working
          : failure
            ? format(s.failed, { message: errorMessage(failure.error) })
            : s.ready}
      </p>
      {target && (
        <section className="playground-editor" aria-labelledby="editor-heading">
          <h3 id="editor-heading" ref={editorHeading} tabIndex={-1}>
            {s.editHeading}
          </h3>
          <p id="editor-help">{s.editHelp}</p>
          <MaskEditor
            key={target.request.id + target.image.src}
            image={target.image.blob ?? target.image.src}
            side={squareSide(target.request.size)}
            defaultBrushSize={32}
            onChange={setMasked}
          />
          <div className="playground-row">
            <Field label={s.editPrompt}>
              {() => (
                <input
                  value={editPrompt}
                  aria-describedby="editor-help"
                  onChange={(e) => setEditPrompt(e.currentTarget.value)}
                />
              )}
            </Field>
            <div className="playground-actions">
              <button
                type="button"
                className="parlance-button parlance-button-primary"
                disabled={!masked || masked.isEmpty || editPrompt.trim() === '' || editing.isPending}
                onClick={applyEdit}
              >
                {s.applyEdit}
              </button>
              <button type="button" className="parlance-button" onClick={closeEditor}>
                {s.closeEditor}
              </button>
            </div>
          </div>
        </section>
      )}
      <ImageGallery
        requests={requests}
        queue={generation.queue ?? editing.queue ?? variation.queue}
        onKeep={generation.keep}
        onEdit={openEditor}
        onVary={(image, request) => {
          const side = squareSide(request.size);
          variation
            .vary({
              image: image.blob ?? image.src,
              n: 1,
              ...(side ? { size: request.size as ImageSize } : {}),
            })
            .catch(ignore);
        }}
      />
    </section>
  );
}
