import { varyImage, type ImageBatch, type VaryImageInput } from '../core/images/requests';
import { useImageRequest, type UseImageOptions, type UseImageRequestResult } from './use-image-generation';

/** What {@link useImageVariation} returns. */
export interface UseImageVariationResult extends UseImageRequestResult {
  /** Prepares `image` (square PNG under 4 MB) and sends `POST /images/variations`. */
  vary: (input: VaryImageInput) => Promise<ImageBatch>;
}

/**
 * Makes variations of an image (`POST /images/variations`; dall-e-2).
 *
 * @example
 * ```tsx
 * const { vary, data } = useImageVariation();
 * await vary({ image: generated.blob!, n: 3 });
 * ```
 */
export function useImageVariation(options: UseImageOptions = {}): UseImageVariationResult {
  const { result, start } = useImageRequest<VaryImageInput>(options, 'variation', varyImage);
  return { ...result, vary: start };
}
