import { describe, expect, test } from 'vitest';

import {
  ImageEnvironmentError,
  ImageValidationError,
  ParlanceError,
  canPrepareImages,
  createClient,
  editImage,
  encodeMask,
  generateImages,
  getImageModelInfo,
  prepareImage,
  registerImageModel,
  validateImageRequest,
} from 'parlance/core';
import {
  EmptyPromptError,
  ImageCountError,
  ImageSizeNotAllowedError,
  NotAnImageError,
  PromptTooLongError,
} from '../../../src/core/images/errors';

describe('validateImageRequest', () => {
  test('an empty or blank prompt is refused', () => {
    for (const prompt of ['', '   \n']) {
      const error = catchError(() =>
        validateImageRequest({ operation: 'generate', model: 'dall-e-2', prompt }),
      );
      expect(EmptyPromptError.isInstance(error)).toBe(true);
      expect(ImageValidationError.isInstance(error)).toBe(true);
      expect(ParlanceError.isInstance(error)).toBe(true);
      expect((error as ImageValidationError).code).toBe('empty-prompt');
    }
  });

  test('the prompt limit follows the model (1000 dall-e-2, 4000 dall-e-3, 32000 gpt-image-1)', () => {
    const check = (model: string, length: number) => () =>
      validateImageRequest({ operation: 'generate', model, prompt: 'a'.repeat(length) });
    expect(check('dall-e-2', 1000)).not.toThrow();
    const error = catchError(check('dall-e-2', 1001));
    expect(PromptTooLongError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      length: 1001,
      maxLength: 1000,
      model: 'dall-e-2',
      code: 'prompt-too-long',
    });
    expect(check('dall-e-3', 4000)).not.toThrow();
    expect(catchError(check('dall-e-3', 4001))).toMatchObject({ maxLength: 4000 });
    expect(check('gpt-image-1', 32000)).not.toThrow();
    expect(catchError(check('gpt-image-1', 32001))).toMatchObject({ maxLength: 32000 });
  });

  test('n must be an integer in the model range', () => {
    const check = (model: string, n: number) => () =>
      validateImageRequest({ operation: 'generate', model, prompt: 'x', n });
    expect(check('dall-e-2', 10)).not.toThrow();
    for (const n of [0, 11, 1.5, -1, Number.NaN]) {
      expect(ImageCountError.isInstance(catchError(check('dall-e-2', n)))).toBe(true);
    }
    expect(catchError(check('dall-e-3', 2))).toMatchObject({ n: 2, min: 1, max: 1, code: 'n-out-of-range' });
    expect(ImageCountError.isInstance(catchError(check('some-local-model', 11)))).toBe(true);
  });

  test('sizes follow the per-model, per-operation table', () => {
    const ok = (model: string, operation: 'generate' | 'edit' | 'variation', size: string) =>
      validateImageRequest({ operation, model, prompt: 'x', size });
    for (const size of ['256x256', '512x512', '1024x1024'])
      expect(() => ok('dall-e-2', 'generate', size)).not.toThrow();
    for (const size of ['1024x1024', '1792x1024', '1024x1792'])
      expect(() => ok('dall-e-3', 'generate', size)).not.toThrow();
    for (const size of ['1024x1024', '1536x1024', '1024x1536', 'auto'])
      expect(() => ok('gpt-image-1', 'generate', size)).not.toThrow();

    const error = catchError(() => ok('dall-e-2', 'generate', '1792x1024'));
    expect(ImageSizeNotAllowedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      size: '1792x1024',
      model: 'dall-e-2',
      allowed: ['256x256', '512x512', '1024x1024'],
    });
    expect(ImageSizeNotAllowedError.isInstance(catchError(() => ok('dall-e-3', 'generate', '512x512')))).toBe(
      true,
    );
    // dall-e-3 has no edits or variations at all.
    expect(catchError(() => ok('dall-e-3', 'edit', '1024x1024'))).toMatchObject({ allowed: [] });
    // Unknown models are not second-guessed on size.
    expect(() => ok('my-local-model', 'generate', '640x480')).not.toThrow();
  });

  test('dated model names use their family, and apps can add models', () => {
    expect(getImageModelInfo('dall-e-3-2024-01-01')?.maxN).toBe(1);
    registerImageModel('sd-local', {
      sizes: { generate: ['640x640'] },
      maxN: 2,
      maxPromptLength: 50,
      supportsUrl: true,
    });
    expect(() =>
      validateImageRequest({ operation: 'generate', model: 'sd-local', prompt: 'x', size: '640x640' }),
    ).not.toThrow();
    expect(
      ImageSizeNotAllowedError.isInstance(
        catchError(() =>
          validateImageRequest({ operation: 'generate', model: 'sd-local', prompt: 'x', size: '512x512' }),
        ),
      ),
    ).toBe(true);
  });
});

describe('requests validate before anything is sent', () => {
  test('generate with a bad size never calls fetch', async () => {
    let calls = 0;
    const client = createClient({ baseUrl: 'http://x/v1', fetch: async () => (calls++, new Response('{}')) });
    await expect(
      generateImages({ prompt: 'cat', size: '999x999' }, { client, pacer: null }),
    ).rejects.toSatisfy(ImageSizeNotAllowedError.isInstance);
    await expect(generateImages({ prompt: ' ' }, { client, pacer: null })).rejects.toSatisfy(
      EmptyPromptError.isInstance,
    );
    expect(calls).toBe(0);
  });

  test('generate sends the wire names and b64_json by default', async () => {
    const bodies: unknown[] = [];
    const png = btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47));
    const client = createClient({
      baseUrl: 'http://x/v1',
      fetch: async (_url, init) => {
        bodies.push(JSON.parse(String(init.body)));
        return new Response(
          JSON.stringify({ created: 1, data: [{ b64_json: png, revised_prompt: 'A cat, drawn' }] }),
          {
            headers: { 'content-type': 'application/json' },
          },
        );
      },
    });
    const batch = await generateImages({ prompt: 'cat', n: 1, size: '512x512' }, { client, pacer: null });
    expect(bodies).toEqual([
      { model: 'dall-e-2', prompt: 'cat', n: 1, size: '512x512', response_format: 'b64_json' },
    ]);
    expect(batch.images).toHaveLength(1);
    expect(batch.images[0]!.revisedPrompt).toBe('A cat, drawn');
    expect(batch.images[0]!.blob?.size).toBe(4);
  });
});

describe('in Node, image preparation says what it needs', () => {
  test('canPrepareImages is false and preparation throws ImageEnvironmentError', async () => {
    expect(canPrepareImages()).toBe(false);
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
    const error = await prepareImage(blob).catch((e: unknown) => e);
    expect(ImageEnvironmentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/OffscreenCanvas|canvas/);
    expect(
      ImageEnvironmentError.isInstance(
        await encodeMask({ width: 1, height: 1, coverage: new Uint8ClampedArray(1) }).catch(
          (e: unknown) => e,
        ),
      ),
    ).toBe(true);
    const client = createClient({ baseUrl: 'http://x/v1', fetch: async () => new Response('{}') });
    await expect(editImage({ image: blob, prompt: 'x' }, { client, pacer: null })).rejects.toSatisfy(
      ImageEnvironmentError.isInstance,
    );
  });

  test('NotAnImageError is branded and distinct', () => {
    const error = new NotAnImageError();
    expect(NotAnImageError.isInstance(error)).toBe(true);
    expect(ImageEnvironmentError.isInstance(error)).toBe(false);
    expect(error.code).toBe('not-an-image');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
