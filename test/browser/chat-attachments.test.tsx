// Attachments and math, in a real browser: a phone photo is prepared under the reference server's
// body limit, a text file travels as a named text part, refused files say why, and a streamed
// reply's math renders once its delimiters are closed.
import { userEvent } from '@vitest/browser/context';
import { describe, expect, inject, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { ChatWindow, ParlanceProvider } from 'parlance';
import type { ChatCompletionChunk, ChatTransport } from 'parlance/core';

import 'parlance/styles.css';

const baseUrl = inject('offlineServerUrl');
// The reference server's default limit for a JSON body.
const BODY_LIMIT = 4 * 1024 * 1024;

/** A `fetch` that records each request's body. */
function recordingFetch() {
  const bodies: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    if (typeof init?.body === 'string') bodies.push(init.body);
    return fetch(input, init);
  };
  return { fetcher, bodies };
}

/**
 * A 4032×3024 "photo" as a phone takes it: smooth light with sensor noise, as a JPEG of about
 * 7 MB (noise is what makes real photos large).
 */
async function phonePhoto(): Promise<File> {
  const width = 4032;
  const height = 3024;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(width, height);
  const data = pixels.data;
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const noise = (random() - 0.5) * 96;
      data[i] = 90 + (x / width) * 120 + noise;
      data[i + 1] = 110 + (y / height) * 90 + noise;
      data[i + 2] = 160 - (x / width) * 60 + noise;
      data[i + 3] = 255;
    }
  }
  context.putImageData(pixels, 0, 0);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.92));
  return new File([blob], 'IMG_0001.jpg', { type: 'image/jpeg' });
}

async function imageSize(url: string): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

/** The token meter's prompt figure once it is the exact count of the current draft. */
async function shownPromptTokens(container: HTMLElement): Promise<number> {
  const section = container.querySelector<HTMLElement>('[data-slot="token-meter"]')!;
  await expect.poll(() => section.dataset.status, { timeout: 20_000 }).toBe('ready');
  const text = section.querySelector('[data-slot="prompt-tokens"]')!.textContent!;
  expect(text, 'an exact count, not an estimate').toMatch(/^[\d,]+$/);
  return Number(text.replaceAll(',', ''));
}

const doneReplies = (container: HTMLElement) =>
  container.querySelectorAll('[data-role="assistant"][data-status="done"]').length;

describe('ChatWindow attachments against the reference server', () => {
  it('sends a 4032×3024 phone photo scaled to 2048×1536, under the body limit', async () => {
    const photo = await phonePhoto();
    expect(photo.size, 'the photo is as large as a phone makes it').toBeGreaterThan(6.5 * 1024 * 1024);
    const { fetcher, bodies } = recordingFetch();
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-4o" locale="en" fetch={fetcher}>
        <ChatWindow allowImages style={{ height: 700 }} />
      </ParlanceProvider>,
    );
    await userEvent.fill(screen.getByRole('textbox', { name: 'Message' }), 'What is in this photo?');
    const textOnly = await shownPromptTokens(screen.container);
    const input = screen.container.querySelector<HTMLInputElement>('input[type="file"]')!;
    await userEvent.upload(input, photo);
    await expect
      .poll(() => screen.container.querySelector('.parlance-attachment')?.getAttribute('data-status'), {
        timeout: 30_000,
      })
      .toBe('ready');
    // Counted as sent: 2048×1536 is seen at 1024×768, 2×2 tiles of 512 px: 85 + 4 × 170 = 765.
    await expect
      .poll(async () => (await shownPromptTokens(screen.container)) - textOnly, { timeout: 20_000 })
      .toBe(765);
    const counted = await shownPromptTokens(screen.container);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await expect.poll(() => doneReplies(screen.container), { timeout: 30_000 }).toBe(1);
    // …and the server, counting the request it received, agrees.
    const usage = screen.container.querySelector(
      '[data-role="assistant"] .parlance-message-usage',
    )!.textContent!;
    expect(Number(/^([\d,]+) prompt/.exec(usage)![1]!.replaceAll(',', ''))).toBe(counted);

    expect(screen.container.querySelector('[data-role="assistant"] [data-slot="message-error"]')).toBeNull();
    const body = bodies.find((b) => b.includes('image_url'))!;
    expect(new Blob([body]).size).toBeLessThan(BODY_LIMIT);
    const sent = (JSON.parse(body) as { messages: Array<{ content: unknown }> }).messages.at(-1)!
      .content as Array<{ type: string; image_url?: { url: string } }>;
    expect(sent.map((p) => p.type)).toEqual(['text', 'image_url']);
    const url = sent[1]!.image_url!.url;
    expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(await imageSize(url)).toEqual({ width: 2048, height: 1536 });
    // The user's message shows the prepared image it sent.
    const shown = screen.container.querySelector<HTMLImageElement>('[data-role="user"] img')!;
    expect(shown.src).toBe(url);
  });

  it('sends a text file as a named text part, and says why other files were refused', async () => {
    const { fetcher, bodies } = recordingFetch();
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-3.5-turbo" locale="en" fetch={fetcher}>
        <ChatWindow allowImages allowFiles style={{ height: 700 }} />
      </ParlanceProvider>,
    );
    const input = screen.container.querySelector<HTMLInputElement>('input[type="file"]')!;
    await userEvent.upload(input, [
      new File(['# Kites\n\nDelta kites fly in light wind.\n'], 'notes.md', { type: '' }),
      new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'archive.zip', { type: 'application/zip' }),
      new File(['%PDF-1.4\n'], 'manual.pdf', { type: 'application/pdf' }),
    ]);
    const alert = screen.getByRole('alert');
    await expect
      .element(alert)
      .toHaveTextContent('archive.zip was not attached: it is not an image, a text file or a PDF.');
    await expect
      .element(alert)
      .toHaveTextContent('manual.pdf was not attached: this model does not read PDF files.');
    await expect
      .poll(() =>
        screen.container.querySelector('.parlance-attachment[data-kind="text"]')?.getAttribute('data-status'),
      )
      .toBe('ready');
    expect(screen.container.querySelectorAll('.parlance-attachment')).toHaveLength(1);

    await userEvent.fill(screen.getByRole('textbox', { name: 'Message' }), 'Summarise my notes');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await expect.poll(() => doneReplies(screen.container), { timeout: 30_000 }).toBe(1);

    const sent = (JSON.parse(bodies.at(-1)!) as { messages: Array<{ content: unknown }> }).messages.at(
      -1,
    )!.content;
    expect(sent).toEqual([
      { type: 'text', text: 'Summarise my notes' },
      { type: 'text', text: '<file name="notes.md">\n# Kites\n\nDelta kites fly in light wind.\n\n</file>' },
    ]);
    // The message shows the file as a chip with its name, not its text.
    const user = screen.container.querySelector<HTMLElement>('[data-role="user"]')!;
    expect(user.querySelector('[data-slot="message-files"]')?.textContent).toContain('notes.md');
    expect(user.textContent).not.toContain('Delta kites');
    await expect.element(screen.getByRole('listitem', { name: 'Attached file: notes.md' })).toBeVisible();
    // The notices stay until dismissed.
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }).first());
    await expect.element(alert).not.toHaveTextContent('archive.zip');
  });
});

/** A transport that streams `pieces`, waiting at each `null` until `release()` is called. */
function gatedTransport(pieces: Array<string | null>) {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const chunk = (content: string, finish: 'stop' | null = null): ChatCompletionChunk => ({
    id: 'chatcmpl-math',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'gpt-4o',
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  });
  const transport: ChatTransport = {
    async *send() {
      for (const piece of pieces) {
        if (piece === null) {
          await gate;
          gate = new Promise<void>((resolve) => (release = resolve));
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield chunk(piece);
      }
      yield chunk('', 'stop');
    },
  };
  return { transport, release: () => release() };
}

describe('math in a streamed reply', () => {
  it('renders formulas as they close, keeps dollar amounts as text, and runs nothing', async () => {
    const { transport, release } = gatedTransport([
      'Euler: $e^{i',
      '\\pi}+1=0$. ',
      'It costs $5 and $10.\n\n',
      '$$\n\\int_0^1 x',
      null,
      '\\,dx = \\frac{1}{2}\n$$\n\n',
      'And \\(\\href{javascript:alert(1)}{a^2}\\) done.',
    ]);
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-4o" locale="en">
        <ChatWindow transport={transport} style={{ height: 700 }} />
      </ParlanceProvider>,
    );
    await userEvent.fill(screen.getByRole('textbox', { name: 'Message' }), 'Some math please');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const reply = () => screen.container.querySelector<HTMLElement>('[data-role="assistant"]')!;

    // Mid-stream: the inline formula has rendered, the open $$ shows as text.
    await expect.poll(() => reply()?.querySelectorAll('math').length ?? 0, { timeout: 20_000 }).toBe(1);
    expect(reply().getAttribute('data-status')).toBe('streaming');
    expect(reply().textContent).toContain('$$');
    expect(reply().textContent).toContain('\\int_0^1 x');
    expect(reply().textContent).toContain('It costs $5 and $10.');

    release();
    await expect.poll(() => reply().getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => reply().querySelectorAll('math').length).toBe(3);
    expect(reply().querySelectorAll('math[display="block"]')).toHaveLength(1);
    expect(reply().textContent).not.toContain('$$');
    expect(reply().textContent).toContain('It costs $5 and $10.');
    expect(reply().querySelectorAll('script, a[href^="javascript"], [href*="javascript"]')).toHaveLength(0);
    // The formula from \href shows its text only.
    expect(reply().querySelectorAll('math')[2]!.querySelector('annotation')?.textContent).toContain('\\href');
  });
});
