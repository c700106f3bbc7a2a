import { EmptyPromptError, ImageCountError, ImageSizeNotAllowedError, PromptTooLongError } from './errors';

/** What an image request does: the three images endpoints. */
export type ImageOperation = 'generate' | 'edit' | 'variation';

/** What one image model accepts. Sizes are per operation because the API's lists differ. */
export interface ImageModelInfo {
  /** Accepted `size` values per operation; an operation absent here is not offered by the model. */
  sizes: Partial<Record<ImageOperation, readonly string[]>>;
  /** The largest `n` (the smallest is 1). */
  maxN: number;
  /** The longest prompt, in characters. */
  maxPromptLength: number;
  /** Whether the model can answer with URLs; GPT image models always send `b64_json`. */
  supportsUrl: boolean;
}

const DALL_E_2_SIZES = ['256x256', '512x512', '1024x1024'] as const;
const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'] as const;

const table = new Map<string, ImageModelInfo>([
  [
    'dall-e-2',
    {
      sizes: { generate: DALL_E_2_SIZES, edit: DALL_E_2_SIZES, variation: DALL_E_2_SIZES },
      maxN: 10,
      maxPromptLength: 1000,
      supportsUrl: true,
    },
  ],
  [
    'dall-e-3',
    {
      sizes: { generate: ['1024x1024', '1792x1024', '1024x1792'] },
      maxN: 1,
      maxPromptLength: 4000,
      supportsUrl: true,
    },
  ],
  [
    'gpt-image-1',
    {
      sizes: { generate: GPT_IMAGE_SIZES, edit: GPT_IMAGE_SIZES },
      maxN: 10,
      maxPromptLength: 32000,
      supportsUrl: false,
    },
  ],
]);

/** The model image requests use when none is given: the API's own default. */
export const DEFAULT_IMAGE_MODEL = 'dall-e-2';

/**
 * What a model accepts, or `undefined` for a model the table does not know (then only the API's
 * generic limits are checked: `n` 1–10 and a non-empty prompt).
 *
 * @example getImageModelInfo('dall-e-3')?.sizes.generate // ['1024x1024', '1792x1024', '1024x1792']
 */
export function getImageModelInfo(model: string): ImageModelInfo | undefined {
  return table.get(model) ?? table.get(model.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
}

/**
 * Adds or replaces a model in the table, for local servers and new models.
 *
 * @example registerImageModel('my-sd', { sizes: { generate: ['512x512'] }, maxN: 4, maxPromptLength: 2000, supportsUrl: true })
 */
export function registerImageModel(model: string, info: ImageModelInfo): void {
  table.set(model, info);
}

/** The fields {@link validateImageRequest} checks. */
export interface ImageRequestCheck {
  operation: ImageOperation;
  model: string;
  /** Required for `generate` and `edit`. */
  prompt?: string;
  n?: number | null;
  size?: string | null;
}

/**
 * Checks a request against the model table before anything is sent, and throws the matching
 * {@link ImageValidationError}, whose `code` is `'empty-prompt'`, `'prompt-too-long'`,
 * `'n-out-of-range'` or `'size-not-allowed'`.
 */
export function validateImageRequest({ operation, model, prompt, n, size }: ImageRequestCheck): void {
  const info = getImageModelInfo(model);
  if (operation !== 'variation') checkImagePrompt(prompt, model, info?.maxPromptLength);
  if (n !== undefined && n !== null) checkImageCount(n, model, info?.maxN ?? 10);
  if (info && size !== undefined && size !== null) checkImageSize(size, model, info.sizes[operation] ?? []);
}

// The three checks below are the rules the kit (validateImageRequest, before sending) and the
// reference server (src/server/protocol/validate.ts, which answers them with OpenAI's 400s) share.

/** A prompt must have a non-blank character and, when `maxLength` is known, fit in it. */
export function checkImagePrompt(
  prompt: string | undefined,
  model: string,
  maxLength: number | undefined,
): void {
  if (prompt === undefined || prompt.trim() === '') throw new EmptyPromptError();
  if (maxLength !== undefined && prompt.length > maxLength) {
    throw new PromptTooLongError(prompt.length, maxLength, model);
  }
}

/** `n` must be an integer from 1 to `maxN`. */
export function checkImageCount(n: number, model: string, maxN: number): void {
  if (!Number.isInteger(n) || n < 1 || n > maxN) throw new ImageCountError(n, 1, maxN, model);
}

/** `size` must be one the model offers for the operation. */
export function checkImageSize(size: string, model: string, allowed: readonly string[]): void {
  if (!allowed.includes(size)) throw new ImageSizeNotAllowedError(size, model, allowed);
}
