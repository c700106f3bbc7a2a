// The chat details a first walk through the kit found: focus after Escape in an edit, the list
// following a reply started by an edit, inline code in narrow table cells, the version arrows.
import { userEvent } from 'vitest/browser';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { ChatWindow, MessageList, ParlanceProvider, type ChatMessage } from 'parlance';

import 'parlance/styles.css';

import { longConversation, message } from '../../stories/support/chat-fixtures';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const distanceFromBottom = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight;

const article = (index: number) =>
  document.querySelector<HTMLElement>(`.parlance-message[data-index="${index}"]`);

function EditableChat({ initial }: { initial: ChatMessage[] }) {
  const [messages, setMessages] = useState(initial);
  return (
    <div style={{ height: 400, width: 600 }}>
      <MessageList
        messages={messages}
        onEdit={(id, content) => {
          const at = messages.findIndex((m) => m.id === id);
          const reply = Array.from({ length: 30 }, (_, i) => `Line ${i + 1} of the new reply.`).join('\n\n');
          setMessages([
            ...messages.slice(0, at),
            message({ role: 'user', content }),
            { ...message({ role: 'assistant', content: reply }), status: 'streaming' },
          ]);
        }}
      />
    </div>
  );
}

describe('MessageList edit', () => {
  it('gives focus back to the Edit button when Escape closes the edit, not to <body>', async () => {
    const screen = await render(<EditableChat initial={longConversation(2)} />);
    const edit = screen.getByRole('button', { name: 'Edit' }).first();
    await userEvent.click(edit);
    const box = screen.getByRole('textbox', { name: 'Edit message' });
    await expect.element(box).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    await expect.element(box).not.toBeInTheDocument();
    expect(document.activeElement).not.toBe(document.body);
    await expect.element(screen.getByRole('button', { name: 'Edit' }).first()).toHaveFocus();
  });

  it('marks the Escape it handles, so a dialog around the chat stays open', async () => {
    const seen: boolean[] = [];
    const screen = await render(
      // eslint-disable-next-line jsx-a11y/no-static-element-interactions -- a stand-in for a dialog's key handler
      <div onKeyDown={(event) => seen.push(event.defaultPrevented)}>
        <EditableChat initial={longConversation(1)} />
      </div>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.keyboard('{Escape}');
    expect(seen.at(-1)).toBe(true);
  });

  it('follows the new reply after an earlier message is edited from further up', async () => {
    const screen = await render(<EditableChat initial={longConversation(15)} />);
    const log = screen.getByRole('log').element() as HTMLElement;
    await frame();
    expect(distanceFromBottom(log)).toBeLessThan(50);

    // Read back up to the third question (index 4) and edit it.
    log.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, bubbles: true }));
    for (let i = 0; i < 10 && !article(4); i++) {
      log.scrollTop = 0;
      await frame();
    }
    article(4)!.scrollIntoView({ block: 'start' });
    await frame();
    await expect.element(screen.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
    await userEvent.click(
      article(4)!.querySelector<HTMLButtonElement>('[data-slot="message-actions"] button:nth-child(2)')!,
    );
    const box = screen.getByRole('textbox', { name: 'Edit message' });
    await userEvent.fill(box, 'How does step 3 work, in short?');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await frame();
    await frame();

    expect(log.querySelectorAll('.parlance-message').length).toBeGreaterThan(0);
    expect(article(5)?.textContent).toContain('Line 30 of the new reply.');
    expect(distanceFromBottom(log)).toBeLessThan(50);
    await expect.element(screen.getByRole('button', { name: 'Jump to latest' })).not.toBeInTheDocument();
  });
});

describe('MessageList layout details', () => {
  it('keeps inline code in a narrow table cell whole while another column has room', async () => {
    const table = [
      '| Import | What it gives you |',
      '| --- | --- |',
      '| `parlance/server` | The reference server: it forwards /v1 to an upstream with your key, or answers offline from the documentation, and serves the playground. |',
      '| `parlance/core` | The framework-agnostic client: chat sessions, streaming, token counting and image requests, without React. |',
    ].join('\n');
    await render(
      <div style={{ height: 500, width: 520 }}>
        <MessageList messages={[message({ role: 'assistant', content: table })]} />
      </div>,
    );
    const codes = [...document.querySelectorAll<HTMLElement>('.parlance-md-table td code')];
    expect(codes).toHaveLength(2);
    for (const code of codes) {
      // One line box: the code was not broken across lines.
      expect(code.getClientRects()).toHaveLength(1);
    }
    // And the table still fits the message: the prose column wraps instead.
    const wrapper = document.querySelector<HTMLElement>('.parlance-md-table')!;
    expect(wrapper.scrollWidth).toBeLessThanOrEqual(wrapper.clientWidth + 1);
  });

  it('shows the version arrows as labelled buttons of at least 32 × 32 px', async () => {
    const first = message({ role: 'assistant', content: 'First answer.' });
    const current: ChatMessage = {
      ...message({ role: 'assistant', content: 'Second answer.' }),
      alternatives: [[first]],
      alternativeIndex: 1,
    };
    const screen = await render(
      <div style={{ height: 300, width: 600 }}>
        <MessageList
          messages={[message({ role: 'user', content: 'Hello?' }), current]}
          onSelectAlternative={() => {}}
        />
      </div>,
    );
    for (const name of ['Previous version', 'Next version']) {
      const button = screen.getByRole('button', { name }).element() as HTMLButtonElement;
      expect(button.tagName).toBe('BUTTON');
      const box = button.getBoundingClientRect();
      expect(box.width).toBeGreaterThanOrEqual(32);
      expect(box.height).toBeGreaterThanOrEqual(32);
      // A drawn icon, not a text glyph.
      expect(button.textContent?.trim()).toBe('');
      expect(button.querySelector('svg')).not.toBeNull();
    }
  });
});

describe('ChatWindow showUsage', () => {
  const reply = message({
    role: 'assistant',
    content: 'An answer.',
    usage: { prompt_tokens: 14, completion_tokens: 344, total_tokens: 358 },
  });
  const window = (showUsage?: boolean) => (
    <ParlanceProvider baseUrl="http://127.0.0.1:9/v1" model="gpt-4o-mini">
      <div style={{ height: 500, width: 600 }}>
        <ChatWindow
          showUsage={showUsage}
          initialMessages={[
            { role: 'user', content: 'Hi' },
            { role: 'assistant', content: 'An answer.' },
          ]}
        />
        <MessageList messages={[reply]} showUsage={showUsage} />
      </div>
    </ParlanceProvider>
  );

  it('hides the model id, the token meter and usage lines when false; shows them by default', async () => {
    const screen = await render(window(false));
    await expect.element(screen.getByText('An answer.').first()).toBeVisible();
    expect(document.querySelector('.parlance-chat-model')).toBeNull();
    expect(document.querySelector('.parlance-token-meter')).toBeNull();
    expect(document.querySelector('.parlance-message-usage')).toBeNull();

    await screen.rerender(window(undefined));
    await expect.element(screen.getByText('gpt-4o-mini')).toBeVisible();
    await expect.poll(() => document.querySelector('.parlance-token-meter')).not.toBeNull();
    await expect.element(screen.getByText('14 prompt + 344 reply = 358 tokens')).toBeVisible();
  });
});
