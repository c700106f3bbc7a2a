// A whole tool round in a real browser, with no key and no server: the playground's tools, a
// ChatWindow running its own useChat, and the offline engine as the backend (what `npm start`
// serves). The weather tool runs by itself; the reminder waits for the user's approval; the
// reasoning model's thoughts show folded.
import { userEvent } from '@vitest/browser/context';
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { ChatWindow, ParlanceProvider } from 'parlance';

import 'parlance/styles.css';

import { playgroundTools } from '../../playground/tools';
import { createOfflineEngine } from '../../src/server/offline/index';

const engine = createOfflineEngine({ documents: [] });

function Playground({ model = 'gpt-4o-mini' }: { model?: string }) {
  return (
    <ParlanceProvider baseUrl="https://offline.invalid/v1" fetch={engine.fetch} locale="en">
      <div style={{ height: 640, width: 720 }}>
        <ChatWindow model={model} tools={playgroundTools} showTokenMeter={false} throttle={0} />
      </div>
    </ParlanceProvider>
  );
}

async function send(text: string) {
  await userEvent.fill(document.querySelector('textarea')!, text);
  await userEvent.click(
    document.querySelector<HTMLButtonElement>('button[aria-label="Send"], button[type="submit"]')!,
  );
}

const messages = () => Array.from(document.querySelectorAll<HTMLElement>('[data-slot="message"]'));

describe('a tool round end to end', () => {
  it('a tool with execute runs by itself and the model answers with its result', async () => {
    const screen = await render(<Playground />);
    await send('What is the weather in Lyon?');
    await expect
      .poll(
        () => messages().filter((m) => m.dataset.role === 'assistant' && m.dataset.status === 'done').length,
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThanOrEqual(2);
    const card = document.querySelector<HTMLElement>('[data-tool="get_weather"]')!;
    expect(card).toBeTruthy();
    expect(card.textContent).toContain('Lyon');
    expect(card.textContent).toContain('demo data'); // the tool's output is shown on its card
    // The answer after the round is a separate reply that reads the tool's result.
    const answer = messages().at(-1)!;
    expect(answer.dataset.role).toBe('assistant');
    expect(answer.textContent!.length).toBeGreaterThan(20);
    await screen.unmount();
  });

  it('a tool that needs approval waits for Approve, then runs', async () => {
    const screen = await render(<Playground />);
    await send('Set a reminder to call Ana tomorrow');
    const approve = screen.getByRole('button', { name: 'Approve' });
    await expect.element(approve).toBeVisible();
    expect(document.querySelector('[data-tool="set_reminder"]')!.textContent).toContain(
      'Waiting for your approval',
    );
    await userEvent.click(approve);
    await expect
      .poll(() => document.querySelector('[data-tool="set_reminder"]')?.textContent ?? '', {
        timeout: 10_000,
      })
      .toContain('scheduled');
    await expect.poll(() => messages().at(-1)?.dataset.status, { timeout: 10_000 }).toBe('done');
    expect(messages().filter((m) => m.dataset.role === 'assistant')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Approve' }).query()).toBeNull();
    await screen.unmount();
  });

  it("the reasoning model's thoughts are shown folded, apart from the answer", async () => {
    const screen = await render(<Playground model="parlance-offline-reasoning" />);
    await send('Why is the sky blue?');
    await expect.poll(() => messages().at(-1)?.dataset.status, { timeout: 10_000 }).toBe('done');
    const last = messages().at(-1)!;
    const reasoning = last.querySelector<HTMLElement>('[data-slot="message-reasoning"]')!;
    expect(reasoning).toBeTruthy();
    expect(reasoning.dataset.state).toBe('closed');
    const toggle = reasoning.querySelector('button')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toMatch(/Thought/);
    // The answer is the message's text, without the reasoning in it.
    const answer = last.querySelector<HTMLElement>('[data-slot="message-content"]')!.textContent!;
    await userEvent.click(toggle);
    const thoughts = reasoning.textContent!.replace(toggle.textContent!, '').trim();
    expect(thoughts.length).toBeGreaterThan(20);
    expect(answer).not.toContain(thoughts.slice(0, 30));
    await screen.unmount();
  });
});
