import type { EditImageInput, ImageBatch } from '../core';
import {
  useImageSessionRequest,
  type UseImageOptions,
  type UseImageRequestResult,
} from './use-image-session';

/** What {@link useImageEdit} returns. */
export interface UseImageEditResult extends UseImageRequestResult {
  /**
   * Prepares `image` and `mask` (square, aligned, PNG under 4 MB) and sends `POST /images/edits`.
   * Rejects with a typed error: an `ImageValidationError` (`code` `'mask-size-mismatch'`, `'not-an-image'`…), an `ApiError`…
   */
  edit: (input: EditImageInput) => Promise<ImageBatch>;
}

/**
 * Edits an image where its mask is transparent, from a prompt describing the whole new image.
 * `image` and `mask` may be a File, Blob, ImageBitmap, ImageData, canvas or URL; `MaskEditor`'s
 * `onChange` gives both ready to send.
 *
 * @example
 * ```tsx
 * import { MaskEditor, useImageEdit } from 'parlance';
 * import { useState } from 'react';
 *
 * export function Retouch({ file }: { file: File }) {
 *   const { edit } = useImageEdit({ baseUrl: '/api/v1' });
 *   const [inputs, setInputs] = useState<{ image: Blob; mask: Blob }>();
 *   const send = () => inputs && edit({ ...inputs, prompt: 'A sunlit lounge with a flamingo in the pool' });
 *   return (
 *     <>
 *       <MaskEditor image={file} onChange={({ image, mask }) => setInputs({ image, mask })} />
 *       <button onClick={() => void send()}>Edit</button>
 *     </>
 *   );
 * }
 * ```
 */
export function useImageEdit(options: UseImageOptions = {}): UseImageEditResult {
  const { result, start } = useImageSessionRequest<EditImageInput>(options, 'edit');
  return { ...result, edit: start };
}
