// The meter is held to the truth: what it shows for the draft is the `usage.prompt_tokens` the
// reference server (offline mode, which counts with the same functions as OpenAI's rules) reports
// for that very request.
import { userEvent } from '@vitest/browser/context';
import { describe, expect, inject, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { ChatWindow, ParlanceProvider } from 'parlance';

import 'parlance/styles.css';

const baseUrl = inject('offlineServerUrl');

/** A `fetch` that records each request's body. */
function recordingFetch() {
  const bodies: Array<{ messages: unknown[] }> = [];
  const fetcher: typeof fetch = (input, init) => {
    if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body) as { messages: unknown[] });
    return fetch(input, init);
  };
  return { fetcher, bodies };
}

/** The `usage.prompt_tokens` of every finished reply, as each reply shows it. */
function replyUsages(container: HTMLElement): number[] {
  return Array.from(
    container.querySelectorAll('[data-role="assistant"][data-status="done"] .parlance-message-usage'),
    (p) => Number(/^([\d,]+) prompt/.exec(p.textContent ?? '')![1]!.replaceAll(',', '')),
  );
}

async function pngFile(width: number, height: number): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.fillRect(0, 0, width / 2, height / 2);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], 'chart.png', { type: 'image/png' });
}

const SYSTEM = `You are the support assistant of a kite shop. ${'Answer briefly, name the product, and never invent prices. '.repeat(12)}`;

function meter(container: HTMLElement) {
  const section = container.querySelector<HTMLElement>('[data-slot="token-meter"]')!;
  const read = (slot: string) => section.querySelector(`[data-slot="${slot}"]`)!.textContent!;
  return { section, read };
}

/** The meter's prompt figure once it is the count of the current draft (and exact). */
async function shownPromptTokens(container: HTMLElement): Promise<number> {
  const { section, read } = meter(container);
  await expect.poll(() => section.dataset.status, { timeout: 20_000 }).toBe('ready');
  const text = read('prompt-tokens');
  expect(text, 'an exact count, not an estimate').toMatch(/^[\d,]+$/);
  return Number(text.replaceAll(',', ''));
}

/** Sends the draft and returns the `prompt_tokens` the reply reports. */
async function sendAndWait(screen: Awaited<ReturnType<typeof render>>, turn: number): Promise<number> {
  await userEvent.click(screen.getByRole('button', { name: 'Send' }));
  await expect.poll(() => replyUsages(screen.container).length, { timeout: 20_000 }).toBe(turn);
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
  return replyUsages(screen.container)[turn - 1]!;
}

describe.each([
  { label: 'with a system message', system: SYSTEM },
  { label: 'without a system message', system: undefined },
])('ChatWindow against the offline server, $label', ({ system }) => {
  it('shows for the draft exactly the prompt_tokens of the next reply, turn after turn', async () => {
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-4o" locale="en">
        <ChatWindow
          system={system}
          instructions="Reply in English."
          maxTokens={400}
          style={{ height: 700 }}
        />
      </ParlanceProvider>,
    );
    const box = screen.getByRole('textbox', { name: 'Message' });

    await userEvent.fill(box, 'How do I choose a kite line?');
    const first = await shownPromptTokens(screen.container);
    expect(await sendAndWait(screen, 1)).toBe(first);

    // The second turn carries the first reply (thousands of tokens of documentation) too.
    await userEvent.fill(box, 'And what wind does a kite need? 风筝需要多大的风？');
    const second = await shownPromptTokens(screen.container);
    expect(second).toBeGreaterThan(first);
    expect(await sendAndWait(screen, 2)).toBe(second);
  });
});

describe('ChatWindow against the offline server, with an image attached', () => {
  it('counts the image as the server does', async () => {
    const { fetcher, bodies } = recordingFetch();
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-4o" locale="en" fetch={fetcher}>
        <ChatWindow system={SYSTEM} allowImages style={{ height: 700 }} />
      </ParlanceProvider>,
    );
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.fill(box, 'What is in this picture?');
    const withoutImage = await shownPromptTokens(screen.container);

    const input = screen.container.querySelector<HTMLInputElement>('input[type="file"]')!;
    await userEvent.upload(input, await pngFile(1024, 600));
    // gpt-4o, high detail: 1024×600 needs no scaling, 2×2 tiles of 512px: 85 + 4 × 170 = 765 tokens.
    await expect
      .poll(async () => (await shownPromptTokens(screen.container)) - withoutImage, { timeout: 20_000 })
      .toBe(765);
    const shown = await shownPromptTokens(screen.container);

    expect(await sendAndWait(screen, 1)).toBe(shown);
    const sent = bodies[0]!.messages.at(-1) as { content: Array<{ type: string }> };
    expect(sent.content.map((p) => p.type)).toEqual(['text', 'image_url']);

    // And on the next turn, the image is in the history.
    await userEvent.fill(box, 'Thanks!');
    const next = await shownPromptTokens(screen.container);
    expect(await sendAndWait(screen, 2)).toBe(next);
  });
});

describe('ChatWindow reply room', () => {
  it('honours max_tokens and reads the same in the meter and the composer', async () => {
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-4o" locale="en">
        <ChatWindow system={SYSTEM} maxTokens={20} style={{ height: 700 }} />
      </ParlanceProvider>,
    );
    await userEvent.fill(screen.getByRole('textbox', { name: 'Message' }), 'Hello there');
    await shownPromptTokens(screen.container);
    expect(meter(screen.container).read('reply-room')).toBe('20');
    await expect.element(screen.getByText(/tokens · 20 left$/)).toBeVisible();
  });

  it('formats every figure the same way, per locale', async () => {
    const screen = await render(
      <ParlanceProvider baseUrl={baseUrl} model="gpt-4o" locale="zh-CN">
        <ChatWindow style={{ height: 700 }} />
      </ParlanceProvider>,
    );
    await userEvent.fill(screen.getByRole('textbox', { name: '消息' }), '你好');
    await shownPromptTokens(screen.container);
    const room = meter(screen.container).read('reply-room');
    expect(room).toBe(new Intl.NumberFormat('zh-CN').format(16_384));
    await expect.element(screen.getByText(new RegExp(`剩余 ${room}$`))).toBeVisible();
  });
});
