import type { GenerateImagesInput, ImageBatch } from '../core';
import {
  useImageSessionRequest,
  type UseImageRequestResult,
  type UseImageOptions,
} from './use-image-session';

export type {
  ImageHistoryEntry,
  ImageRequestStatus,
  UseImageOptions,
  UseImageRequestResult,
} from './use-image-session';

/** What {@link useImageGeneration} returns. */
export interface UseImageGenerationResult extends UseImageRequestResult {
  /** Sends `POST /images/generations`; resolves with the batch, rejects with a typed error (`AbortError` when cancelled). */
  generate: (input: GenerateImagesInput) => Promise<ImageBatch>;
}

/**
 * Generates images from a prompt (`POST /images/generations`) paced to the images rate limit,
 * with a history for `ImageGallery`. A thin subscriber of an image session (`createImageSession`
 * in `parlance/core`): hooks given the same `session` or `id` share one history across generate,
 * edit and vary. Works without a provider when
 * given `baseUrl`; with neither, it throws a `ConfigurationError` while rendering.
 *
 * @example
 * ```tsx
 * import { useImageGeneration } from 'parlance';
 *
 * export function Poster() {
 *   const { generate, data, queue } = useImageGeneration({ baseUrl: '/api/v1', model: 'dall-e-3' });
 *   const paint = () => generate({ prompt: 'A lighthouse at dawn, watercolour', size: '1792x1024' });
 *   return (
 *     <>
 *       <button onClick={() => void paint()}>{queue ? `Queued (${queue.position})` : 'Paint'}</button>
 *       {data?.images.map((image) => <img key={image.src} src={image.src} alt={image.revisedPrompt ?? ''} />)}
 *     </>
 *   );
 * }
 * ```
 */
export function useImageGeneration(options: UseImageOptions = {}): UseImageGenerationResult {
  const { result, start } = useImageSessionRequest<GenerateImagesInput>(options, 'generate');
  return { ...result, generate: start };
}
