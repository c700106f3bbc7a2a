import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';

import { useChat, useTokenCount, type ChatMessage } from 'parlance';

/** The text of a message, whether its content is a string or parts. */
function textOf(message: ChatMessage): string {
  return typeof message.content === 'string'
    ? message.content
    : message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ');
}

/**
 * A chat UI of the app's own, with no Parlance component in it: `useChat` holds the conversation
 * and the request lifecycle, `useTokenCount` counts the next request before it is sent. Everything
 * a hook user can see is on the page: each message's status, finish reason and usage, the overall
 * status and error, and the actions.
 */
function HeadlessChat() {
  const chat = useChat({ system: 'You are a concise assistant.' });
  const [draft, setDraft] = useState('');
  const next = useTokenCount([...chat.messages, { role: 'user', content: draft }], { model: 'gpt-4o-mini' });

  return (
    <form
      style={{ display: 'grid', gap: 8, fontFamily: 'system-ui', maxWidth: 640 }}
      onSubmit={(event) => {
        event.preventDefault();
        const text = draft;
        setDraft('');
        void chat.send(text);
      }}
    >
      <ol aria-label="Conversation" style={{ display: 'grid', gap: 6, padding: 0, listStyle: 'none' }}>
        {chat.messages.map((message) => (
          <li key={message.id} data-role={message.role} data-status={message.status}>
            <strong>{message.role}</strong> <span>{textOf(message)}</span>
            <br />
            <small>
              status: {message.status}
              {message.finishReason ? `, finish: ${message.finishReason}` : ''}
              {message.usage
                ? `, usage: ${message.usage.prompt_tokens} + ${message.usage.completion_tokens} tokens`
                : ''}
            </small>
          </li>
        ))}
      </ol>
      <p role="status">
        Chat status: {chat.status}
        {chat.error ? ` — ${chat.error.message}` : ''}
      </p>
      <label>
        Message
        <textarea value={draft} onChange={(event) => setDraft(event.target.value)} rows={2} />
      </label>
      <p>
        Next request: {next.count === undefined ? 'counting…' : `${next.count} tokens`} of{' '}
        {next.contextWindow.toLocaleString('en')}
      </p>
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="submit" disabled={chat.isBusy || draft.trim() === ''}>
          Send
        </button>
        <button type="button" onClick={chat.stop} disabled={!chat.isBusy}>
          Stop
        </button>
        <button
          type="button"
          onClick={() => void chat.continue()}
          disabled={!chat.canContinue || chat.isBusy}
        >
          Continue
        </button>
        <button
          type="button"
          onClick={() => void chat.regenerate()}
          disabled={chat.isBusy || chat.messages.length === 0}
        >
          Regenerate
        </button>
        <button type="button" onClick={chat.clear} disabled={chat.messages.length === 0}>
          Clear
        </button>
      </div>
    </form>
  );
}

const meta = {
  title: 'Hooks/useChat',
  component: HeadlessChat,
} satisfies Meta<typeof HeadlessChat>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Send, watch the states, and read the usage the reply reports. */
export const HeadlessUI: Story = {
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByText(/^Next request: \d+ tokens of 128,000$/)).toBeVisible(), {
      timeout: 20_000,
    });
    const before = Number(/(\d+) tokens/.exec(canvas.getByText(/^Next request:/).textContent!)![1]);
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Hello there');
    await waitFor(() => {
      const now = Number(/(\d+) tokens/.exec(canvas.getByText(/^Next request:/).textContent!)![1]);
      expect(now).toBeGreaterThan(before);
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    const list = canvas.getByRole('list', { name: 'Conversation' });
    await waitFor(
      () => expect(list.querySelector('[data-role="assistant"][data-status="done"]')).not.toBeNull(),
      {
        timeout: 10_000,
      },
    );
    await expect(list.querySelector('[data-role="assistant"]')).toHaveTextContent(
      /finish: stop, usage: \d+ \+ \d+ tokens/,
    );
    await expect(canvas.getByRole('status')).toHaveTextContent('Chat status: idle');
  },
};

/** A reply cut by `max_tokens` is `length`, and `continue()` appends to the same reply. */
export const ContinueAfterLength: Story = {
  play: async ({ canvas }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Please cut short');
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    const list = canvas.getByRole('list', { name: 'Conversation' });
    await waitFor(
      () => expect(list.querySelector('[data-role="assistant"]')).toHaveTextContent('finish: length'),
      {
        timeout: 10_000,
      },
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await waitFor(
      () => expect(list.querySelector('[data-role="assistant"]')).toHaveTextContent('which now ends.'),
      {
        timeout: 10_000,
      },
    );
    await expect(list.querySelectorAll('[data-role="assistant"]')).toHaveLength(1);
  },
};

/** A server error, retried within the policy, ends on the turn; the user's text stays. */
export const ServerError: Story = {
  play: async ({ canvas }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Cause a server error');
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent(/Chat status: error — .+/), {
      timeout: 20_000,
    });
    await expect(canvas.getByText('Cause a server error')).toBeVisible();
  },
};
