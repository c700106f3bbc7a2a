import type { ChatMessage } from 'parlance/core';
import { describe, expect, test } from 'vitest';

import { replyBranchAt, selectVersion } from '../../../src/core/chat/branches';
import { transition } from '../../../src/core/chat/transitions';

const message = (id: string, role: ChatMessage['role'], content: string): ChatMessage => ({
  id,
  role,
  content,
  createdAt: 0,
  status: 'done',
  finishReason: null,
  endState: null,
  usage: null,
  error: null,
});

describe('transition', () => {
  const history = [message('u1', 'user', 'Q'), message('a1', 'assistant', '')];
  const start = transition.turnStarted(transition.created('c', [], false), history);

  test('streamed: only the live message and the array change; an unchanged text keeps the snapshot', () => {
    const next = transition.streamed(start, 'a1', 'Hel');
    expect(next).not.toBe(start);
    expect(next.messages[0]).toBe(start.messages[0]);
    expect(next.messages[1]).toMatchObject({ id: 'a1', content: 'Hel', status: 'streaming' });
    expect(transition.streamed(next, 'a1', 'Hel')).toBe(next);
    expect(transition.streamed(next, 'gone', 'x')).toBe(next);
  });

  test('error is set exactly when status is error', () => {
    const failure = new Error('boom');
    const ended = transition.turnEnded(start, start.messages, start.usage, failure);
    expect(ended).toMatchObject({ status: 'error', error: failure, retryWait: null });
    const again = transition.streamStarted(transition.turnStarted(ended, history));
    expect(again).toMatchObject({ status: 'streaming', error: null });
    expect(transition.turnEnded(again, again.messages, again.usage, null)).toMatchObject({
      status: 'idle',
      error: null,
    });
  });

  test('cleared forgets messages, usage, errors and waits', () => {
    const waiting = transition.retryWaiting(start, {
      attempt: 1,
      delayMs: 5,
      retryAt: 5,
      error: new Error(),
    });
    expect(waiting.retryWait).not.toBeNull();
    expect(transition.cleared(waiting)).toMatchObject({
      messages: [],
      usage: { total_tokens: 0 },
      retryWait: null,
      status: 'idle',
      error: null,
    });
  });
});

describe('branches', () => {
  test('a new attempt keeps the old reply as a version; choosing it brings it back', () => {
    const messages = [message('u1', 'user', 'Q'), message('a1', 'assistant', 'First')];
    const placeholder = replyBranchAt(messages, 1, message('a2', 'assistant', ''));
    expect(placeholder.alternatives).toEqual([[messages[1]]]);
    expect(placeholder.alternativeIndex).toBe(1);
    const now = [messages[0]!, { ...placeholder, content: 'Second' }];
    const back = selectVersion(now, 'a2', 0)!;
    expect(back.map((m) => m.content)).toEqual(['Q', 'First']);
    expect(back[1]).toMatchObject({ id: 'a1', alternativeIndex: 0 });
    expect(back[1]!.alternatives![0]![0]).toMatchObject({ id: 'a2', content: 'Second' });
    expect(selectVersion(back, 'a1', 0)).toBeNull(); // already shown
  });

  test('a failed attempt with no text is not kept as a version', () => {
    const messages = [
      message('u1', 'user', 'Q'),
      { ...message('a1', 'assistant', ''), status: 'error' as const },
    ];
    expect(replyBranchAt(messages, 1, message('a2', 'assistant', '')).alternatives).toBeUndefined();
  });
});
