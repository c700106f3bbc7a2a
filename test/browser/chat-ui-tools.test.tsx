import { userEvent } from '@vitest/browser/context';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-react';

import { MessageList, type ChatMessage, type ChatToolCall } from 'parlance';

import 'parlance/styles.css';

import { message } from '../../stories/support/chat-fixtures';

const question = message({ role: 'user', content: 'Delete the old report?' });
const reply = message({
  role: 'assistant',
  content: '',
  finishReason: 'tool_calls',
  reasoning: 'The user wants the file gone; deleting needs their approval.',
  reasoningMs: 4200,
});

function call(status: ChatToolCall['status']): ChatToolCall {
  return {
    id: 'call_delete',
    name: 'delete_file',
    arguments: '{"path":"reports/2024.pdf"}',
    input: { path: 'reports/2024.pdf' },
    status,
    ...(status === 'done' ? { output: 'deleted' } : {}),
  };
}

/** A list whose store answers an approval as useChat will: running, then done. */
function Conversation({
  onApprove,
  onReject,
}: {
  onApprove: (id: string) => void;
  onReject: (id: string) => void;
}) {
  const [status, setStatus] = useState<ChatToolCall['status']>('awaiting-approval');
  const messages: ChatMessage[] = [question, { ...reply, toolCalls: [call(status)] }];
  return (
    <div style={{ height: 500, width: 640 }}>
      <button type="button">Before</button>
      <MessageList
        messages={messages}
        onApproveToolCall={(id) => {
          onApprove(id);
          setStatus('running');
          setTimeout(() => setStatus('done'), 50);
        }}
        onRejectToolCall={(id) => {
          onReject(id);
          setStatus('rejected');
        }}
      />
    </div>
  );
}

describe('tool calls and reasoning from the keyboard', () => {
  it('reaches Approve with Tab, approves with Enter, and keeps focus on the card', async () => {
    const onApprove = vi.fn();
    const onReject = vi.fn();
    const screen = await render(<Conversation onApprove={onApprove} onReject={onReject} />);
    (screen.getByRole('button', { name: 'Before' }).element() as HTMLElement).focus();

    // Past the question's own actions to the newest message (the log's one tab stop among the
    // messages), then its parts in order: its time, the reasoning disclosure, Approve, Decline.
    for (let i = 0; i < 8 && document.activeElement?.getAttribute('data-role') !== 'assistant'; i++) {
      await userEvent.tab();
    }
    expect(document.activeElement?.getAttribute('data-role')).toBe('assistant');
    // The message's time comes first (focusable, for its exact time), then the reasoning.
    await userEvent.tab();
    expect(document.activeElement?.tagName).toBe('TIME');
    await userEvent.tab();
    await expect.element(screen.getByRole('button', { name: 'Thought for 4 s' })).toHaveFocus();
    await userEvent.tab();
    const approve = screen.getByRole('button', { name: 'Approve' });
    await expect.element(approve).toHaveFocus();
    await expect.element(approve).toHaveAccessibleDescription('Tool call: delete_file');

    await userEvent.keyboard('{Enter}');
    expect(onApprove).toHaveBeenCalledExactlyOnceWith('call_delete');
    expect(onReject).not.toHaveBeenCalled();
    const card = screen.getByRole('group', { name: 'Tool call: delete_file' });
    await expect.element(card).toHaveAttribute('data-status', 'done');
    await expect.element(card).toHaveFocus();
    await expect.element(screen.getByText('Done', { exact: true })).toBeVisible();
  });

  it('declines with Space on Decline', async () => {
    const onApprove = vi.fn();
    const onReject = vi.fn();
    const screen = await render(<Conversation onApprove={onApprove} onReject={onReject} />);
    (screen.getByRole('button', { name: 'Decline' }).element() as HTMLElement).focus();
    await userEvent.keyboard(' ');
    expect(onReject).toHaveBeenCalledExactlyOnceWith('call_delete');
    expect(onApprove).not.toHaveBeenCalled();
    const card = screen.getByRole('group', { name: 'Tool call: delete_file' });
    await expect.element(card).toHaveAttribute('data-status', 'rejected');
    await expect.element(card).toHaveFocus();
  });

  it('unfolds and folds the reasoning with Enter and Space', async () => {
    const screen = await render(<Conversation onApprove={vi.fn()} onReject={vi.fn()} />);
    const toggle = screen.getByRole('button', { name: 'Thought for 4 s' });
    (toggle.element() as HTMLElement).focus();
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.keyboard('{Enter}');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'true');
    const panel = document.getElementById(toggle.element().getAttribute('aria-controls')!)!;
    expect(panel.textContent).toContain('deleting needs their approval');
    expect(panel.getBoundingClientRect().height).toBeGreaterThan(0);
    await userEvent.keyboard(' ');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect.element(screen.getByText(/deleting needs their approval/)).not.toBeInTheDocument();
    await expect.element(toggle).toHaveFocus();
  });
});
