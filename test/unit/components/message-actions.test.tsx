// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { MessageList, ParlanceProvider, messageActions, type ChatMessage } from 'parlance';
import { giveElementsASize } from '../../support/jsdom-layout';

function message(fields: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'a1',
    role: 'assistant',
    content: 'Part of a reply',
    createdAt: 0,
    status: 'done',
    finishReason: 'stop',
    endState: null,
    usage: null,
    error: null,
    ...fields,
  };
}

giveElementsASize();

const noop = () => {};

function buttons(last: ChatMessage): string[] {
  const { unmount } = render(
    <ParlanceProvider>
      <MessageList
        messages={[message({ id: 'u1', role: 'user', content: 'Hello' }), last]}
        onContinue={noop}
        onRetry={noop}
        onRegenerate={noop}
      />
    </ParlanceProvider>,
  );
  const names = ['Continue', 'Retry'].filter((name) => screen.queryByRole('button', { name })).sort();
  unmount();
  return names;
}

describe('MessageList offers what messageActions allows', () => {
  const cases: [string, Partial<ChatMessage>][] = [
    ['done', { status: 'done', finishReason: 'stop' }],
    ['cut by length', { status: 'done', finishReason: 'length' }],
    ['stopped', { status: 'stopped', finishReason: null }],
    ['interrupted', { status: 'interrupted', finishReason: null }],
    [
      'failed before any byte',
      { status: 'error', content: '', finishReason: null, error: { name: 'ApiError', message: 'x' } },
    ],
  ];
  it.each(cases)('%s', (_, fields) => {
    const last = message(fields);
    const allowed = messageActions(last);
    const expected = [allowed.canContinue && 'Continue', allowed.canRetry && 'Retry'].filter(Boolean).sort();
    expect(buttons(last)).toEqual(expected);
  });

  it('after a stop, both Continue and Retry are offered', () => {
    expect(buttons(message({ status: 'stopped', finishReason: null }))).toEqual(['Continue', 'Retry']);
  });
});
