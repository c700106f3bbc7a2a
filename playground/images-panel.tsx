// The images tab: generate, or bring your own image (a file or a drop); edit any image with a
// mask or vary it. One history for all three.
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
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';

import { Field } from './field';
import type { PlaygroundStrings } from './strings';

function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const MODEL_INFO = getImageModelInfo(DEFAULT_IMAGE_MODEL);
const SIZES = (MODEL_INFO?.sizes.generate ?? ['1024x1024']) as readonly ImageSize[];
/** The longest prompt the model takes (dall-e-2: 1,000 characters). */
const MAX_PROMPT = MODEL_INFO?.maxPromptLength;
/** The side an uploaded image is edited and varied at: a size every image model accepts. */
const UPLOAD_SIDE = 512;

/** The side of a square size such as `256x256`, or `undefined` for any other. */
function squareSide(size: string | undefined): number | undefined {
  const match = /^(\d+)x\1$/.exec(size ?? '');
  return match ? Number(match[1]) : undefined;
}

/** What the mask editor works on: a result from the gallery, or the user's own image. */
interface EditTarget {
  key: string;
  image: Blob | string;
  /** The side to prepare the image at. */
  side: number | undefined;
  prompt: string;
}

/** The counter under a prompt, against the model's limit. */
function PromptLength({ s, id, length }: { s: PlaygroundStrings; id: string; length: number }) {
  if (MAX_PROMPT === undefined) return null;
  const over = length - MAX_PROMPT;
  return (
    <small id={id} className="playground-counter" data-over={over > 0 || undefined}>
      {format(s.promptLength, { count: length.toLocaleString(), max: MAX_PROMPT.toLocaleString() })}
      {over > 0 && <span role="status"> {format(s.promptTooLong, { over: over.toLocaleString() })}</span>}
    </small>
  );
}

/** A drop zone and a file picker for the user's own image, shown with what can be done with it. */
function SourceImage({
  s,
  file,
  preview,
  onFile,
  onEdit,
  onVary,
  busy,
}: {
  s: PlaygroundStrings;
  file: File | null;
  /** An object URL of `file`, made and revoked by the owner. */
  preview: string | null;
  onFile: (file: File | null) => void;
  onEdit: (file: File) => void;
  onVary: (file: File) => void;
  busy: boolean;
}) {
  const [over, setOver] = useState(false);
  const [problem, setProblem] = useState('');

  const take = (chosen: File | undefined) => {
    if (!chosen) return;
    if (!chosen.type.startsWith('image/')) {
      setProblem(format(s.notAnImage, { name: chosen.name }));
      return;
    }
    setProblem('');
    onFile(chosen);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files[0]);
  };

  return (
    <section className="playground-source" aria-labelledby="source-heading">
      <h3 id="source-heading">{s.sourceHeading}</h3>
      {/* A drop target for the pointer; the file input inside is the keyboard's way in. */}
      <div
        className="playground-dropzone"
        data-over={over || undefined}
        data-slot="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {file && preview ? (
          <div className="playground-source-preview">
            <img src={preview} alt={format(s.sourceAlt, { name: file.name })} />
            <div className="playground-actions">
              <button
                type="button"
                className="parlance-button parlance-button-primary"
                onClick={() => onEdit(file)}
              >
                {s.editSource}
              </button>
              <button type="button" className="parlance-button" disabled={busy} onClick={() => onVary(file)}>
                {s.varySource}
              </button>
              <button
                type="button"
                className="parlance-button parlance-button-ghost"
                onClick={() => onFile(null)}
              >
                {s.removeSource}
              </button>
            </div>
          </div>
        ) : (
          <p>
            {s.dropHint}{' '}
            <label className="playground-file">
              {s.chooseFile}
              <input
                type="file"
                accept="image/png,image/jpeg,image/webp"
                onChange={(event) => {
                  take(event.currentTarget.files?.[0]);
                  event.currentTarget.value = '';
                }}
              />
            </label>
          </p>
        )}
      </div>
      {problem && (
        <p className="playground-problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
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
  const [source, setSourceState] = useState<{ file: File; url: string } | null>(null);
  // One object URL per chosen file, revoked when another replaces it.
  const setSource = (file: File | null) =>
    setSourceState((previous) => {
      if (previous) URL.revokeObjectURL(previous.url);
      return file ? { file, url: URL.createObjectURL(file) } : null;
    });
  const counterId = useId();
  const tooLong = MAX_PROMPT !== undefined && prompt.length > MAX_PROMPT;
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
    setTarget({
      key: request.id + image.src,
      image: image.blob ?? image.src,
      side: squareSide(request.size),
      prompt: request.prompt ?? prompt,
    });
  };

  const editSource = (file: File) => {
    setMasked(null);
    setEditPrompt(prompt);
    setTarget({
      key: `${file.name}:${file.size}:${file.lastModified}`,
      image: file,
      side: UPLOAD_SIDE,
      prompt,
    });
  };

  const varySource = (file: File) => {
    variation.vary({ image: file, n: 1, size: `${UPLOAD_SIDE}x${UPLOAD_SIDE}` as ImageSize }).catch(ignore);
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
          if (tooLong) return;
          generation.generate({ prompt, n: count, size }).catch(ignore);
        }}
      >
        <div className="playground-field playground-prompt">
          <label>
            <span className="playground-label">{s.imagePrompt}</span>
            <textarea
              rows={2}
              value={prompt}
              required
              aria-describedby={counterId}
              aria-invalid={tooLong || undefined}
              onChange={(e) => setPrompt(e.currentTarget.value)}
            />
          </label>
          <PromptLength s={s} id={counterId} length={prompt.length} />
        </div>
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
          <button type="submit" className="parlance-button parlance-button-primary" disabled={tooLong}>
            {s.generate}
          </button>
          {busy.length > 0 && (
            <button type="button" className="parlance-button" onClick={() => busy.forEach((h) => h.cancel())}>
              {s.cancel}
            </button>
          )}
        </div>
      </form>
      <SourceImage
        s={s}
        file={source?.file ?? null}
        preview={source?.url ?? null}
        onFile={setSource}
        onEdit={editSource}
        onVary={varySource}
        busy={variation.isPending}
      />
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
            key={target.key}
            image={target.image}
            side={target.side}
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
