import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';

import { ChatWindow, ConversationList, ParlanceProvider } from 'parlance';

import { storageWithConversations } from '../support/conversation-fixtures';

const meta = {
  title: 'Components/ConversationList',
  component: ConversationList,
  args: { onValueChange: fn(), defaultValue: 'tides' },
  // Each story gets its own storage with three conversations, so stories never share state.
  decorators: [
    (Story) => {
      const [storage] = useState(storageWithConversations);
      return (
        <ParlanceProvider storage={storage}>
          <div style={{ height: '100%', maxWidth: 320 }}>
            <Story />
          </div>
        </ParlanceProvider>
      );
    },
  ],
} satisfies Meta<typeof ConversationList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Newest first, titled by each first question; choosing one calls `onValueChange`. */
export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const nav = await canvas.findByRole('navigation', { name: 'Conversations' });
    const first = await within(nav).findByRole('button', { name: 'Plan three days in Kyoto' });
    await expect(within(nav).getByRole('button', { name: 'Why are there two tides a day?' })).toHaveAttribute(
      'aria-current',
      'true',
    );
    await userEvent.click(first);
    await expect(args.onValueChange).toHaveBeenCalledWith('trip', 'select');
    await expect(first).toHaveAttribute('aria-current', 'true');
  },
};

/** Delete offers Undo for a few seconds; Undo puts the conversation back, chosen again. */
export const DeleteWithUndo: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(
      await canvas.findByRole('button', { name: 'Delete “Why are there two tides a day?”' }),
    );
    const notice = await canvas.findByRole('status');
    await expect(notice).toHaveTextContent('Deleted “Why are there two tides a day?”.');
    await expect(canvas.queryByRole('button', { name: 'Why are there two tides a day?' })).toBeNull();
    await expect(args.onValueChange).toHaveBeenCalledWith('trip', 'delete');
    await userEvent.click(within(notice).getByRole('button', { name: 'Undo' }));
    await waitFor(() =>
      expect(canvas.getByRole('button', { name: 'Why are there two tides a day?' })).toHaveAttribute(
        'aria-current',
        'true',
      ),
    );
  },
};

/** Rename: the title the user gives replaces the one from the first message. */
export const Rename: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Rename “Plan three days in Kyoto”' }));
    const input = canvas.getByRole('textbox', { name: 'Conversation title' });
    await userEvent.clear(input);
    await userEvent.type(input, 'Kyoto trip{Enter}');
    await expect(await canvas.findByRole('button', { name: 'Kyoto trip' })).toBeVisible();
  },
};

/** In a ChatWindow (`conversations`): the list beside the chat; switching shows that conversation. */
export const InChatWindow: Story = {
  render: () => <ChatWindow conversations retry={false} />,
  decorators: [
    (Story) => (
      <div style={{ height: 560, width: 760 }}>
        <Story />
      </div>
    ),
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const log = await canvas.findByRole('log');
    await within(log).findByText('Day one: Higashiyama.');
    await userEvent.click(canvas.getByRole('button', { name: 'How do I keep a sourdough starter?' }));
    await within(log).findByText('Feed it daily.');
    await userEvent.click(
      within(canvas.getByRole('banner')).getByRole('button', { name: 'New conversation' }),
    );
    await waitFor(() => expect(within(log).queryByText('Feed it daily.')).toBeNull());
    await expect(canvas.getByRole('button', { name: 'How do I keep a sourdough starter?' })).toBeVisible();
  },
};
