import { describe, expect, test } from 'vitest';

import { MaskModel, canPrepareImages, encodeMask, prepareImage, prepareImageAndMask } from 'parlance/core';
import {
  ImageTooLargeError,
  MaskSizeMismatchError,
  NotAnImageError,
  NotSquareError,
} from '../../src/core/images/errors';
import { maskToImageData } from '../../src/core/images/mask';
import { MASK_THRESHOLD } from '../../src/core/images/mask-model';

import { paintedCanvas, pixels } from './images-support';

const FOUR_MB = 4 * 1024 * 1024;

/** A 4000×3000 photo-like JPEG with a green square in the middle, and a mask transparent over that square. */
async function photoAndMask() {
  const region = { x: 1800, y: 1300, w: 400, h: 400 };
  const photo = paintedCanvas(
    4000,
    3000,
    { ...region, colour: '#00ff00' },
    { background: '#ff0000', noise: 40 },
  );
  const jpeg = await photo.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  const mask = new OffscreenCanvas(4000, 3000);
  const context = mask.getContext('2d')!;
  context.fillStyle = '#000';
  context.fillRect(0, 0, 4000, 3000);
  context.clearRect(region.x, region.y, region.w, region.h);
  return {
    jpeg: new File([jpeg], 'photo.jpg', { type: 'image/jpeg' }),
    mask: await mask.convertToBlob({ type: 'image/png' }),
  };
}

const isGreen = ([r, g, b]: number[]) => g! > 180 && r! < 90 && b! < 90;
const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 90 && b! < 90;

describe('prepareImage in Chromium', () => {
  test('this environment can prepare images', () => {
    expect(canPrepareImages()).toBe(true);
  });

  test('a 4000×3000 JPEG becomes a 1024 square PNG under 4 MB, cropped to the centre, mask still aligned', async () => {
    const { jpeg, mask } = await photoAndMask();
    expect(jpeg.type).toBe('image/jpeg');
    const prepared = await prepareImageAndMask(jpeg, mask);
    for (const part of [prepared.image, prepared.mask]) {
      expect(part.blob.type).toBe('image/png');
      expect(part.blob.size).toBeLessThanOrEqual(FOUR_MB);
      expect([part.width, part.height]).toEqual([1024, 1024]);
    }
    expect(prepared.image.original).toEqual({ width: 4000, height: 3000 });
    const image = await pixels(prepared.image.blob);
    const maskPixels = await pixels(prepared.mask.blob);
    expect([image.width, maskPixels.width]).toEqual([1024, 1024]);
    // Crop keeps x 500…3500; the square 1800…2200 lands on 443.7…580.3 in both.
    for (const [x, y] of [
      [512, 512],
      [450, 450],
      [575, 575],
    ] as const) {
      expect(maskPixels.at(x, y)[3]).toBe(0);
      expect(isGreen(image.at(x, y))).toBe(true);
    }
    for (const [x, y] of [
      [435, 512],
      [590, 512],
      [512, 435],
      [512, 590],
      [10, 10],
    ] as const) {
      expect(maskPixels.at(x, y)[3]).toBe(255);
      expect(isRed(image.at(x, y))).toBe(true);
    }
    // Hard mask edges: only 0 or 255, no smoothing.
    for (let x = 430; x < 600; x++) expect([0, 255]).toContain(maskPixels.at(x, 512)[3]);
  });

  test('pad keeps the whole picture: transparent bands on the image, opaque bands on the mask', async () => {
    const { jpeg, mask } = await photoAndMask();
    const prepared = await prepareImageAndMask(jpeg, mask, { fit: 'pad' });
    const image = await pixels(prepared.image.blob);
    const maskPixels = await pixels(prepared.mask.blob);
    // Scale 0.256, vertical offset 128: the square maps to 460.8…563.2 on both axes.
    expect(maskPixels.at(512, 512)[3]).toBe(0);
    expect(isGreen(image.at(512, 512))).toBe(true);
    expect(maskPixels.at(512, 600)[3]).toBe(255);
    expect(image.at(512, 50)[3]).toBe(0);
    expect(maskPixels.at(512, 50)[3]).toBe(255);
    expect(maskPixels.at(512, 1000)[3]).toBe(255);
  });

  test('pad with a colour fills the bands', async () => {
    const canvas = paintedCanvas(
      200,
      100,
      { x: 0, y: 0, w: 0, h: 0, colour: '#000' },
      { background: '#ff0000' },
    );
    const prepared = await prepareImage(canvas, { fit: 'pad', background: '#0000ff' });
    const image = await pixels(prepared.blob);
    expect(prepared.width).toBe(200);
    expect(image.at(100, 10)).toEqual([0, 0, 255, 255]);
    expect(image.at(100, 100)).toEqual([255, 0, 0, 255]);
  });

  test('a PNG that would pass 4 MB is scaled down, and the reduction is reported', async () => {
    const noise = paintedCanvas(1400, 1400, { x: 0, y: 0, w: 0, h: 0, colour: '#000' }, { noise: 255 });
    const prepared = await prepareImage(noise, { maxSide: 1400 });
    expect(prepared.blob.size).toBeLessThanOrEqual(FOUR_MB);
    expect(prepared.reduced).not.toBeNull();
    expect(prepared.reduced!.fromSide).toBe(1400);
    expect(prepared.reduced!.toSide).toBe(prepared.width);
    expect(prepared.width).toBeLessThan(1400);
    expect(prepared.reduced!.bytesBefore).toBeGreaterThan(FOUR_MB);
  });

  test('when nothing fits, ImageTooLargeError says how large', async () => {
    const noise = paintedCanvas(300, 300, { x: 0, y: 0, w: 0, h: 0, colour: '#000' }, { noise: 255 });
    const error = await prepareImage(noise, { maxBytes: 10_000, minSide: 256 }).catch((e: unknown) => e);
    expect(ImageTooLargeError.isInstance(error)).toBe(true);
    expect((error as ImageTooLargeError).maxBytes).toBe(10_000);
  });

  test('every input kind: File, Blob, ImageBitmap, ImageData, canvas, blob: URL, <img>', async () => {
    const canvas = paintedCanvas(
      64,
      64,
      { x: 0, y: 0, w: 32, h: 64, colour: '#00ff00' },
      { background: '#ff0000' },
    );
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const url = URL.createObjectURL(blob);
    const img = new Image();
    img.src = url;
    await img.decode();
    const domCanvas = document.createElement('canvas');
    domCanvas.width = 64;
    domCanvas.height = 64;
    domCanvas.getContext('2d')!.drawImage(canvas, 0, 0);
    const inputs = [
      new File([blob], 'a.png', { type: 'image/png' }),
      blob,
      await createImageBitmap(blob),
      canvas.getContext('2d')!.getImageData(0, 0, 64, 64),
      canvas,
      domCanvas,
      url,
      new URL(url),
      img,
    ];
    for (const input of inputs) {
      const prepared = await prepareImage(input);
      const p = await pixels(prepared.blob);
      expect([p.width, isGreen(p.at(10, 10)), isRed(p.at(50, 10))]).toEqual([64, true, true]);
    }
  });

  test('typed errors: not an image, not square, mismatched mask', async () => {
    const text = new Blob(['hello'], { type: 'text/plain' });
    expect(NotAnImageError.isInstance(await prepareImage(text).catch((e: unknown) => e))).toBe(true);
    const corrupt = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], { type: 'image/png' });
    expect(NotAnImageError.isInstance(await prepareImage(corrupt).catch((e: unknown) => e))).toBe(true);

    const wide = new OffscreenCanvas(300, 200);
    wide.getContext('2d')!.fillRect(0, 0, 300, 200);
    const notSquare = await prepareImage(wide, { fit: 'none' }).catch((e: unknown) => e);
    expect(NotSquareError.isInstance(notSquare)).toBe(true);
    expect(notSquare).toMatchObject({ width: 300, height: 200, code: 'not-square' });

    const mask = new OffscreenCanvas(200, 200);
    mask.getContext('2d')!.fillRect(0, 0, 200, 200);
    const mismatch = await prepareImageAndMask(wide, mask).catch((e: unknown) => e);
    expect(MaskSizeMismatchError.isInstance(mismatch)).toBe(true);
    expect(mismatch).toMatchObject({ image: { width: 300, height: 200 }, mask: { width: 200, height: 200 } });
  });
});

test('encodeMask: alpha 0 exactly where coverage reaches the threshold, 255 elsewhere', async () => {
  const model = new MaskModel(100, 100);
  model.fillRect(10, 10, 20, 20, 'paint');
  model.coverage[50 * 100 + 50] = MASK_THRESHOLD;
  model.coverage[50 * 100 + 51] = MASK_THRESHOLD - 1;
  const mask = await pixels(await encodeMask(model));
  expect(mask.at(10, 10)[3]).toBe(0);
  expect(mask.at(19, 19)[3]).toBe(0);
  expect(mask.at(20, 20)[3]).toBe(255);
  expect(mask.at(9, 10)[3]).toBe(255);
  expect(mask.at(50, 50)[3]).toBe(0);
  expect(mask.at(51, 50)[3]).toBe(255);
  let transparent = 0;
  for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x++) if (mask.at(x, y)[3] === 0) transparent++;
  expect(transparent).toBe(101);
});

test('encodeMask: a smooth mask and a fragmented one (the canvas fallback) decode to the same alpha as maskToImageData', async () => {
  const side = 300;
  const smooth = new MaskModel(side, side);
  smooth.line(20, 30, 280, 250, 25, 0.4, 'paint');
  smooth.fillRect(200, 10, 290, 60, 'paint');
  const noisy = new MaskModel(side, side, {
    coverage: new Uint8ClampedArray(side * side).map((_, i) => ((i * 7919) % 5 < 2 ? 255 : 0)),
  });
  for (const model of [smooth, noisy]) {
    const blob = await encodeMask(model);
    expect(blob.type).toBe('image/png');
    const decoded = await pixels(blob);
    expect([decoded.width, decoded.height]).toEqual([side, side]);
    const expected = maskToImageData(model).data;
    let mismatches = 0;
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const i = (y * side + x) * 4;
        if (decoded.at(x, y).join() !== [...expected.subarray(i, i + 4)].join()) mismatches++;
      }
    expect(mismatches).toBe(0);
  }
});
