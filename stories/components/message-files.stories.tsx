import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';

import { MessageList } from 'parlance';
import { textFilePart } from 'parlance/core';

import { message } from '../support/chat-fixtures';

const meta = {
  title: 'Components/MessageList/Files',
  component: MessageList,
  args: { messages: [] },
} satisfies Meta<typeof MessageList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A user's text file and PDF show as chips with their names; the file's text is not repeated. */
export const FileChips: Story = {
  args: {
    messages: [
      message({
        role: 'user',
        content: [
          { type: 'text', text: 'What do these say?' },
          textFilePart('notes.md', '# Kites\n\nDelta kites fly in light wind.'),
          {
            type: 'file',
            file: { filename: 'manual.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
          },
        ],
      }),
      message({
        role: 'assistant',
        content: 'Your notes are about **delta kites**; the manual covers repairs.',
      }),
    ],
  },
  play: async ({ canvasElement, canvas }) => {
    const user = canvasElement.querySelector<HTMLElement>('[data-role="user"]')!;
    await expect(within(user).getByText('What do these say?')).toBeVisible();
    await expect(canvas.getByRole('listitem', { name: 'Attached file: notes.md' })).toBeVisible();
    await expect(canvas.getByRole('listitem', { name: 'Attached file: manual.pdf' })).toBeVisible();
    await expect(user.textContent).not.toContain('Delta kites');
  },
};
