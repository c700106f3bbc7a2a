import 'parlance/styles.css';

import { ImageGallery, MaskEditor, type ImageHistoryEntry } from 'parlance';
import { createRef } from 'react';
import { expect, test } from 'vitest';
import { render } from 'vitest-browser-react';

import { paintedCanvas } from './images-support';

const entry = (id: string, patch: Partial<ImageHistoryEntry>): ImageHistoryEntry => ({
  id,
  operation: 'generate',
  prompt: id,
  n: 1,
  status: 'success',
  images: [],
  error: null,
  createdAt: 0,
  reduced: null,
  ...patch,
});

// One request per state the gallery shows, in this order.
const requests: ImageHistoryEntry[] = [
  entry('queued', { status: 'queued' }),
  entry('loading', { status: 'pending' }),
  entry('failed', { status: 'error', error: new Error('Your request was rejected') }),
  entry('cancelled', { status: 'cancelled' }),
  entry('ready', { images: [{ src: 'data:image/png;base64,iVBORw0KGgo=' }] }),
  entry('expired', { images: [{ src: 'https://img.example/a.png', expiresAt: 1, expired: true }] }),
  entry('blocked', { images: [{ src: 'http://img.example/a.png' }] }),
];

/** A CSS colour as the browser computes it (`rgb(…)`). */
function computed(colour: string): string {
  const probe = document.createElement('div');
  probe.style.color = colour;
  document.body.append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  return value;
}

async function frames(theme: 'light' | 'dark') {
  const screen = await render(<ImageGallery requests={requests} theme={theme} />);
  const items = [...screen.container.querySelectorAll<HTMLElement>('[data-slot="item"]')];
  expect(items.map((item) => item.dataset.state)).toEqual([
    'queued',
    'loading',
    'error',
    'cancelled',
    'ready',
    'expired',
    'blocked',
  ]);
  return Object.fromEntries(
    items.map((item) => {
      const style = getComputedStyle(item.querySelector('[data-slot="frame"]')!);
      return [
        item.dataset.state!,
        { background: style.backgroundColor, color: style.color, animation: style.animationName },
      ];
    }),
  );
}

test('each gallery state paints its frame in its own colours; only a failure is in the danger colours', async () => {
  const byState = await frames('light');
  const checker = computed('#e5e7eb');
  const muted = computed('#545b66');
  const dangerSurface = computed('#fef2f2');
  const danger = computed('#b91c1c');

  expect(byState.error).toEqual({ background: dangerSurface, color: danger, animation: 'none' });
  expect(byState.loading).toEqual({
    background: checker,
    color: muted,
    animation: 'parlance-gallery-shimmer',
  });
  expect(byState.queued).toEqual({ background: checker, color: muted, animation: 'none' });
  expect(byState.cancelled).toEqual({ background: computed('#eceef2'), color: muted, animation: 'none' });
  for (const state of ['ready', 'expired', 'blocked'])
    expect(byState[state], state).toEqual({ background: checker, color: muted, animation: 'none' });
});

test('the dark theme is the shared dark palette', async () => {
  const byState = await frames('dark');
  expect(byState.error!.background).toBe(computed('#3b1515'));
  expect(byState.error!.color).toBe(computed('#fca5a5'));
  expect(byState.queued!.background).toBe(computed('#343944'));
  expect(byState.queued!.color).toBe(computed('#a7adb8'));
});

test('the image components follow the shared dialect: parlance-root, refs and pass-through props', async () => {
  const gallery = createRef<HTMLElement>();
  const editor = createRef<HTMLDivElement>();
  const screen = await render(
    <>
      <ImageGallery ref={gallery} requests={[]} id="gallery" data-testid="g" aria-label="Results" />
      <MaskEditor
        ref={editor}
        image={paintedCanvas(64, 64, { x: 0, y: 0, w: 0, h: 0, colour: '#000' })}
        id="editor"
        title="Mask"
        hardness={0.3}
        style={{ width: 200 }}
      />
    </>,
  );
  expect(gallery.current).toBe(screen.container.querySelector('#gallery'));
  expect(gallery.current!.className).toBe('parlance-root parlance-image-gallery');
  expect(gallery.current!.dataset.testid).toBe('g');
  expect(gallery.current!.getAttribute('aria-label')).toBe('Results');
  expect(editor.current).toBe(screen.container.querySelector('#editor'));
  expect(editor.current!.className).toBe('parlance-root parlance-mask-editor');
  expect(editor.current!.title).toBe('Mask');
  expect(editor.current!.style.width).toBe('200px');
  // `hardness` is controlled: the slider shows it.
  await expect.element(screen.getByRole('slider', { name: 'Hardness' })).toHaveValue('30');
  // No BEM class is left in either component.
  expect(screen.container.querySelector('[class*="__"]')).toBeNull();
});

test('inside a dark panel, "No images yet." has no band of another colour behind it', async () => {
  const screen = await render(
    <div className="parlance-root" data-theme="dark" style={{ background: 'var(--parlance-color-surface)' }}>
      <ImageGallery requests={[]} theme="dark" />
    </div>,
  );
  await expect.element(screen.getByText('No images yet.')).toBeVisible();
  const gallery = screen.container.querySelector<HTMLElement>('[data-slot="image-gallery"]')!;
  const panel = gallery.parentElement!;
  // Everything between the text and the panel lets the panel's colour through.
  for (
    let node: HTMLElement | null = screen.getByText('No images yet.').element() as HTMLElement;
    node !== panel;
    node = node!.parentElement
  )
    expect(getComputedStyle(node!).backgroundColor, node!.className).toBe('rgba(0, 0, 0, 0)');
  expect(getComputedStyle(panel).backgroundColor).toBe(computed('#1e2128'));
  // Standing alone, the gallery still paints its theme's background (its text stays readable).
  const alone = await render(<ImageGallery requests={[]} theme="dark" />);
  const own = alone.container.querySelector<HTMLElement>('[data-slot="image-gallery"]')!;
  expect(getComputedStyle(own).backgroundColor).toBe(computed('#15171c'));
});

test('a long failed prompt’s caption is clamped to three lines; the full text stays available', async () => {
  const prompt = 'a very detailed scene of a harbour town at night with boats and lanterns, '
    .repeat(20)
    .trim();
  const screen = await render(
    <div style={{ width: 600 }}>
      <ImageGallery
        requests={[entry('long', { prompt, status: 'error', error: new Error('The prompt is too long') })]}
      />
    </div>,
  );
  const caption = screen.container.querySelector<HTMLElement>('.parlance-image-gallery-caption')!;
  const lineHeight = parseFloat(getComputedStyle(caption).lineHeight);
  expect(caption.getBoundingClientRect().height).toBeLessThanOrEqual(lineHeight * 3 + 1);
  expect(caption.scrollHeight).toBeGreaterThan(lineHeight * 3 + 1);
  expect(caption.textContent).toBe(prompt);
  expect(caption.title).toBe(prompt);
});
