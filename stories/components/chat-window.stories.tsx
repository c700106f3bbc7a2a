import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';

import { ChatWindow } from 'parlance';

import { LONG_REPLY } from '../support/chat-backend';
import { longConversation, message } from '../support/chat-fixtures';

const meta = {
  title: 'Components/ChatWindow',
  component: ChatWindow,
  args: { retry: false, onFinish: fn() },
} satisfies Meta<typeof ChatWindow>;

export default meta;
type Story = StoryObj<typeof meta>;

const lastAssistant = (root: HTMLElement) => {
  const all = root.querySelectorAll<HTMLElement>('[data-role="assistant"]');
  return all[all.length - 1];
};

async function sendMessage(canvasElement: HTMLElement, text: string, send = 'Send', label = 'Message') {
  const canvas = within(canvasElement);
  await userEvent.type(canvas.getByRole('textbox', { name: label }), text);
  await userEvent.click(canvas.getByRole('button', { name: send }));
}

async function replyEnds(canvasElement: HTMLElement, status = 'done') {
  await waitFor(() => expect(lastAssistant(canvasElement)?.dataset.status).toBe(status), { timeout: 5000 });
}

/** An empty conversation: the user types, sends, and the reply streams in. */
export const Empty: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('No messages yet. Ask anything to start.')).toBeVisible();
    await sendMessage(canvasElement, 'Hello there');
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-role="user"]')).toHaveTextContent('Hello there'),
    );
    await replyEnds(canvasElement);
    await expect(lastAssistant(canvasElement)).toHaveTextContent('You said');
    await expect(args.onFinish).toHaveBeenCalled();
  },
};

/** Stop while streaming keeps the partial reply and marks it stopped. */
export const StopWhileStreaming: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await sendMessage(canvasElement, 'Give me the long plan');
    await waitFor(() => expect(lastAssistant(canvasElement)?.dataset.status).toBe('streaming'));
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await replyEnds(canvasElement, 'stopped');
    await expect(canvas.getByText('Stopped. The reply is incomplete.')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeInTheDocument();
  },
};

/** Regenerate asks again and keeps the earlier reply as another version. */
export const Regenerate: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await sendMessage(canvasElement, 'Hello');
    await replyEnds(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Regenerate' }));
    await replyEnds(canvasElement);
    await waitFor(() => expect(canvas.getByText('2 of 2')).toBeVisible());
    await userEvent.click(canvas.getByRole('button', { name: 'Previous version' }));
    await waitFor(() => expect(canvas.getByText('1 of 2')).toBeVisible());
  },
};

/** Edit a user message: the conversation continues from the new text. */
export const Edit: Story = {
  args: {
    initialMessages: [
      message({ role: 'user', content: 'What is 2 + 2?' }),
      message({ role: 'assistant', content: 'It is **4**.' }),
    ],
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Edit' }));
    const box = canvas.getByRole('textbox', { name: 'Edit message' });
    await userEvent.clear(box);
    await userEvent.type(box, 'What is 3 + 3?');
    await userEvent.click(canvas.getByRole('button', { name: 'Save and send' }));
    await waitFor(() => expect(canvasElement.querySelector('[data-role="user"]')).toHaveTextContent('3 + 3'));
    await replyEnds(canvasElement);
    await expect(lastAssistant(canvasElement)).toHaveTextContent('3 + 3');
  },
};

/** A reply cut at the length limit says so and offers Continue. */
export const ContinueAfterLength: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await sendMessage(canvasElement, 'Make it cut short');
    await replyEnds(canvasElement);
    await expect(canvas.getByText('The reply was cut short at the length limit.')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(canvasElement).toHaveTextContent('which now ends'), { timeout: 5000 });
  },
};

/** A content filter's cut gets its own notice. */
export const ContentFilter: Story = {
  play: async ({ canvasElement }) => {
    await sendMessage(canvasElement, 'Something filtered');
    await replyEnds(canvasElement);
    await expect(within(canvasElement).getByText(/withheld by a content filter/)).toBeVisible();
  },
};

/** A server error: the notice, an alert, and Retry. */
export const ServerError: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await sendMessage(canvasElement, 'Cause a server error');
    await waitFor(() => expect(canvas.getByRole('alert')).toBeVisible(), { timeout: 5000 });
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Dismiss' }));
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

/** The connection breaks mid-reply: the partial text stays, marked interrupted. */
export const Interrupted: Story = {
  play: async ({ canvasElement }) => {
    await sendMessage(canvasElement, 'Please disconnect');
    await waitFor(
      () => expect(['interrupted', 'error']).toContain(lastAssistant(canvasElement)?.dataset.status),
      { timeout: 5000 },
    );
    await expect(within(canvasElement).getByRole('button', { name: 'Retry' })).toBeVisible();
  },
};

/** A long conversation opens at the latest message; scrolling up offers "Jump to latest". */
export const LongConversation: Story = {
  args: { initialMessages: longConversation(100) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const log = canvas.getByRole('log');
    await waitFor(() => expect(log.scrollTop).toBeGreaterThan(0));
    log.dispatchEvent(new WheelEvent('wheel', { deltaY: -400, bubbles: true }));
    log.scrollTop = 0;
    await userEvent.click(await canvas.findByRole('button', { name: 'Jump to latest' }));
    await waitFor(() => expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeLessThan(60));
  },
};

/** Dark theme. */
export const Dark: Story = {
  parameters: { parlance: { theme: 'dark' } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.parlance-chat-window')).toHaveAttribute('data-theme', 'dark');
    await sendMessage(canvasElement, 'Hello in the dark');
    await replyEnds(canvasElement);
  },
};

/** Simplified Chinese: every string, and the Send button is 发送. */
export const ZhCN: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  play: async ({ canvasElement }) => {
    await sendMessage(canvasElement, '你好，请介绍一下自己', '发送', '消息');
    await replyEnds(canvasElement);
    await expect(lastAssistant(canvasElement)).toHaveTextContent('示例');
    await expect(within(canvasElement).getByRole('button', { name: '新对话' })).toBeVisible();
  },
};

/** A conversation in progress: a question, a reply with markdown, a table and code, and a follow-up. */
export const Conversation: Story = {
  args: {
    title: 'Project assistant',
    allowImages: true,
    initialMessages: [
      message({
        role: 'user',
        content: 'Give me a plan for the release, with a table and the code to total it.',
      }),
      message({ role: 'assistant', content: LONG_REPLY }),
      message({ role: 'user', content: 'Thanks. Who reviews it?' }),
      message({
        role: 'assistant',
        content: '李雷 reviews it, once **Ana** has the draft ready. Ask again if the owners change.',
      }),
    ],
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('table')).toBeVisible();
    await expect(canvasElement.querySelectorAll('[data-role="user"]')).toHaveLength(2);
    await expect(canvas.getByRole('button', { name: 'Attach image' })).toBeVisible();
  },
};
