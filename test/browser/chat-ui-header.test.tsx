// The chat header on a phone-wide window: the title keeps one line of its own (it was squeezed to
// one word per line between the conversations toggle and "New conversation"), the actions the line
// below, and nothing overflows the header.
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { ChatWindow, ParlanceProvider } from 'parlance';
import { createMemoryStorage } from 'parlance/core';

import 'parlance/styles.css';

function Window({ width, title }: { width: number; title: string }) {
  return (
    <ParlanceProvider baseUrl="https://api.example.test/v1" storage={createMemoryStorage()} locale="en">
      <div style={{ width, height: 600 }}>
        <ChatWindow id="header" title={title} conversations />
      </div>
    </ParlanceProvider>
  );
}

describe('the chat header', () => {
  it.each([
    ['Ask the docs', 390],
    ['Questions about your order and its delivery', 390],
    ['Ask the docs', 320],
  ])('"%s" at %i px: one line for the title, the actions below, nothing outside', async (title, width) => {
    const screen = await render(<Window width={width} title={title} />);
    const header = document.querySelector<HTMLElement>('[data-slot="chat-header"]')!;
    const heading = header.querySelector<HTMLElement>('.parlance-chat-title')!;
    await expect.poll(() => header.querySelectorAll('button').length).toBeGreaterThanOrEqual(2);
    const lineHeight = parseFloat(getComputedStyle(heading).lineHeight);
    expect(heading.getBoundingClientRect().height).toBeLessThan(lineHeight * 1.5);
    const box = header.getBoundingClientRect();
    for (const button of header.querySelectorAll('button')) {
      const rect = button.getBoundingClientRect();
      expect(rect.top).toBeGreaterThanOrEqual(heading.getBoundingClientRect().bottom - 1);
      expect(rect.right).toBeLessThanOrEqual(box.right + 0.5);
      expect(rect.height).toBeLessThan(lineHeight * 2.5); // one line of text each
    }
    await screen.unmount();
  });
});
