// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import {
  chatStorageKey,
  conversationIndex,
  createMemoryStorage,
  draftStorageKey,
  type ChatStorage,
} from 'parlance/core';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { ChatWindow, ConversationList, ParlanceProvider, useConversations } from 'parlance';

import { relativeTime } from '../../../src/components/message-list/message-time';
import { reply, scriptedTransport } from '../chat/scripted-transport';
import { giveElementsASize } from '../../support/jsdom-layout';
import { storedConversation } from '../../support/stored-conversation';

giveElementsASize();
afterEach(cleanup);

/** A click, flushed. */
const click = async (element: Element) => {
  await act(async () => {
    fireEvent.click(element);
  });
};

/** Types into a field (React sees one change), then presses Enter when the text ends with it. */
const type = async (element: Element, text: string) => {
  const enter = text.endsWith('{Enter}');
  const value = enter ? text.slice(0, -'{Enter}'.length) : text;
  await act(async () => {
    fireEvent.change(element, { target: { value: ((element as HTMLInputElement).value ?? '') + value } });
  });
  if (enter) {
    await act(async () => {
      fireEvent.keyDown(element, { key: 'Enter', code: 'Enter' });
      if (element instanceof HTMLInputElement) fireEvent.submit(element.form!);
    });
  }
};

const attr = (element: Element | null | undefined, name: string) => element?.getAttribute(name) ?? null;

function seeded(): ChatStorage {
  return createMemoryStorage({
    [chatStorageKey('bread')]: storedConversation('bread', 'How do I bake bread?', 'Knead it well.', 1000),
    [chatStorageKey('tides')]: storedConversation('tides', 'Why are there tides?', 'The moon pulls.', 2000),
  });
}

describe('ConversationList', () => {
  test('one button per conversation, named by its title, newest first; choosing one calls onValueChange', async () => {
    const onValueChange = vi.fn();
    render(
      <ParlanceProvider storage={seeded()} locale="en">
        <ConversationList defaultValue="bread" onValueChange={onValueChange} />
      </ParlanceProvider>,
    );
    const nav = await screen.findByRole('navigation', { name: 'Conversations' });
    await within(nav).findByRole('button', { name: 'Why are there tides?' });
    const items = within(nav)
      .getAllByRole('button')
      .filter((b) => b.classList.contains('parlance-conversation-item'));
    expect(items.map((b) => b.textContent)).toEqual(['Why are there tides?', 'How do I bake bread?']);
    expect(attr(items[1], 'aria-current')).toBe('true');
    await click(items[0]!);
    expect(onValueChange).toHaveBeenCalledWith('tides', 'select');
    expect(attr(items[0], 'aria-current')).toBe('true');
  });

  test('delete with undo: the conversation and its messages go, and Undo brings both back', async () => {
    const storage = seeded();
    const onValueChange = vi.fn();
    render(
      <ParlanceProvider storage={storage} locale="en">
        <ConversationList defaultValue="tides" onValueChange={onValueChange} />
      </ParlanceProvider>,
    );
    await click(await screen.findByRole('button', { name: 'Delete “Why are there tides?”' }));
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('Deleted “Why are there tides?”.');
    // The chosen conversation was deleted: the next one is chosen.
    expect(onValueChange).toHaveBeenLastCalledWith('bread', 'delete');
    expect(screen.queryByRole('button', { name: 'Why are there tides?' })).toBeNull();
    expect(storage.get(chatStorageKey('tides'))).toBeUndefined();
    const undo = within(notice).getByRole('button', { name: 'Undo' });
    expect(document.activeElement).toBe(undo);
    await click(undo);
    expect(attr(await screen.findByRole('button', { name: 'Why are there tides?' }), 'aria-current')).toBe(
      'true',
    );
    expect(onValueChange).toHaveBeenLastCalledWith('tides', 'undo');
    expect(storage.get(chatStorageKey('tides'))).toMatchObject({ id: 'tides' });
  });

  test('the Undo notice goes after a few seconds, and the deletion stays', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const storage = seeded();
      render(
        <ParlanceProvider storage={storage} locale="en">
          <ConversationList undoMs={3000} />
        </ParlanceProvider>,
      );
      fireEvent.click(await screen.findByRole('button', { name: 'Delete “How do I bake bread?”' }));
      await screen.findByRole('button', { name: 'Undo' });
      await act(() => vi.advanceTimersByTimeAsync(3100));
      expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
      expect(storage.get(chatStorageKey('bread'))).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  test('rename: the new title is kept apart from the first message', async () => {
    const storage = seeded();
    render(
      <ParlanceProvider storage={storage} locale="en">
        <ConversationList />
      </ParlanceProvider>,
    );
    await click(await screen.findByRole('button', { name: 'Rename “How do I bake bread?”' }));
    const input = screen.getByRole('textbox', { name: 'Conversation title' });
    fireEvent.change(input, { target: { value: '' } });
    await type(input, 'Baking{Enter}');
    expect(await screen.findByRole('button', { name: 'Baking' })).toBeTruthy();
    expect(
      conversationIndex(storage)
        .getSnapshot()
        .conversations.find((c) => c.id === 'bread')?.title,
    ).toBe('Baking');
  });
});

describe('ChatWindow with conversations', () => {
  test('opens the most recent, switches on a choice, and New conversation keeps the old one listed', async () => {
    const storage = seeded();
    const script = scriptedTransport();
    const onConversationChange = vi.fn();
    render(
      <ParlanceProvider storage={storage} locale="en">
        <ChatWindow conversations transport={script.transport} onConversationChange={onConversationChange} />
      </ParlanceProvider>,
    );
    const log = screen.getByRole('log');
    expect(await within(log).findByText('The moon pulls.')).toBeTruthy();
    await click(screen.getByRole('button', { name: 'How do I bake bread?' }));
    expect(await within(log).findByText('Knead it well.')).toBeTruthy();
    expect(onConversationChange).toHaveBeenLastCalledWith('bread');

    const header = screen.getByRole('banner');
    await click(within(header).getByRole('button', { name: 'New conversation' }));
    await waitFor(() => expect(within(log).queryByText('Knead it well.')).toBeNull());
    script.stream(reply(['Hello there.']));
    await type(screen.getByRole('textbox', { name: /message/i }), 'A third topic{Enter}');
    expect(attr(await screen.findByRole('button', { name: 'A third topic' }), 'aria-current')).toBe('true');
    expect(screen.getByRole('button', { name: 'How do I bake bread?' })).toBeTruthy();
    expect(conversationIndex(storage).getSnapshot().conversations).toHaveLength(3);
  });
});

describe('ChatWindow alone', () => {
  test('New conversation empties it, and Undo brings the messages back', async () => {
    render(
      <ParlanceProvider storage={seeded()} locale="en">
        <ChatWindow id="bread" transport={scriptedTransport().transport} />
      </ParlanceProvider>,
    );
    const log = screen.getByRole('log');
    await within(log).findByText('Knead it well.');
    await click(screen.getByRole('button', { name: 'New conversation' }));
    expect(within(log).queryByText('Knead it well.')).toBeNull();
    await click(screen.getByRole('button', { name: 'Undo' }));
    expect(await within(log).findByText('Knead it well.')).toBeTruthy();
  });

  test('suggestions: starters in the empty state send on a click; follow-ups show after a reply', async () => {
    const script = scriptedTransport();
    script.stream(reply(['Paris.']));
    render(
      <ParlanceProvider locale="en">
        <ChatWindow transport={script.transport} suggestions={['Capital of France?', 'Tell a joke']} />
      </ParlanceProvider>,
    );
    const starters = screen.getByRole('list', { name: 'Suggestions' });
    await click(within(starters).getByRole('button', { name: 'Capital of France?' }));
    expect(await screen.findByText('Paris.')).toBeTruthy();
    expect(script.requests[0]!.messages.at(-1)).toMatchObject({
      role: 'user',
      content: 'Capital of France?',
    });
    const followUps = await screen.findByRole('list', { name: 'Suggestions' });
    expect(attr(followUps, 'data-placement')).toBe('follow-up');
  });

  test('feedback: thumbs on replies, the choice kept on the message, a comment after a thumbs down', async () => {
    const storage = seeded();
    const onFeedback = vi.fn();
    render(
      <ParlanceProvider storage={storage} locale="en">
        <ChatWindow id="bread" transport={scriptedTransport().transport} onFeedback={onFeedback} />
      </ParlanceProvider>,
    );
    const down = await screen.findByRole('button', { name: 'Bad response' });
    expect(screen.getAllByRole('button', { name: 'Good response' })).toHaveLength(1); // replies only
    await click(down);
    expect(attr(down, 'aria-pressed')).toBe('true');
    expect(onFeedback).toHaveBeenCalledWith('bread-a', 'down', undefined);
    await type(screen.getByRole('textbox', { name: 'What was wrong? (optional)' }), 'Too short{Enter}');
    expect(onFeedback).toHaveBeenLastCalledWith('bread-a', 'down', 'Too short');
    await waitFor(() =>
      expect(
        (storage.get(chatStorageKey('bread')) as { messages: { feedback?: string }[] }).messages[1]!.feedback,
      ).toBe('down'),
    );
  });

  test('each message shows when it was written in a <time dateTime>; Delete removes a message', async () => {
    render(
      <ParlanceProvider storage={seeded()} locale="en">
        <ChatWindow id="bread" transport={scriptedTransport().transport} />
      </ParlanceProvider>,
    );
    const log = screen.getByRole('log');
    await within(log).findByText('Knead it well.');
    const times = log.querySelectorAll('time');
    expect(times).toHaveLength(2);
    expect(times[0]!.getAttribute('dateTime')).toBe(new Date(1000).toISOString());
    expect(times[0]!.getAttribute('title')).toMatch(/1970/);
    await click(within(log).getAllByRole('button', { name: 'Delete message' })[1]!);
    expect(within(log).queryByText('Knead it well.')).toBeNull();
  });

  test('the draft is kept per conversation across a remount (a reload)', async () => {
    const storage = seeded();
    const view = render(
      <ParlanceProvider storage={storage} locale="en">
        <ChatWindow id="bread" transport={scriptedTransport().transport} />
      </ParlanceProvider>,
    );
    await type(screen.getByRole('textbox', { name: /message/i }), 'half a thought');
    view.unmount();
    expect(storage.get(draftStorageKey('bread'))).toBe('half a thought');
    render(
      <ParlanceProvider storage={storage} locale="en">
        <ChatWindow id="bread" transport={scriptedTransport().transport} />
      </ParlanceProvider>,
    );
    expect(await screen.findByDisplayValue('half a thought')).toBeTruthy();
    cleanup();
    render(
      <ParlanceProvider storage={storage} locale="en">
        <ChatWindow id="tides" transport={scriptedTransport().transport} />
      </ParlanceProvider>,
    );
    await screen.findByText('The moon pulls.');
    expect((screen.getByRole('textbox', { name: /message/i }) as HTMLTextAreaElement).value).toBe('');
  });
});

test('useConversations lists what useChat saved, whichever way it was started', async () => {
  const storage = createMemoryStorage();
  const seen: string[][] = [];
  function Titles() {
    const { conversations } = useConversations();
    seen.push(conversations.map((c) => c.title));
    return null;
  }
  const script = scriptedTransport();
  script.stream(reply(['Hi!']));
  render(
    <ParlanceProvider storage={storage} locale="en">
      <Titles />
      <ChatWindow id="plain" transport={script.transport} />
    </ParlanceProvider>,
  );
  await type(screen.getByRole('textbox', { name: /message/i }), 'Started without a list{Enter}');
  await waitFor(() => expect(seen.at(-1)).toEqual(['Started without a list']));
});

test('relative times in en and zh-CN', () => {
  const now = Date.UTC(2026, 0, 10, 12);
  expect(relativeTime(now - 5_000, now, 'en')).toBe('now');
  expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
  expect(relativeTime(now - 26 * 3_600_000, now, 'en')).toBe('yesterday');
  expect(relativeTime(now - 5 * 60_000, now, 'zh-CN')).toBe('5分钟前');
  expect(relativeTime(now - 26 * 3_600_000, now, 'zh-CN')).toBe('昨天');
  expect(relativeTime(now - 30 * 86_400_000, now, 'en')).toMatch(/Dec 11, 2025/);
});
