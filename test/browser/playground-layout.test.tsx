// The playground's first screen, at the two sizes a first visit uses: a desktop at 1280×800 and a
// phone at 390×844. The chat comes first: its composer is on screen without scrolling, the
// textarea takes the width it has, the meter's labels stay whole; settings open as a drawer and
// images are a tab of their own.
import { afterEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { App } from '../../playground/app';

// Files share the browser page: the playground's settings, conversations and drafts, the address
// and the viewport are put back as they were.
const before = { width: window.innerWidth, height: window.innerHeight };
afterEach(async () => {
  localStorage.clear();
  history.replaceState(null, '', location.pathname + location.search);
  await page.viewport(before.width, before.height);
});

async function open(width: number, height: number) {
  await page.viewport(width, height);
  localStorage.setItem('parlance-playground-settings', JSON.stringify({ locale: 'en', theme: 'light' }));
  const screen = await render(<App />);
  const textarea = screen.getByRole('textbox', { name: 'Message' });
  await expect.element(textarea).toBeVisible();
  return { screen, textarea: textarea.element() as HTMLTextAreaElement };
}

/** Whether `element` lies wholly inside the viewport, as the page is when it opens. */
function onScreen(element: Element) {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
}

test('at 1280×800 the chat comes first and large, with its composer above the fold', async () => {
  const { screen, textarea } = await open(1280, 800);
  expect(scrollY).toBe(0);
  expect(onScreen(textarea)).toBe(true);
  expect(onScreen(screen.getByRole('button', { name: 'Send' }).element())).toBe(true);
  const chat = screen.getByRole('region', { name: 'Chat' }).element().getBoundingClientRect();
  expect(chat.top).toBeLessThan(100);
  expect(chat.height).toBeGreaterThan(600);
  expect(chat.width).toBeGreaterThan(900);
  // Settings are not on the page until asked for; images are the other tab.
  expect(screen.getByRole('combobox', { name: 'Model' }).query()).toBeNull();
  await expect.element(screen.getByRole('tab', { name: 'Chat' })).toHaveAttribute('aria-selected', 'true');
  await expect.element(screen.getByRole('tab', { name: 'Images' })).toHaveAttribute('aria-selected', 'false');
});

test('settings open in a modal drawer and close back to their button', async () => {
  const { screen } = await open(1280, 800);
  const button = screen.getByRole('button', { name: 'Settings' });
  await userEvent.click(button);
  const drawer = screen.getByRole('dialog');
  await expect.element(drawer).toBeVisible();
  await expect.element(drawer).toHaveAccessibleName('Settings');
  await expect.element(screen.getByRole('combobox', { name: 'Model' })).toBeVisible();
  await userEvent.keyboard('{Escape}');
  await expect.poll(() => document.querySelector('dialog')!.open).toBe(false);
  await expect.element(button).toHaveFocus();
});

test('images are a tab of their own, with a prompt length counter and a place to drop an image', async () => {
  const { screen } = await open(1280, 800);
  const tab = screen.getByRole('tab', { name: 'Images' });
  await userEvent.click(tab);
  await expect.element(tab).toHaveAttribute('aria-selected', 'true');
  expect(screen.getByRole('textbox', { name: 'Message' }).query()).toBeNull();
  const prompt = screen.getByRole('textbox', { name: 'Image prompt' });
  await expect.element(prompt).toHaveAccessibleDescription('20 / 1,000 characters');
  await userEvent.fill(prompt, 'x'.repeat(1_005));
  await expect
    .element(prompt)
    .toHaveAccessibleDescription(/1,005 \/ 1,000 characters.*5 characters too long/);
  await expect.element(screen.getByRole('button', { name: 'Generate' })).toBeDisabled();
  // The file picker is labelled and reachable; a dropped image offers edit and variation.
  await expect.element(screen.getByLabelText('choose a file')).toBeInTheDocument();
  const zone = document.querySelector<HTMLElement>('[data-slot="dropzone"]')!;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 8;
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  const files = new DataTransfer();
  files.items.add(new File([blob], 'photo.png', { type: 'image/png' }));
  zone.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
  await expect.element(screen.getByRole('img', { name: 'The image you chose: photo.png' })).toBeVisible();
  await expect.element(screen.getByRole('button', { name: 'Make a variation' })).toBeVisible();
  await userEvent.click(screen.getByRole('button', { name: 'Edit with a mask' }));
  await expect.element(screen.getByRole('application', { name: 'Mask canvas' })).toBeVisible();
});

test('at 390×844 the chat is at the top, its textarea full width, the meter labels whole', async () => {
  const { screen, textarea } = await open(390, 844);
  expect(scrollY).toBe(0);
  expect(onScreen(textarea)).toBe(true);
  const chat = screen.getByRole('region', { name: 'Chat' }).element().getBoundingClientRect();
  expect(chat.top).toBeLessThan(130);
  const composer = textarea.closest('.parlance-composer')!.getBoundingClientRect();
  // The textarea takes the composer's whole inner width (was 144 px beside its buttons).
  expect(textarea.getBoundingClientRect().width).toBeGreaterThan(composer.width - 48);
  expect(textarea.getBoundingClientRect().width).toBeGreaterThan(300);
  await expect
    .poll(() => document.querySelectorAll('.parlance-token-meter-figures dt').length)
    .toBeGreaterThan(1);
  for (const label of document.querySelectorAll<HTMLElement>('.parlance-token-meter-figures dt')) {
    const lineHeight = parseFloat(getComputedStyle(label).lineHeight) || 20;
    expect(label.getBoundingClientRect().height, label.textContent!).toBeLessThan(lineHeight * 1.5);
  }
});
