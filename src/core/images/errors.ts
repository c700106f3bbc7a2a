import { ParlanceError } from '../errors';
import { brand, hasMarker } from '../internal/brand';

/** Which check an image request failed. */
export type ImageValidationCode =
  | 'unsupported-environment'
  | 'not-an-image'
  | 'not-square'
  | 'too-large'
  | 'mask-size-mismatch'
  | 'n-out-of-range'
  | 'size-not-allowed'
  | 'empty-prompt'
  | 'prompt-too-long';

/**
 * Base class of every error image preparation and validation throw, before any request is sent.
 * Nothing the user gave is consumed: fix the input and call again.
 *
 * @example
 * ```ts
 * try { await prepareImage(file) }
 * catch (e) { if (ImageValidationError.isInstance(e)) showHint(e.code) }
 * ```
 */
export class ImageValidationError extends ParlanceError {
  override readonly name: string = 'ImageValidationError';
  /** A stable code for the failed check, for messages in the app's own words. */
  readonly code: ImageValidationCode;

  constructor(code: ImageValidationCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True for any image validation error, from this copy of the package or another. */
  static override isInstance(error: unknown): error is ImageValidationError {
    return hasMarker(error, VALIDATION_MARKER);
  }
}
const VALIDATION_MARKER = brand(ImageValidationError, 'ImageValidationError');

/** Image preparation needs canvas APIs (OffscreenCanvas or a DOM); Node and workers without them get this. */
export class ImageEnvironmentError extends ImageValidationError {
  override readonly name = 'ImageEnvironmentError';
  constructor(
    message = 'Image preparation needs OffscreenCanvas or a DOM canvas and createImageBitmap (run it in a browser)',
  ) {
    super('unsupported-environment', message);
  }
  static override isInstance(error: unknown): error is ImageEnvironmentError {
    return hasMarker(error, ENVIRONMENT_MARKER);
  }
}
const ENVIRONMENT_MARKER = brand(ImageEnvironmentError, 'ImageEnvironmentError');

/** The input could not be decoded as an image (wrong type, corrupt bytes, a URL that is not an image). */
export class NotAnImageError extends ImageValidationError {
  override readonly name = 'NotAnImageError';
  constructor(message = 'The input is not an image the browser can decode', options?: { cause?: unknown }) {
    super('not-an-image', message, options);
  }
  static override isInstance(error: unknown): error is NotAnImageError {
    return hasMarker(error, NOT_IMAGE_MARKER);
  }
}
const NOT_IMAGE_MARKER = brand(NotAnImageError, 'NotAnImageError');

/** An image that must be square is not (`fit: 'none'` with a non-square input). */
export class NotSquareError extends ImageValidationError {
  override readonly name = 'NotSquareError';
  readonly width: number;
  readonly height: number;
  constructor(width: number, height: number) {
    super('not-square', `The image is ${width}×${height}; edits and variations need a square image`);
    this.width = width;
    this.height = height;
  }
  static override isInstance(error: unknown): error is NotSquareError {
    return hasMarker(error, NOT_SQUARE_MARKER);
  }
}
const NOT_SQUARE_MARKER = brand(NotSquareError, 'NotSquareError');

/** The encoded PNG stays over the limit (4 MB) even at the smallest allowed side. */
export class ImageTooLargeError extends ImageValidationError {
  override readonly name = 'ImageTooLargeError';
  readonly bytes: number;
  readonly maxBytes: number;
  constructor(bytes: number, maxBytes: number) {
    super('too-large', `The PNG is ${bytes} bytes; the limit is ${maxBytes} bytes`);
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
  static override isInstance(error: unknown): error is ImageTooLargeError {
    return hasMarker(error, TOO_LARGE_MARKER);
  }
}
const TOO_LARGE_MARKER = brand(ImageTooLargeError, 'ImageTooLargeError');

/** A mask whose size differs from its image's. */
export class MaskSizeMismatchError extends ImageValidationError {
  override readonly name = 'MaskSizeMismatchError';
  readonly image: { width: number; height: number };
  readonly mask: { width: number; height: number };
  constructor(image: { width: number; height: number }, mask: { width: number; height: number }) {
    super(
      'mask-size-mismatch',
      `The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; they must match`,
    );
    this.image = image;
    this.mask = mask;
  }
  static override isInstance(error: unknown): error is MaskSizeMismatchError {
    return hasMarker(error, MISMATCH_MARKER);
  }
}
const MISMATCH_MARKER = brand(MaskSizeMismatchError, 'MaskSizeMismatchError');

/** `n` is not an integer in the model's range (1–10; 1 for dall-e-3). */
export class ImageCountError extends ImageValidationError {
  override readonly name = 'ImageCountError';
  readonly n: number;
  readonly min: number;
  readonly max: number;
  constructor(n: number, min: number, max: number, model: string) {
    super('n-out-of-range', `n must be an integer from ${min} to ${max} for ${model}; got ${n}`);
    this.n = n;
    this.min = min;
    this.max = max;
  }
  static override isInstance(error: unknown): error is ImageCountError {
    return hasMarker(error, COUNT_MARKER);
  }
}
const COUNT_MARKER = brand(ImageCountError, 'ImageCountError');

/** The `size` is not one the model accepts for this operation. */
export class ImageSizeNotAllowedError extends ImageValidationError {
  override readonly name = 'ImageSizeNotAllowedError';
  readonly size: string;
  readonly model: string;
  readonly allowed: readonly string[];
  constructor(size: string, model: string, allowed: readonly string[]) {
    super('size-not-allowed', `${model} does not accept size ${size}; use one of ${allowed.join(', ')}`);
    this.size = size;
    this.model = model;
    this.allowed = allowed;
  }
  static override isInstance(error: unknown): error is ImageSizeNotAllowedError {
    return hasMarker(error, SIZE_MARKER);
  }
}
const SIZE_MARKER = brand(ImageSizeNotAllowedError, 'ImageSizeNotAllowedError');

/** The prompt is empty or only white space. */
export class EmptyPromptError extends ImageValidationError {
  override readonly name = 'EmptyPromptError';
  constructor() {
    super('empty-prompt', 'The prompt is empty');
  }
  static override isInstance(error: unknown): error is EmptyPromptError {
    return hasMarker(error, EMPTY_MARKER);
  }
}
const EMPTY_MARKER = brand(EmptyPromptError, 'EmptyPromptError');

/** The prompt has more characters than the model accepts (1000 for dall-e-2, 4000 for dall-e-3…). */
export class PromptTooLongError extends ImageValidationError {
  override readonly name = 'PromptTooLongError';
  readonly length: number;
  readonly maxLength: number;
  readonly model: string;
  constructor(length: number, maxLength: number, model: string) {
    super('prompt-too-long', `The prompt has ${length} characters; ${model} accepts at most ${maxLength}`);
    this.length = length;
    this.maxLength = maxLength;
    this.model = model;
  }
  static override isInstance(error: unknown): error is PromptTooLongError {
    return hasMarker(error, LONG_MARKER);
  }
}
const LONG_MARKER = brand(PromptTooLongError, 'PromptTooLongError');
