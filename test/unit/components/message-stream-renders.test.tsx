// @vitest-environment jsdom
// While a reply streams, a chunk re-renders the live message alone: the list's rows follow their
// own messages in the store, and a window that runs its own useChat does not re-render its list.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ChatWindow, Markdown, MessageList, ParlanceProvider, type ChatMessage } from 'parlance';
import { createChatStore } from 'parlance/core';
import { afterEach, describe, expect, test, vi } from 'vitest';

import type * as OnlineModule from '../../../src/components/chat-window/use-online';
import type * as UseChatModule from '../../../src/hooks/use-chat';
import { chunk, scriptedTransport } from '../chat/scripted-transport';
import { giveElementsASize } from '../../support/jsdom-layout';

// The window reads `useOnline` once per render: counting its calls counts the window's renders.
const windowRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/components/chat-window/use-online', async (importOriginal) => {
  const original = await importOriginal<typeof OnlineModule>();
  return {
    useOnline: () => {
      windowRenders.count++;
      return original.useOnline();
    },
  };
});

// Counting `useChat` calls counts the renders of whatever runs it (here the window's own chat).
const useChatCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/hooks/use-chat', async (importOriginal) => {
  const original = await importOriginal<typeof UseChatModule>();
  return {
    ...original,
    useChat: ((options) => {
      useChatCalls.count++;
      return original.useChat(options);
    }) as typeof original.useChat,
  };
});

giveElementsASize();
afterEach(cleanup);

const history: ChatMessage[] = [
  { role: 'user' as const, content: 'First question' },
  { role: 'assistant' as const, content: 'First **answer**' },
].map((m, i) => ({
  id: `h${i}`,
  createdAt: 0,
  status: 'done' as const,
  finishReason: i % 2 ? ('stop' as const) : null,
  endState: null,
  usage: null,
  error: null,
  ...m,
}));

/** Counts the renders of each message (by id) through the avatar slot. */
function renderCounter() {
  const counts = new Map<string, number>();
  const renderAvatar = (message: { id: string }) => {
    counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
    return null;
  };
  return { counts, renderAvatar };
}

function liveText(): string {
  const articles = screen.getAllByRole('article');
  return articles.at(-1)!.querySelector('[data-slot="message-content"]')!.textContent ?? '';
}

describe('streaming re-renders the live message alone', () => {
  test('a window running its own useChat: history rows stay, the live row follows, the end re-renders', async () => {
    const script = scriptedTransport();
    const stream = script.controlled();
    const { counts, renderAvatar } = renderCounter();
    render(
      <ParlanceProvider locale="en">
        <ChatWindow
          model="gpt-test"
          transport={script.transport}
          throttle={0}
          initialMessages={history}
          showTokenMeter={false}
          renderAvatar={renderAvatar}
          defaultDraft="Go"
        />
      </ParlanceProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await act(() => stream.started);
    await act(async () => stream.push(chunk('Hel')));
    const before = new Map(counts);
    const windowBefore = windowRenders.count;
    const chatBefore = useChatCalls.count;
    const live = screen.getAllByRole('article').at(-1)!;
    const liveId = [...counts.keys()].at(-1)!;
    for (const piece of ['lo', ' the', 're', ' **world**']) {
      await act(async () => stream.push(chunk(piece)));
    }
    expect(liveText()).toContain('Hello there world');
    expect(screen.getAllByRole('article').at(-1)).toBe(live);
    // Four chunks: the live row rendered for each, the others not at all.
    expect(counts.get(liveId)! - before.get(liveId)!).toBe(4);
    for (const id of ['h0', 'h1']) expect(counts.get(id)).toBe(before.get(id));
    expect(windowRenders.count).toBe(windowBefore);
    // Nor does the component that runs the window's useChat.
    expect(useChatCalls.count).toBe(chatBefore);

    await act(async () => {
      stream.push(chunk(undefined, 'stop'));
      stream.end();
    });
    // The end changes statuses: the window and its list render again, actions come back.
    expect(windowRenders.count).toBeGreaterThan(windowBefore);
    expect(live.getAttribute('data-status')).toBe('done');
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Regenerate' }).length).toBeGreaterThan(0);
  });

  test('a list bound to its store shows streamed text even when it is not given new messages', async () => {
    const script = scriptedTransport();
    const stream = script.controlled();
    const store = createChatStore({
      model: 'gpt-test',
      transport: script.transport,
      throttle: 0,
      initialMessages: history,
    });
    const unmount = store.mount();
    const sent = store.send('Go');
    await stream.started;
    stream.push(chunk('Hel'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The messages as they were when the reply started; the list is never re-rendered with others.
    const frozen = store.getSnapshot().messages;
    expect(frozen).toHaveLength(4);
    render(
      <ParlanceProvider locale="en">
        <MessageList messages={frozen} chat={store} />
      </ParlanceProvider>,
    );
    expect(liveText()).toContain('Hel');
    await act(async () => {
      stream.push(chunk('lo, '), chunk('bound list'));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(liveText()).toContain('Hello, bound list');
    // Unbound, the same frozen messages show what they hold.
    cleanup();
    render(
      <ParlanceProvider locale="en">
        <MessageList messages={frozen} />
      </ParlanceProvider>,
    );
    expect(liveText()).not.toContain('bound list');
    stream.end();
    await sent;
    unmount();
  });
});

describe('code highlighting waits for the reply', () => {
  const source = '```ts\nconst answer = 42;\n```\n\nMore text';

  test('a finished code block in a streaming reply stays plain until the reply ends', async () => {
    // Finished, the same reply is highlighted (which also loads the highlighter for what follows).
    const done = render(<Markdown>{source}</Markdown>);
    await waitFor(() => expect(done.container.querySelector('.hljs-keyword')).not.toBeNull(), {
      timeout: 5000,
    });
    done.unmount();
    const { container, rerender } = render(<Markdown streaming>{source}</Markdown>);
    // Well past the highlighter's idle wait (50 ms without requestIdleCallback).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(container.querySelector('.hljs-keyword')).toBeNull();
    expect(container.querySelector('code')?.textContent).toBe('const answer = 42;');
    rerender(<Markdown streaming={false}>{source}</Markdown>);
    await waitFor(() => expect(container.querySelector('.hljs-keyword')?.textContent).toBe('const'), {
      timeout: 5000,
    });
  });
});
