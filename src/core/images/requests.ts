import type { Client } from '../client/create-client';
import type { RequestOptions } from '../client/options';
import { ApiError } from '../errors';
import type { ImageSize, ImagesResponse } from '../wire/images';
import { DEFAULT_IMAGE_MODEL, getImageModelInfo, validateImageRequest, type ImageOperation } from './models';
import { getSharedImagePacer, type ImagePacer } from './pacer';
import {
  prepareImage,
  prepareImageAndMask,
  type ImageFit,
  type ImageInput,
  type PreparedImage,
} from './prepare';
import { normalizeImagesResponse, type GeneratedImage } from './results';

/** Fields every image request takes (camelCase; sent with the API's names). */
interface ImageRequestBase {
  /** Default `dall-e-2`. */
  model?: string;
  /** 1–10 (1 for dall-e-3). Default 1. */
  n?: number;
  /** One of the model's sizes (see `getImageModelInfo`). Default: the API's. */
  size?: ImageSize;
  /**
   * `url` (expires after an hour) or `b64_json` (held as a Blob). Default: `b64_json`, so results
   * never expire; models that only send `b64_json` are never asked for `url`.
   */
  responseFormat?: 'url' | 'b64_json';
  /** The API's `user`: an end-user id for abuse monitoring. */
  user?: string;
}

/** What `generate` takes. */
export interface GenerateImagesInput extends ImageRequestBase {
  prompt: string;
  /** `standard`/`hd` (dall-e-3), `low`/`medium`/`high` (gpt-image-1). */
  quality?: string;
  /** dall-e-3 only. */
  style?: 'vivid' | 'natural';
}

/** How an input image becomes square (see `prepareImage`). */
interface ImagePreparation {
  /** Default `'crop'`. */
  fit?: ImageFit;
  /** Padding colour for `fit: 'pad'`. Default transparent. */
  background?: string;
}

/** What `edit` takes. */
export interface EditImageInput extends ImageRequestBase, ImagePreparation {
  image: ImageInput;
  /** Transparent where the image is to change; same size as `image`. Without it, the image's own transparency is the mask. */
  mask?: ImageInput;
  /** Describes the whole new image, not only the masked part. */
  prompt: string;
}

/** What `vary` takes. */
export interface VaryImageInput extends ImageRequestBase, ImagePreparation {
  image: ImageInput;
}

/** The result of one request. */
export interface ImageBatch {
  /** Which endpoint made it. */
  operation: ImageOperation;
  images: GeneratedImage[];
  /** When the response arrived (`Date.now()` time). */
  createdAt: number;
  /** Set when an input image was scaled down to stay under 4 MB. */
  reduced: PreparedImage['reduced'];
}

/** How a request runs: the client, pacing and progress. */
export interface ImageRequestContext {
  client: Client;
  /** Default: the shared pacer (50 images a minute). `null` sends without pacing. */
  pacer?: ImagePacer | null;
  signal?: AbortSignal | null;
  /** Receives the pacer ticket id while the request waits its turn, then `null` when it is sent. */
  onQueue?: (ticketId: number | null) => void;
  /** For URL inputs. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

function wireFields(input: ImageRequestBase, model: string) {
  const format =
    getImageModelInfo(model)?.supportsUrl === false ? undefined : (input.responseFormat ?? 'b64_json');
  return {
    model,
    ...(input.n !== undefined ? { n: input.n } : {}),
    ...(input.size !== undefined ? { size: input.size } : {}),
    ...(format ? { response_format: format } : {}),
    ...(input.user !== undefined ? { user: input.user } : {}),
  };
}

async function paced(
  images: number,
  context: ImageRequestContext,
  send: (options: RequestOptions) => Promise<ImagesResponse>,
): Promise<ImagesResponse> {
  const pacer = context.pacer === undefined ? getSharedImagePacer() : context.pacer;
  const { signal } = context;
  if (pacer) {
    try {
      await pacer.acquire(images, { signal, onTicket: (id) => context.onQueue?.(id) });
    } finally {
      context.onQueue?.(null);
    }
  }
  try {
    return await send({
      signal,
      // The client waits out each 429 itself; pausing the pacer holds every other request too.
      onRetry: ({ error, delayMs }) => {
        if (ApiError.isInstance(error) && error.status === 429) pacer?.pause(delayMs);
      },
    });
  } catch (error) {
    if (ApiError.isInstance(error) && error.status === 429)
      pacer?.pause(error.retryAfterMs ?? 60_000 / (pacer.imagesPerMinute || 50));
    throw error;
  }
}

/**
 * Validates and sends `POST /images/generations`, paced, and normalises the result.
 *
 * @example
 * ```ts
 * const batch = await generateImages({ prompt: 'A lighthouse at dawn', n: 2 }, { client });
 * ```
 */
export async function generateImages(
  input: GenerateImagesInput,
  context: ImageRequestContext,
): Promise<ImageBatch> {
  const model = input.model ?? DEFAULT_IMAGE_MODEL;
  validateImageRequest({ operation: 'generate', model, prompt: input.prompt, n: input.n, size: input.size });
  const body = {
    ...wireFields(input, model),
    prompt: input.prompt,
    ...(input.quality !== undefined ? { quality: input.quality } : {}),
    ...(input.style !== undefined ? { style: input.style } : {}),
  };
  const response = await paced(input.n ?? 1, context, (options) =>
    context.client.images.generate(body, options),
  );
  return {
    operation: 'generate',
    images: normalizeImagesResponse(response),
    createdAt: Date.now(),
    reduced: null,
  };
}

/** Validates, prepares the image (and mask, aligned), and sends `POST /images/edits`, paced. */
export async function editImage(input: EditImageInput, context: ImageRequestContext): Promise<ImageBatch> {
  const model = input.model ?? DEFAULT_IMAGE_MODEL;
  validateImageRequest({ operation: 'edit', model, prompt: input.prompt, n: input.n, size: input.size });
  const options = {
    fit: input.fit,
    background: input.background,
    fetch: context.fetch,
    signal: context.signal,
  };
  const prepared = input.mask
    ? await prepareImageAndMask(input.image, input.mask, options)
    : { image: await prepareImage(input.image, options), mask: undefined };
  const body = {
    ...wireFields(input, model),
    image: prepared.image.blob,
    ...(prepared.mask ? { mask: prepared.mask.blob } : {}),
    prompt: input.prompt,
  };
  const response = await paced(input.n ?? 1, context, (o) => context.client.images.edit(body, o));
  return {
    operation: 'edit',
    images: normalizeImagesResponse(response),
    createdAt: Date.now(),
    reduced: prepared.image.reduced,
  };
}

/** Validates, prepares the image, and sends `POST /images/variations`, paced. */
export async function varyImage(input: VaryImageInput, context: ImageRequestContext): Promise<ImageBatch> {
  const model = input.model ?? DEFAULT_IMAGE_MODEL;
  validateImageRequest({ operation: 'variation', model, n: input.n, size: input.size });
  const prepared = await prepareImage(input.image, {
    fit: input.fit,
    background: input.background,
    fetch: context.fetch,
    signal: context.signal,
  });
  const body = { ...wireFields(input, model), image: prepared.blob };
  const response = await paced(input.n ?? 1, context, (o) => context.client.images.createVariation(body, o));
  return {
    operation: 'variation',
    images: normalizeImagesResponse(response),
    createdAt: Date.now(),
    reduced: prepared.reduced,
  };
}
