// The offline engine's heavy image work (drawing, PNG decode and encode) as self-contained tasks:
// plain data in, PNG bytes or base64 out. The Node server runs them on worker threads
// (./pool.ts, ./image-worker.ts); a browser transport runs them in its own thread.
import { HttpApiError, type HttpApiErrorInit } from '../protocol/errors';
import { editImages, generateImage, varyImages } from './images';
import { encodePngRgba, type Rgba } from './png';

interface TaskOutput {
  /** Answer with base64 (`b64_json`) instead of the PNG's bytes (`url`, published by the engine). */
  base64: boolean;
}

/** Draw image `index` of a generation. */
export interface GenerateTask extends TaskOutput {
  kind: 'generate';
  prompt: string;
  index: number;
  width: number;
  height: number;
}

/** Edit `image` inside `mask` (or its own transparent area), `n` times. */
export interface EditTask extends TaskOutput {
  kind: 'edit';
  image: Uint8Array;
  mask: Uint8Array | undefined;
  prompt: string;
  n: number;
  width: number;
  height: number;
}

/** `n` variations of `image`. */
export interface VariationTask extends TaskOutput {
  kind: 'variation';
  image: Uint8Array;
  n: number;
  width: number;
  height: number;
}

/** One unit of offline image work. */
export type ImageTask = GenerateTask | EditTask | VariationTask;

/** One image a task made: its PNG bytes, or their base64 when the task asked for it. */
export type TaskImage = { png: Uint8Array } | { b64: string };

/**
 * What a task answers: its images, or the 4xx the request deserves (an invalid upload), as plain
 * data so that it crosses a thread boundary intact.
 */
export type ImageTaskResult =
  { ok: true; images: TaskImage[] } | { ok: false; error: Omit<HttpApiErrorInit, 'headers'> };

/**
 * Runs image tasks: given a task and the request's signal, its images. The Node server passes
 * one backed by a worker-thread pool; the default runs them in this thread.
 */
export type RunImageTask = (task: ImageTask, signal?: AbortSignal) => Promise<TaskImage[]>;

/** Base64 of `bytes`: Node's Buffer where there is one, `btoa` elsewhere. */
export function toBase64(bytes: Uint8Array): string {
  const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function output(image: Rgba, base64: boolean): TaskImage {
  const png = encodePngRgba(image);
  return base64 ? { b64: toBase64(png) } : { png };
}

/** Runs `task` in this thread. Invalid uploads come back as `{ ok: false }`; anything else throws. */
export function runImageTaskSync(task: ImageTask): ImageTaskResult {
  try {
    switch (task.kind) {
      case 'generate':
        return {
          ok: true,
          images: [output(generateImage(task.prompt, task.index, task.width, task.height), task.base64)],
        };
      case 'edit':
        return { ok: true, images: editImages(task).map((image) => output(image, task.base64)) };
      case 'variation':
        return { ok: true, images: varyImages(task).map((image) => output(image, task.base64)) };
    }
  } catch (error) {
    if (!HttpApiError.isInstance(error)) throw error;
    const { status, message, type, param, code } = error;
    return { ok: false, error: { status, message, type, param, code } };
  }
}

/** The images of a task's result, or its error thrown as the {@link HttpApiError} it was. */
export function unwrapResult(result: ImageTaskResult): TaskImage[] {
  if (!result.ok) throw new HttpApiError(result.error);
  return result.images;
}

/** The default {@link RunImageTask}: in this thread, as before (a browser transport uses it). */
export const runImageTaskInProcess: RunImageTask = async (task, signal) => {
  signal?.throwIfAborted();
  return unwrapResult(runImageTaskSync(task));
};
