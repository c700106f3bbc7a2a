import { describe, expect, test } from 'vitest';

import { ImageValidationError, prepareVisionImage } from 'parlance/core';

import { paintedCanvas, pixels } from './images-support';

const file = async (canvas: OffscreenCanvas, type: string, name: string, quality?: number) =>
  new File([await canvas.convertToBlob({ type, quality })], name, { type });

const green = { x: 0, y: 0, w: 0, h: 0, colour: '#00ff00' };

describe('prepareVisionImage', () => {
  test('keeps an accepted image that already fits, as it is', async () => {
    const small = await file(paintedCanvas(800, 600, green), 'image/jpeg', 'small.jpg', 0.9);
    const prepared = await prepareVisionImage(small);
    expect(prepared.unchanged).toBe(true);
    expect(prepared.blob).toBe(small);
    expect([prepared.width, prepared.height, prepared.type]).toEqual([800, 600, 'image/jpeg']);
  });

  test('scales a phone photo to a 2048 longest side, as JPEG, under the byte limit', async () => {
    const photo = await file(
      paintedCanvas(4032, 3024, { x: 1000, y: 1000, w: 800, h: 800, colour: '#00ff00' }, { noise: 60 }),
      'image/jpeg',
      'photo.jpg',
      0.95,
    );
    const prepared = await prepareVisionImage(photo);
    expect(prepared).toMatchObject({
      type: 'image/jpeg',
      width: 2048,
      height: 1536,
      original: { width: 4032, height: 3024 },
      unchanged: false,
    });
    expect(prepared.blob.size).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(prepared.blob.size).toBeLessThan(photo.size / 3);
    const decoded = await pixels(prepared.blob);
    expect([decoded.width, decoded.height]).toEqual([2048, 1536]);
    // The content is scaled, not cropped: the green square is where it was, at half the size.
    const [r, g, b] = decoded.at(700, 700);
    expect(g).toBeGreaterThan(150);
    expect(r + b).toBeLessThan(200);
  });

  test('re-encodes a GIF (animation is not accepted) and keeps transparency in PNG', async () => {
    const canvas = new OffscreenCanvas(300, 200);
    canvas.getContext('2d')!.fillRect(0, 0, 100, 100);
    const gif = new File([await canvas.convertToBlob({ type: 'image/png' })], 'a.gif', { type: 'image/gif' });
    const prepared = await prepareVisionImage(gif);
    expect(prepared.type).toBe('image/png');
    expect(prepared.unchanged).toBe(false);
    const decoded = await pixels(prepared.blob);
    expect(decoded.at(250, 150)[3]).toBe(0);
    expect(decoded.at(50, 50)[3]).toBe(255);
  });

  test('falls back to a lossy type, then a smaller side, to meet maxBytes', async () => {
    const noisy = await file(paintedCanvas(1500, 1000, green, { noise: 255 }), 'image/png', 'noise.png');
    const prepared = await prepareVisionImage(noisy, { maxBytes: 200 * 1024 });
    expect(prepared.blob.size).toBeLessThanOrEqual(200 * 1024);
    expect(['image/webp', 'image/jpeg']).toContain(prepared.type);
  });

  test('refuses what cannot be decoded or made small enough, with a typed error', async () => {
    const broken = new File([new Uint8Array([137, 80, 78, 71])], 'broken.png', { type: 'image/png' });
    await expect(prepareVisionImage(broken)).rejects.toSatisfy(
      (e) => ImageValidationError.isInstance(e) && e.code === 'not-an-image',
    );
    const noisy = await file(paintedCanvas(1000, 1000, green, { noise: 255 }), 'image/png', 'noise.png');
    await expect(prepareVisionImage(noisy, { maxBytes: 1000 })).rejects.toSatisfy(
      (e) => ImageValidationError.isInstance(e) && e.code === 'too-large',
    );
  });
});
