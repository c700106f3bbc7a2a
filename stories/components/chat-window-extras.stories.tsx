import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';

import { ChatWindow } from 'parlance';

import { message } from '../support/chat-fixtures';

const meta = {
  title: 'Components/ChatWindow/Starters and feedback',
  component: ChatWindow,
  args: { retry: false },
} satisfies Meta<typeof ChatWindow>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Starter prompts in the empty state: choosing one sends it; follow-ups show after the reply. */
export const Suggestions: Story = {
  args: { suggestions: ['What can you do?', 'Summarise a paragraph', 'Write a haiku about tea'] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const starters = canvas.getByRole('list', { name: 'Suggestions' });
    await userEvent.click(within(starters).getByRole('button', { name: 'Write a haiku about tea' }));
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-role="user"]')).toHaveTextContent('Write a haiku about tea'),
    );
    await waitFor(
      () =>
        expect(canvas.getByRole('list', { name: 'Suggestions' })).toHaveAttribute(
          'data-placement',
          'follow-up',
        ),
      { timeout: 5000 },
    );
  },
};

/** Thumbs on replies: the choice is kept on the message; a thumbs down asks for an optional comment. */
export const Feedback: Story = {
  args: {
    onFeedback: fn(),
    initialMessages: [
      message({ id: 'q', role: 'user', content: 'What is the boiling point of water?' }),
      message({ id: 'a', role: 'assistant', content: '100 °C at sea level.' }),
    ],
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const up = canvas.getByRole('button', { name: 'Good response' });
    await userEvent.click(up);
    await expect(up).toHaveAttribute('aria-pressed', 'true');
    await expect(args.onFeedback).toHaveBeenCalledWith('a', 'up', undefined);
    const down = canvas.getByRole('button', { name: 'Bad response' });
    await userEvent.click(down);
    await expect(down).toHaveAttribute('aria-pressed', 'true');
    await expect(up).toHaveAttribute('aria-pressed', 'false');
    await userEvent.type(
      canvas.getByRole('textbox', { name: 'What was wrong? (optional)' }),
      'Too short{Enter}',
    );
    await expect(args.onFeedback).toHaveBeenLastCalledWith('a', 'down', 'Too short');
    await expect(canvas.getByText('Thanks for the feedback.')).toBeVisible();
  },
};

/** Each message says when it was written; the exact time is its title and shows on focus. Delete removes one. */
export const TimesAndDelete: Story = {
  args: {
    initialMessages: [
      message({ id: 'q1', role: 'user', content: 'First question', createdAt: 1_700_000_000_000 }),
      message({ id: 'a1', role: 'assistant', content: 'First answer', createdAt: 1_700_000_060_000 }),
    ],
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const times = canvasElement.querySelectorAll('time[datetime]');
    await expect(times).toHaveLength(2);
    await expect(times[0]).toHaveAttribute('datetime', new Date(1_700_000_000_000).toISOString());
    await expect(times[0]?.getAttribute('title')).toMatch(/2023/);
    await userEvent.click(canvas.getAllByRole('button', { name: 'Delete message' })[1]!);
    await waitFor(() => expect(canvas.queryByText('First answer')).toBeNull());
  },
};
