import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';

import { MessageList, type ChatMessage } from 'parlance';

import { LONG_REPLY } from '../support/chat-backend';
import { endings, longConversation, message } from '../support/chat-fixtures';

const meta = {
  title: 'Components/MessageList',
  component: MessageList,
  args: {
    messages: [],
    onRegenerate: fn(),
    onEdit: fn(),
    onContinue: fn(),
    onRetry: fn(),
    onSelectAlternative: fn(),
  },
} satisfies Meta<typeof MessageList>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('log', { name: 'Conversation' })).toBeVisible();
    await expect(canvas.getByText('No messages yet. Ask anything to start.')).toBeVisible();
  },
};

const question = message({ role: 'user', content: 'Show me a plan.' });

/** A stored transcript with markdown, a table and code; actions fire their callbacks. */
export const Transcript: Story = {
  args: {
    messages: [
      question,
      message({
        role: 'assistant',
        content: LONG_REPLY,
        usage: { prompt_tokens: 12, completion_tokens: 90, total_tokens: 102 },
      }),
    ],
  },
  play: async ({ canvas, canvasElement, args }) => {
    await expect(canvas.getByRole('table')).toBeVisible();
    // Syntax highlighting arrives after the first paint, once lowlight has loaded.
    await waitFor(() => expect(canvasElement.querySelector('.parlance-code .hljs-keyword')).not.toBeNull(), {
      timeout: 20_000,
    });
    await expect(canvas.getByRole('button', { name: 'Copy code' })).toBeVisible();
    await expect(canvas.getByText('12 prompt + 90 reply = 102 tokens')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Regenerate' }));
    await expect(args.onRegenerate).toHaveBeenCalledWith(args.messages[1]!.id);
    await userEvent.click(canvas.getByRole('button', { name: 'Edit' }));
    await userEvent.type(canvas.getByRole('textbox', { name: 'Edit message' }), ' Briefly.');
    await userEvent.click(canvas.getByRole('button', { name: 'Save and send' }));
    await expect(args.onEdit).toHaveBeenCalledWith(question.id, 'Show me a plan. Briefly.');
  },
};

/** Every ending side by side: stopped, interrupted, error, content filter, length. */
export const AllStates: Story = {
  render: (args) => (
    <div style={{ display: 'grid', gap: 12 }}>
      {Object.entries(endings).map(([name, ending]) => (
        <div key={name} style={{ height: 200 }}>
          <MessageList {...args} messages={[message({ role: 'user', content: `Show ${name}` }), ending]} />
        </div>
      ))}
    </div>
  ),
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    for (const status of ['stopped', 'interrupted', 'error']) {
      await expect(
        canvasElement.querySelector(`[data-role="assistant"][data-status="${status}"]`),
      ).not.toBeNull();
    }
    await expect(canvas.getByText(/withheld by a content filter/)).toBeVisible();
    await expect(canvas.getByText('The reply was cut short at the length limit.')).toBeVisible();
    // Stopped, interrupted and length-cut replies can all be continued.
    await expect(canvas.getAllByRole('button', { name: 'Continue' })).toHaveLength(3);
    await userEvent.click(canvas.getAllByRole('button', { name: 'Continue' })[0]!);
    await expect(args.onContinue).toHaveBeenCalled();
    await userEvent.click(canvas.getAllByRole('button', { name: 'Retry' })[0]!);
    await expect(args.onRetry).toHaveBeenCalled();
  },
};

function StreamingDemo(props: React.ComponentProps<typeof MessageList>) {
  const [messages, setMessages] = useState<ChatMessage[]>([question]);
  useEffect(() => {
    let shown = 0;
    const timer = setInterval(() => {
      shown = Math.min(LONG_REPLY.length, shown + 9);
      const done = shown === LONG_REPLY.length;
      setMessages([
        question,
        {
          ...message({ role: 'assistant', content: LONG_REPLY.slice(0, shown) }),
          id: 'reply',
          status: done ? 'done' : 'streaming',
        },
      ]);
      if (done) clearInterval(timer);
    }, 20);
    return () => clearInterval(timer);
  }, []);
  return <MessageList {...props} messages={messages} />;
}

/** A reply streaming in: finished blocks stay put, half-written syntax never shows. */
export const Streaming: Story = {
  render: (args) => <StreamingDemo {...args} />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-status="streaming"]')).not.toBeNull());
    await waitFor(
      () => expect(canvasElement.querySelector('[data-status="done"][data-role="assistant"]')).not.toBeNull(),
      {
        timeout: 8000,
      },
    );
    await expect(within(canvasElement).getByRole('link', { name: 'the guide' })).toHaveAttribute(
      'rel',
      'noopener noreferrer nofollow',
    );
  },
};

/** Versions after an edit: previous and next. */
export const Versions: Story = {
  args: {
    messages: [
      {
        ...message({ role: 'user', content: 'Second wording' }),
        alternatives: [[message({ role: 'user', content: 'First wording' })]],
        alternativeIndex: 1,
      },
      message({ role: 'assistant', content: 'Answer to the second wording.' }),
    ],
  },
  play: async ({ canvas, args }) => {
    await expect(canvas.getByText('2 of 2')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Next version' })).toBeDisabled();
    await userEvent.click(canvas.getByRole('button', { name: 'Previous version' }));
    await expect(args.onSelectAlternative).toHaveBeenCalledWith(args.messages[0]!.id, 0);
  },
};

/** 10,000 messages, virtualised: only a window of them is in the page. */
export const TenThousandMessages: Story = {
  args: { messages: longConversation(5000) },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelectorAll('article').length).toBeGreaterThan(0));
    await expect(canvasElement.querySelectorAll('article').length).toBeLessThan(60);
    await expect(canvasElement.querySelector('article:last-of-type')).toHaveAttribute(
      'aria-setsize',
      '10000',
    );
  },
};

export const ZhCN: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  args: { messages: [message({ role: 'user', content: '你好' }), endings.length] },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('log', { name: '对话' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: '继续' })).toBeVisible();
  },
};

export const Dark: Story = {
  parameters: { parlance: { theme: 'dark' } },
  args: { messages: [question, message({ role: 'assistant', content: LONG_REPLY })] },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.parlance-message-list')).toHaveAttribute('data-theme', 'dark');
  },
};
