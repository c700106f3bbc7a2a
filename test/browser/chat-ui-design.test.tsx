/**
 * The chat's look keeps its accessibility: icon buttons keep their names, the composer's focus is
 * visible round the whole field, a bubble's hidden role name still labels the message, and the
 * streaming indicator moves only when the user has not asked for reduced motion.
 */
import { cdp, userEvent } from '@vitest/browser/context';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { Composer, MessageList, ParlanceProvider, type ChatMessage } from 'parlance';

import 'parlance/styles.css';

const reply = (fields: Partial<ChatMessage>): ChatMessage => ({
  id: 'a1',
  role: 'assistant',
  content: 'The first words',
  createdAt: 0,
  status: 'streaming',
  finishReason: null,
  endState: null,
  usage: null,
  error: null,
  ...fields,
});
const question: ChatMessage = { ...reply({}), id: 'u1', role: 'user', content: 'A question', status: 'done' };

async function reducedMotion(reduce: boolean) {
  await cdp().send('Emulation.setEmulatedMedia', {
    features: [{ name: 'prefers-reduced-motion', value: reduce ? 'reduce' : 'no-preference' }],
  });
}

afterEach(() => reducedMotion(false));

describe('composer icon buttons', () => {
  it.each([
    ['en', 'Send', 'Stop', 'Attach image'],
    ['zh-CN', '发送', '停止', '添加图片'],
  ] as const)(
    'keep their names in %s, with the icons hidden from assistive technology',
    async (locale, send, stop, attach) => {
      const screen = await render(
        <ParlanceProvider locale={locale}>
          <Composer allowImages defaultValue="Hi" />
        </ParlanceProvider>,
      );
      const button = screen.getByRole('button', { name: send });
      await expect.element(button).toBeVisible();
      await expect.element(screen.getByRole('button', { name: attach })).toBeVisible();
      expect(button.element().querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
      await screen.rerender(
        <ParlanceProvider locale={locale}>
          <Composer allowImages status="streaming" />
        </ParlanceProvider>,
      );
      await expect.element(screen.getByRole('button', { name: stop })).toBeVisible();
    },
  );

  it('shows the textarea focus as a ring round the whole field', async () => {
    const screen = await render(<Composer />);
    const field = screen.container.querySelector<HTMLElement>('.parlance-composer-row')!;
    expect(getComputedStyle(field).boxShadow).not.toMatch(/0px 0px 0px 3px/);
    await userEvent.click(screen.getByRole('textbox', { name: 'Message' }));
    await expect.poll(() => getComputedStyle(field).boxShadow).toMatch(/0px 0px 0px 3px/);
  });
});

describe('message layout', () => {
  it("labels the user's bubble with its visually hidden role name, and lays it out at the end", async () => {
    const screen = await render(
      <div style={{ height: 400, width: 600 }}>
        <MessageList messages={[question, reply({ status: 'done', finishReason: 'stop' })]} />
      </div>,
    );
    const user = screen.getByRole('article', { name: 'You' });
    await expect.element(user).toBeVisible();
    const label = user.element().querySelector<HTMLElement>('.parlance-message-role')!;
    expect(label.getBoundingClientRect().width).toBeLessThanOrEqual(1);
    const bubble = user.element().querySelector('.parlance-message-content')!.getBoundingClientRect();
    const row = user.element().getBoundingClientRect();
    // At the end of the line: nearer the right edge than the left.
    expect(row.right - bubble.right).toBeLessThan(bubble.left - row.left);
    await expect.element(screen.getByRole('article', { name: 'Assistant' })).toBeVisible();
  });
});

describe('streaming indicator', () => {
  const dotAnimation = (root: HTMLElement) =>
    getComputedStyle(root.querySelector('.parlance-markdown > p')!, '::after').animationName;

  it('pulses after the last words, and holds still under prefers-reduced-motion', async () => {
    const screen = await render(
      <div style={{ height: 400 }}>
        <MessageList messages={[question, reply({})]} />
      </div>,
    );
    const root = screen.container;
    await expect.poll(() => root.querySelector('.parlance-markdown > p') !== null).toBe(true);
    expect(getComputedStyle(root.querySelector('.parlance-markdown > p')!, '::after').content).toBe('""');
    expect(dotAnimation(root)).toBe('parlance-pulse');
    await reducedMotion(true);
    await expect.poll(() => dotAnimation(root)).toBe('none');
    // Still shown, only still.
    expect(getComputedStyle(root.querySelector('.parlance-markdown > p')!, '::after').content).toBe('""');
  });

  it('shows no dot once the reply is done', async () => {
    const screen = await render(
      <div style={{ height: 400 }}>
        <MessageList messages={[question, reply({ status: 'done', finishReason: 'stop' })]} />
      </div>,
    );
    await expect.poll(() => screen.container.querySelector('.parlance-markdown > p') !== null).toBe(true);
    const after = getComputedStyle(screen.container.querySelector('.parlance-markdown > p')!, '::after');
    expect(after.content).toBe('none');
  });
});
