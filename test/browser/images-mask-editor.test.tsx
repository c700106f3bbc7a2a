import 'parlance/styles.css';
import '../../src/styles/images.css';

import { MaskEditor, ParlanceProvider, type MaskEditorChange } from 'parlance';
import { expect, test, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { strokeCanvas as stroke } from '../../stories/support/images-backend';
import { paintedCanvas, pixels } from './images-support';

const SIDE = 512;

async function mount(props: Partial<Parameters<typeof MaskEditor>[0]> = {}, locale: 'en' | 'zh-CN' = 'en') {
  const onChange = vi.fn<(change: MaskEditorChange) => void>();
  const image = paintedCanvas(SIDE, SIDE, { x: 0, y: 0, w: 0, h: 0, colour: '#000' });
  const screen = await render(
    <ParlanceProvider locale={locale}>
      <MaskEditor image={image} onChange={onChange} defaultBrushSize={40} style={{ width: 512 }} {...props} />
    </ParlanceProvider>,
  );
  const root = screen.container.querySelector<HTMLElement>('.parlance-mask-editor')!;
  await expect.poll(() => root.dataset.state).toBe('ready');
  await expect.poll(() => onChange.mock.calls.length).toBeGreaterThan(0);
  const overlay = root.querySelector<HTMLCanvasElement>('[data-slot="overlay"]')!;
  return { screen, root, overlay, onChange };
}

async function lastMask(
  onChange: ReturnType<typeof vi.fn<(change: MaskEditorChange) => void>>,
  calls: number,
) {
  await expect.poll(() => onChange.mock.calls.length).toBeGreaterThanOrEqual(calls);
  const change = onChange.mock.calls.at(-1)![0];
  return { change, mask: await pixels(change.mask), image: await pixels(change.image) };
}

test('a scripted brush stroke gives a pixel-exact mask of the image size', async () => {
  const { overlay, onChange } = await mount();
  const before = onChange.mock.calls.length;
  stroke(overlay, [
    [100, 256],
    [250, 256],
    [400, 256],
  ]);
  const { change, mask, image } = await lastMask(onChange, before + 1);
  expect([change.width, change.height, change.isEmpty]).toEqual([SIDE, SIDE, false]);
  expect([mask.width, mask.height, image.width, image.height]).toEqual([SIDE, SIDE, SIDE, SIDE]);
  expect(change.mask.type).toBe('image/png');
  // Radius 20 around the segment y = 256, x 100…400: pixel centres within 20 px are painted.
  for (const [x, y] of [
    [100, 256],
    [250, 256],
    [400, 256],
    [250, 240],
    [250, 274],
  ] as const)
    expect(mask.at(x, y)[3], `(${x}, ${y})`).toBe(0);
  for (const [x, y] of [
    [250, 234],
    [250, 278],
    [75, 256],
    [425, 256],
    [0, 0],
    [511, 511],
  ] as const)
    expect(mask.at(x, y)[3], `(${x}, ${y})`).toBe(255);
  // Only 0 and 255 ever.
  for (let y = 220; y < 300; y++) expect([0, 255]).toContain(mask.at(250, y)[3]);
});

test('undo, redo (buttons and keyboard), invert and clear', async () => {
  const { screen, root, overlay, onChange } = await mount();
  const undo = screen.getByRole('button', { name: 'Undo' });
  const redo = screen.getByRole('button', { name: 'Redo' });
  await expect.element(undo).toBeDisabled();
  stroke(overlay, [
    [50, 50],
    [60, 50],
  ]);
  await expect.element(undo).toBeEnabled();
  let { mask } = await lastMask(onChange, 2);
  expect(mask.at(55, 50)[3]).toBe(0);

  await undo.click();
  ({ mask } = await lastMask(onChange, 3));
  expect(mask.at(55, 50)[3]).toBe(255);
  await expect.element(redo).toBeEnabled();

  await redo.click();
  ({ mask } = await lastMask(onChange, 4));
  expect(mask.at(55, 50)[3]).toBe(0);

  await screen.getByRole('button', { name: 'Invert' }).click();
  ({ mask } = await lastMask(onChange, 5));
  expect(mask.at(55, 50)[3]).toBe(255);
  expect(mask.at(300, 300)[3]).toBe(0);

  // Ctrl+Z undoes the invert, Shift+Ctrl+Z redoes it (focus anywhere in the editor).
  const viewport = root.querySelector<HTMLElement>('[data-slot="viewport"]')!;
  viewport.focus();
  viewport.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true }));
  ({ mask } = await lastMask(onChange, 6));
  expect(mask.at(300, 300)[3]).toBe(255);
  viewport.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Z', ctrlKey: true, shiftKey: true, bubbles: true }),
  );
  ({ mask } = await lastMask(onChange, 7));
  expect(mask.at(300, 300)[3]).toBe(0);

  await screen.getByRole('button', { name: 'Clear' }).click();
  const last = await lastMask(onChange, 8);
  expect(last.change.isEmpty).toBe(true);
  expect(last.mask.at(55, 50)[3]).toBe(255);
  expect(last.mask.at(300, 300)[3]).toBe(255);
});

test('erase and rectangle tools; a pen paints thinner with light pressure', async () => {
  const { screen, overlay, onChange } = await mount();
  await screen.getByRole('button', { name: 'Rectangle' }).click();
  stroke(overlay, [
    [100, 100],
    [200, 160],
  ]);
  let { mask } = await lastMask(onChange, 2);
  expect(mask.at(100, 100)[3]).toBe(0);
  expect(mask.at(199, 159)[3]).toBe(0);
  expect(mask.at(200, 160)[3]).toBe(255);
  expect(mask.at(99, 120)[3]).toBe(255);

  await screen.getByRole('button', { name: 'Erase' }).click();
  stroke(overlay, [
    [150, 130],
    [150, 131],
  ]);
  ({ mask } = await lastMask(onChange, 3));
  expect(mask.at(150, 130)[3]).toBe(255);
  expect(mask.at(105, 105)[3]).toBe(0);

  await screen.getByRole('button', { name: 'Paint' }).click();
  stroke(
    overlay,
    [
      [300, 400],
      [400, 400],
    ],
    { pointerType: 'pen', pressure: 0.25 },
  );
  ({ mask } = await lastMask(onChange, 4));
  // Radius 20 × 0.25 = 5.
  expect(mask.at(350, 404)[3]).toBe(0);
  expect(mask.at(350, 407)[3]).toBe(255);
});

test('zoom keeps painting aligned to image pixels', async () => {
  const { screen, root, overlay, onChange } = await mount();
  await screen.getByRole('button', { name: 'Zoom in' }).click();
  await screen.getByRole('button', { name: 'Zoom in' }).click();
  await expect.element(screen.getByText('Zoom 225%')).toBeVisible();
  const stage = root.querySelector<HTMLElement>('[data-slot="stage"]')!;
  expect(stage.style.transform).toContain('scale(2.25)');
  stroke(overlay, [
    [256, 256],
    [257, 256],
  ]);
  const { mask } = await lastMask(onChange, 2);
  expect(mask.at(256, 256)[3]).toBe(0);
  expect(mask.at(256, 280)[3]).toBe(255);
});

test('controls are labelled in Chinese and reachable by keyboard', async () => {
  const { screen } = await mount({}, 'zh-CN');
  await expect.element(screen.getByRole('toolbar', { name: '蒙版工具' })).toBeVisible();
  for (const name of ['涂抹', '擦除', '矩形', '撤销', '重做', '清除', '反选', '放大', '缩小'])
    await expect.element(screen.getByRole('button', { name })).toBeInTheDocument();
  await expect.element(screen.getByRole('slider', { name: '画笔大小' })).toBeInTheDocument();
  await expect.element(screen.getByRole('application', { name: '蒙版画布' })).toBeInTheDocument();
});

test('a controlled value drives the painted area', async () => {
  const coverage = new Uint8ClampedArray(SIDE * SIDE);
  coverage.fill(255, 10 * SIDE, 11 * SIDE);
  const onValueChange = vi.fn();
  const { onChange } = await mount({ value: { width: SIDE, height: SIDE, coverage }, onValueChange });
  const { mask } = await lastMask(onChange, 1);
  expect(mask.at(300, 10)[3]).toBe(0);
  expect(mask.at(300, 11)[3]).toBe(255);
});

test('the overlay shows every stroke, repainted by rectangle once per frame', async () => {
  const { overlay } = await mount();
  const alphaAt = (x: number, y: number) => overlay.getContext('2d')!.getImageData(x, y, 1, 1).data[3]!;
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  stroke(overlay, [
    [60, 60],
    [80, 60],
  ]);
  // Nothing is drawn before the frame; the model has the stroke already.
  expect(alphaAt(70, 60)).toBe(0);
  await nextFrame();
  await nextFrame();
  expect(alphaAt(70, 60)).toBe(255);
  stroke(overlay, [
    [400, 400],
    [420, 400],
  ]);
  await nextFrame();
  await nextFrame();
  // The second stroke's repaint leaves the first one on screen.
  expect(alphaAt(410, 400)).toBe(255);
  expect(alphaAt(70, 60)).toBe(255);
  expect(alphaAt(250, 250)).toBe(0);
  // The default colour, #e11d48, at full coverage.
  expect([...overlay.getContext('2d')!.getImageData(70, 60, 1, 1).data]).toEqual([0xe1, 0x1d, 0x48, 255]);
});

test('marks a region by keyboard: arrow keys move a brush, Space paints, announced', async () => {
  const { screen, root, onChange } = await mount();
  const canvas = screen.getByRole('application', { name: 'Mask canvas' });
  (canvas.element() as HTMLElement).focus();
  // The first arrow shows the brush in the middle; each next one moves it half a brush (20 px).
  await userEvent.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
  const cursor = root.querySelector<HTMLElement>('[data-slot="cursor"]');
  expect(cursor).not.toBeNull();
  expect(getComputedStyle(cursor!).display).not.toBe('none');
  const status = root.querySelector('[data-slot="announcer"]')!;
  expect(status.getAttribute('role')).toBe('status');
  await expect.poll(() => status.textContent).toBe('Brush at 296, 256');
  const calls = onChange.mock.calls.length;
  await userEvent.keyboard(' ');
  const { change, mask } = await lastMask(onChange, calls + 1);
  expect(change.isEmpty).toBe(false);
  expect(mask.at(296, 256)[3]).toBe(0);
  expect(mask.at(296, 280)[3]).toBe(255);
  expect(status.textContent).toBe('Painted at 296, 256');

  // Rectangle: Space sets one corner, the arrows drag the other, Space fills.
  await screen.getByRole('button', { name: 'Rectangle' }).click();
  (canvas.element() as HTMLElement).focus();
  await userEvent.keyboard('{Shift>}{ArrowLeft}{ArrowLeft}{ArrowUp}{ArrowUp}{/Shift}');
  await userEvent.keyboard('{Enter}');
  expect(status.textContent).toMatch(/^Corner at 136, 96/);
  await userEvent.keyboard('{ArrowRight}{ArrowDown}');
  expect(root.querySelector('[data-slot="selection"]')).not.toBeNull();
  await userEvent.keyboard('{Enter}');
  const after = await lastMask(onChange, calls + 2);
  expect(status.textContent).toBe('Rectangle filled');
  expect(after.mask.at(140, 100)[3]).toBe(0);
  expect(after.mask.at(150, 110)[3]).toBe(0);
  expect(after.mask.at(130, 90)[3]).toBe(255);
  expect(root.querySelector('[data-slot="selection"]')).toBeNull();
});

test('the pan tool keeps arrow keys for panning', async () => {
  const { screen, root } = await mount({ defaultZoom: 2.25 });
  await screen.getByRole('button', { name: 'Pan' }).click();
  (screen.getByRole('application', { name: 'Mask canvas' }).element() as HTMLElement).focus();
  await userEvent.keyboard('{ArrowRight}{ArrowDown}');
  const stage = root.querySelector<HTMLElement>('[data-slot="stage"]')!;
  await expect.poll(() => stage.style.transform).toMatch(/translate\(-\d+px, -\d+px\)/);
  expect(root.querySelector('[data-slot="cursor"]')).toBeNull();
});

test('the toolbar lays out in whole groups: tools, sliders together, mask actions, view', async () => {
  const { screen } = await mount();
  const toolbar = screen.getByRole('toolbar', { name: 'Mask tools' }).element();
  const groups = [...toolbar.querySelectorAll<HTMLElement>(':scope > [role="group"]')];
  expect(groups.map((g) => g.getAttribute('aria-label'))).toEqual(['Mask tools', 'Brush', 'Mask', 'View']);
  // Both sliders in one group, and no slider among buttons.
  expect(groups[1]!.querySelectorAll('input[type="range"]')).toHaveLength(2);
  expect(groups[1]!.querySelectorAll('button')).toHaveLength(0);
  for (const group of groups) {
    // Each group on one row: its controls share a vertical centre.
    const centres = [...group.children].map((c) => {
      const r = c.getBoundingClientRect();
      return Math.round(r.top + r.height / 2);
    });
    expect(
      Math.max(...centres) - Math.min(...centres),
      group.getAttribute('aria-label')!,
    ).toBeLessThanOrEqual(2);
  }
  // Every control of the toolbar is inside one of the groups.
  expect(toolbar.children).toHaveLength(groups.length);
});
