import type { ImageBatch, VaryImageInput } from '../core';
import {
  useImageSessionRequest,
  type UseImageOptions,
  type UseImageRequestResult,
} from './use-image-session';

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
 * import { useImageVariation } from 'parlance';
 *
 * export function Variations({ image }: { image: Blob }) {
 *   const { vary, data } = useImageVariation({ baseUrl: '/api/v1' });
 *   return (
 *     <>
 *       <button onClick={() => void vary({ image, n: 3 })}>Vary</button>
 *       {data?.images.map((variant) => <img key={variant.src} src={variant.src} alt="" />)}
 *     </>
 *   );
 * }
 * ```
 */
export function useImageVariation(options: UseImageOptions = {}): UseImageVariationResult {
  const { result, start } = useImageSessionRequest<VaryImageInput>(options, 'variation');
  return { ...result, vary: start };
}
