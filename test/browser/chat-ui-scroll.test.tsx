import { userEvent } from '@vitest/browser/context';
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { MessageList, type ChatMessage } from 'parlance';

import 'parlance/styles.css';

import { longConversation, message } from '../../stories/support/chat-fixtures';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

function List({ messages }: { messages: ChatMessage[] }) {
  return (
    <div style={{ height: 400, width: 600 }}>
      <MessageList messages={messages} />
    </div>
  );
}

const distanceFromBottom = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight;

describe('MessageList scrolling', () => {
  it('stays pinned while a reply streams, lets go when the user scrolls up, and jumps back', async () => {
    const history = longConversation(15);
    const reply = (text: string, status: ChatMessage['status'] = 'streaming') => ({
      ...message({ role: 'assistant', content: text }),
      id: 'reply',
      status,
    });
    let text = '';
    const screen = await render(<List messages={[...history, reply(text)]} />);
    const log = screen.getByRole('log').element() as HTMLElement;

    for (let i = 0; i < 20; i++) {
      text += `Line ${i} of a growing reply.\n\n`;
      await screen.rerender(<List messages={[...history, reply(text)]} />);
      await frame();
      expect(distanceFromBottom(log)).toBeLessThan(50);
    }

    log.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, bubbles: true }));
    log.scrollTop = 200;
    await frame();
    for (let i = 0; i < 5; i++) {
      text += `More ${i}.\n\n`;
      await screen.rerender(<List messages={[...history, reply(text)]} />);
      await frame();
    }
    expect(log.scrollTop).toBeLessThan(260);
    const jump = screen.getByRole('button', { name: 'Jump to latest' });
    await expect.element(jump).toBeVisible();

    await userEvent.click(jump);
    await frame();
    await frame();
    expect(distanceFromBottom(log)).toBeLessThan(50);
    await expect.element(jump).not.toBeInTheDocument();
    text += 'Last words.';
    await screen.rerender(<List messages={[...history, reply(text, 'done')]} />);
    await frame();
    expect(distanceFromBottom(log)).toBeLessThan(50);
  });

  it('lets go when the scrollbar is dragged up while a reply streams (no wheel, no touch)', async () => {
    const history = longConversation(15);
    const reply = (text: string) => ({
      ...message({ role: 'assistant', content: text }),
      id: 'reply',
      status: 'streaming' as const,
    });
    let text = 'Start.\n\n';
    const screen = await render(<List messages={[...history, reply(text)]} />);
    const log = screen.getByRole('log').element() as HTMLElement;
    await frame();
    expect(distanceFromBottom(log)).toBeLessThan(50);
    // A drag moves the position a little each frame while the reply keeps growing under it.
    let top = log.scrollTop;
    for (let i = 0; i < 6; i++) {
      top -= 120;
      log.scrollTop = top;
      text += `Line ${i} of a growing reply.\n\n`;
      await screen.rerender(<List messages={[...history, reply(text)]} />);
      await frame();
    }
    expect(distanceFromBottom(log)).toBeGreaterThan(400);
    expect(Math.abs(log.scrollTop - top)).toBeLessThan(60);
    await expect.element(screen.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
  });

  it('keeps what the user reads in place when a message above changes height', async () => {
    const history = longConversation(40);
    const screen = await render(<List messages={history} />);
    const log = screen.getByRole('log').element() as HTMLElement;
    await frame();
    log.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, bubbles: true }));
    log.scrollTop = log.scrollHeight / 2;
    // The user has stopped scrolling and is reading.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const visible = [...log.querySelectorAll<HTMLElement>('article')].find(
      (a) => a.getBoundingClientRect().top >= log.getBoundingClientRect().top,
    )!;
    const index = Number(visible.dataset.index);
    const before = visible.getBoundingClientRect().top;
    // A message above the one in view, but still mounted (inside the overscan), grows.
    const above = [...log.querySelectorAll<HTMLElement>('article')].find(
      (a) => Number(a.dataset.index) < index,
    )!;
    const aboveIndex = Number(above.dataset.index);
    const changed = history.map((m, i) =>
      i === aboveIndex ? { ...m, content: `${String(m.content)}\n\nextra\n\nlines\n\nadded` } : m,
    );
    await screen.rerender(<List messages={changed} />);
    await frame();
    await frame();
    const after = log
      .querySelector<HTMLElement>(`article[data-index="${index}"]`)!
      .getBoundingClientRect().top;
    expect(Math.abs(after - before)).toBeLessThan(2);
  });
});

describe('MessageList virtualisation', () => {
  it('renders 10,000 messages as a small window and keeps keyboard order', async () => {
    const messages = longConversation(5000);
    expect(messages).toHaveLength(10_000);
    const screen = await render(<List messages={messages} />);
    const log = screen.getByRole('log').element() as HTMLElement;
    await frame();
    const articles = log.querySelectorAll('article');
    expect(articles.length).toBeGreaterThan(0);
    expect(articles.length).toBeLessThan(60);
    const last = articles[articles.length - 1]!;
    expect(last.getAttribute('aria-posinset')).toBe('10000');
    expect(last.getAttribute('aria-setsize')).toBe('10000');
    expect(last.getAttribute('data-index')).toBe('9999');
    // DOM order is reading order.
    const order = [...articles].map((a) => Number(a.getAttribute('data-index')));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // Tab reaches the latest message; Home goes to the first, arrows step through.
    (last as HTMLElement).focus();
    await userEvent.keyboard('{Home}');
    await expect.poll(() => document.activeElement?.getAttribute('data-index')).toBe('0');
    expect(document.activeElement?.getAttribute('aria-posinset')).toBe('1');
    await userEvent.keyboard('{ArrowDown}');
    await expect.poll(() => document.activeElement?.getAttribute('data-index')).toBe('1');
    await userEvent.keyboard('{End}');
    await expect.poll(() => document.activeElement?.getAttribute('data-index')).toBe('9999');
    expect(log.querySelectorAll('article').length).toBeLessThan(60);
  });
});
