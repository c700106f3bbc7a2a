import { describe, expect, test } from 'vitest';

import { MaskModel, isImageExpired, isSafeImageSrc } from 'parlance/core';
import { keepImage, normalizeImagesResponse } from '../../../src/core/images/results';

describe('normalizeImagesResponse', () => {
  test('URL results expire one hour after `created`; b64 results are held as Blobs', () => {
    const now = 1_700_000_100_000;
    const images = normalizeImagesResponse(
      {
        created: 1_700_000_000,
        data: [
          { url: 'https://img.example/1.png', revised_prompt: 'A red fox' },
          { b64_json: btoa('PNGDATA') },
          {},
        ],
      },
      { now },
    );
    expect(images).toHaveLength(2);
    expect(images[0]).toEqual({
      src: 'https://img.example/1.png',
      expiresAt: 1_700_000_000_000 + 3_600_000,
      revisedPrompt: 'A red fox',
    });
    expect(images[1]!.blob?.type).toBe('image/png');
    expect(images[1]!.blob?.size).toBe(7);
    expect(images[1]!.expiresAt).toBeUndefined();
    expect(isImageExpired(images[0]!, now)).toBe(false);
    expect(isImageExpired(images[0]!, 1_700_003_600_000)).toBe(true);
    expect(isImageExpired(images[1]!, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  test('keepImage fetches to a Blob and drops the expiry', async () => {
    const requested: Array<[string, RequestInit | undefined]> = [];
    const kept = await keepImage(
      { src: 'https://img.example/1.png', expiresAt: 1 },
      {
        fetch: async (url, init) => {
          requested.push([url, init]);
          return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png' } });
        },
      },
    );
    expect(requested[0]![0]).toBe('https://img.example/1.png');
    expect(requested[0]![1]?.credentials).toBe('omit');
    expect(kept.blob?.size).toBe(3);
    expect(kept.expiresAt).toBeUndefined();
    expect(kept.src).toMatch(/^blob:/);
    expect(isImageExpired(kept, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

test('isSafeImageSrc allows only blob:, data:image/ and https:', () => {
  for (const src of ['blob:https://a/b', 'data:image/png;base64,AAAA', 'https://img.example/x.png'])
    expect(isSafeImageSrc(src)).toBe(true);
  for (const src of [
    'javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'http://img.example/x.png',
    '/relative.png',
    'data:image/svg+xml,<svg/>',
  ])
    expect(isSafeImageSrc(src)).toBe(false);
});

describe('MaskModel', () => {
  test('a hard brush stroke paints exactly the pixels within the radius of the segment', () => {
    const mask = new MaskModel(64, 64);
    mask.begin();
    mask.line(10, 20, 50, 20, 5, 1, 'paint');
    expect(mask.isPainted(10, 20)).toBe(true);
    expect(mask.isPainted(30, 24)).toBe(true);
    expect(mask.isPainted(30, 15)).toBe(true);
    expect(mask.isPainted(30, 26)).toBe(false);
    expect(mask.isPainted(30, 13)).toBe(false);
    expect(mask.isPainted(56, 20)).toBe(false);
    expect(mask.isPainted(3, 20)).toBe(false);
  });

  test('erase, rectangle, invert, clear, undo and redo', () => {
    const mask = new MaskModel(32, 32);
    mask.begin();
    mask.fillRect(4, 4, 12, 12, 'paint');
    expect(mask.isPainted(4, 4)).toBe(true);
    expect(mask.isPainted(11, 11)).toBe(true);
    expect(mask.isPainted(12, 12)).toBe(false);
    mask.begin();
    mask.stamp(8, 8, 2, 1, 'erase');
    expect(mask.isPainted(8, 8)).toBe(false);
    expect(mask.isPainted(5, 5)).toBe(true);
    mask.invert();
    expect(mask.isPainted(8, 8)).toBe(true);
    expect(mask.isPainted(5, 5)).toBe(false);
    expect(mask.isPainted(20, 20)).toBe(true);
    expect(mask.undo()).toBe(true);
    expect(mask.isPainted(20, 20)).toBe(false);
    expect(mask.undo()).toBe(true);
    expect(mask.isPainted(8, 8)).toBe(true);
    expect(mask.redo()).toBe(true);
    expect(mask.isPainted(8, 8)).toBe(false);
    mask.clear();
    expect(mask.isEmpty()).toBe(true);
    expect(mask.canRedo).toBe(false);
    mask.undo();
    expect(mask.isPainted(5, 5)).toBe(true);
    expect(mask.undo()).toBe(true);
    expect(mask.undo()).toBe(true);
    expect(mask.isEmpty()).toBe(true);
    expect(mask.undo()).toBe(false);
  });

  test('hardness softens the edge; only coverage of half or more counts as painted', () => {
    const mask = new MaskModel(40, 40);
    mask.stamp(20, 20, 10, 0, 'paint');
    const at = (x: number) => mask.coverage[20 * 40 + x]!;
    expect(at(20)).toBeGreaterThan(230);
    expect(at(24)).toBeGreaterThan(at(27));
    expect(at(27)).toBeGreaterThan(0);
    expect(mask.isPainted(24, 20)).toBe(true);
    expect(mask.isPainted(27, 20)).toBe(false);
  });
});
