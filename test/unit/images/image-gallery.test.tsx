// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { ImageGallery, ParlanceProvider, type ImageHistoryEntry } from 'parlance';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const entry = (patch: Partial<ImageHistoryEntry>): ImageHistoryEntry => ({
  id: `r${Math.random().toString(36).slice(2)}`,
  operation: 'generate',
  prompt: 'A red fox in snow',
  n: 1,
  status: 'success',
  images: [],
  error: null,
  createdAt: 0,
  reduced: null,
  ...patch,
});

describe('ImageGallery', () => {
  test('one placeholder per requested image while pending, with the queue position while queued', () => {
    const { rerender } = render(<ImageGallery requests={[entry({ status: 'pending', n: 3 })]} />);
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(
      items.every((item) => item.dataset.state === 'loading' && item.getAttribute('aria-busy') === 'true'),
    ).toBe(true);
    expect(screen.getAllByText('Generating image…')).toHaveLength(3);

    rerender(
      <ImageGallery
        requests={[entry({ status: 'queued', n: 2 })]}
        queue={{ id: 1, images: 2, position: 3, waitMs: 4200, readyAt: 4200 }}
      />,
    );
    expect(screen.getAllByRole('listitem').map((i) => i.dataset.state)).toEqual(['queued', 'queued']);
    expect(screen.getAllByText('Waiting for the rate limit: position 3, about 5 s')).toHaveLength(2);
  });

  test('variations (no prompt) are numbered by age, so each has its own name', () => {
    const image = { src: 'blob:http://localhost/v' };
    render(
      <ImageGallery
        requests={[
          entry({ operation: 'variation', prompt: undefined, images: [image], createdAt: 20 }),
          entry({ operation: 'variation', prompt: undefined, images: [image], createdAt: 10 }),
        ]}
      />,
    );
    expect(screen.getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual([
      'Image 1 of 1: Variation 2',
      'Image 1 of 1: Variation 1',
    ]);
  });

  test('ready images: lazy thumbnails with alt text, revised prompt, and working actions', () => {
    const onEdit = vi.fn();
    const onVary = vi.fn();
    const image = {
      src: 'blob:http://localhost/abc',
      blob: new Blob(['x'], { type: 'image/png' }),
      revisedPrompt: 'A red fox curled up in fresh snow',
    };
    const request = entry({
      images: [image, { src: 'https://img.example/2.png', expiresAt: Date.now() + 60_000 }],
      n: 2,
    });
    render(<ImageGallery requests={[request]} onEdit={onEdit} onVary={onVary} onKeep={vi.fn()} />);
    const images = screen.getAllByRole('img');
    expect(images).toHaveLength(2);
    expect(images[0]!.getAttribute('loading')).toBe('lazy');
    expect(images[0]!.getAttribute('alt')).toBe('Image 1 of 2: A red fox in snow');
    expect(screen.getByText('A red fox curled up in fresh snow')).toBeTruthy();
    const first = screen.getAllByRole('listitem')[0]!;
    expect(within(first).getByRole('link', { name: 'Download' }).getAttribute('download')).toMatch(/\.png$/);
    within(first).getByRole('button', { name: 'Edit this' }).click();
    within(first).getByRole('button', { name: 'Vary this' }).click();
    expect(onEdit).toHaveBeenCalledWith(image, request);
    expect(onVary).toHaveBeenCalledWith(image, request);
    // A held image needs no keeping; a URL image offers it.
    expect(within(first).queryByRole('button', { name: 'Keep' })).toBeNull();
    expect(within(screen.getAllByRole('listitem')[1]!).getByRole('button', { name: 'Keep' })).toBeTruthy();
  });

  test('an unkept URL image turns into the expired state when its hour is up, never a broken image', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    render(
      <ImageGallery
        requests={[
          entry({ images: [{ src: 'https://img.example/1.png', expiresAt: 1_000_000 + 3_600_000 }] }),
        ]}
      />,
    );
    expect(screen.getByRole('img')).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(3_600_100);
    });
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText('This image link has expired.')).toBeTruthy();
    expect(screen.getByRole('listitem').dataset.state).toBe('expired');
    expect(screen.queryByRole('button', { name: 'Download' })).toBeNull();
  });

  test('only blob:, data:image/ and https: sources reach an <img>', () => {
    const unsafe = [
      'javascript:alert(1)',
      'http://tracker.example/p.png',
      'data:text/html,<script>alert(1)</script>',
      '//evil.example/x.png',
    ];
    render(<ImageGallery requests={[entry({ n: 4, images: unsafe.map((src) => ({ src })) })]} />);
    expect(screen.queryAllByRole('img')).toHaveLength(0);
    expect(screen.getAllByRole('listitem').every((i) => i.dataset.state === 'blocked')).toBe(true);
    expect(document.querySelector('a[href^="javascript"], a[href^="http:"]')).toBeNull();
  });

  test('error and cancelled requests show per request; Chinese strings', () => {
    render(
      <ParlanceProvider locale="zh-CN">
        <ImageGallery
          requests={[
            entry({ status: 'error', error: new Error('Your request was rejected'), n: 2 }),
            entry({ status: 'cancelled' }),
          ]}
        />
      </ParlanceProvider>,
    );
    expect(screen.getByRole('region', { name: '生成的图片' })).toBeTruthy();
    const items = screen.getAllByRole('listitem');
    expect(items.map((i) => i.dataset.state)).toEqual(['error', 'cancelled']);
    expect(screen.getByRole('alert').textContent).toBe('请求失败：Your request was rejected');
    expect(screen.getByText('已取消')).toBeTruthy();
  });

  test('empty gallery says so', () => {
    render(<ImageGallery requests={[]} />);
    expect(screen.getByText('No images yet.')).toBeTruthy();
  });

  test('an image restored from storage marked expired shows as expired at once, not as a broken image', () => {
    render(
      <ImageGallery
        requests={[entry({ images: [{ src: 'https://img.example/gone.png', expired: true }] })]}
      />,
    );
    const item = screen.getByRole('listitem');
    expect(item.dataset.state).toBe('expired');
    expect(within(item).queryByRole('img')).toBeNull();
    expect(within(item).getByText('This image link has expired.')).toBeTruthy();
  });
});
