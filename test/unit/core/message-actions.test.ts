import {
  ApiError,
  createChatStore,
  messageActions,
  StreamInterruptedError,
  type ChatFinishReason,
  type ChatMessageActionsInput,
} from 'parlance/core';
import { describe, expect, test } from 'vitest';

import { endingOf } from '../../../src/core/chat/ending';
import { chunk, reply, scriptedTransport, sequentialIds, tick } from '../chat/scripted-transport';

function setup() {
  const script = scriptedTransport();
  const store = createChatStore({
    model: 'gpt-test',
    transport: script.transport,
    generateId: sequentialIds(),
    throttle: 0,
    retry: false,
  });
  return { store, script };
}

const assistant = (fields: Partial<ChatMessageActionsInput>): ChatMessageActionsInput => ({
  role: 'assistant',
  content: 'Some text',
  status: 'done',
  finishReason: 'stop',
  error: null,
  ...fields,
});

describe('endingOf: status and endState come from one reason', () => {
  test.each<[ChatFinishReason, string, string]>([
    ['stop', 'done', 'complete'],
    ['tool-calls', 'done', 'complete'],
    ['unknown', 'done', 'complete'],
    ['length', 'done', 'incomplete'],
    ['content-filter', 'done', 'incomplete'],
    ['cancelled', 'stopped', 'incomplete'],
    ['interrupted', 'interrupted', 'incomplete'],
    ['error', 'error', 'incomplete'],
  ])('%s → status %s, endState %s', (reason, status, type) => {
    expect(endingOf(reason)).toEqual({ status, endState: { type, reason } });
  });
});

describe('messageActions', () => {
  test('a complete reply can be regenerated, not continued or retried', () => {
    expect(messageActions(assistant({}))).toEqual({
      canContinue: false,
      canRetry: false,
      canRegenerate: true,
    });
  });

  test('a reply cut by length can be continued', () => {
    expect(messageActions(assistant({ finishReason: 'length' }))).toMatchObject({
      canContinue: true,
      canRetry: false,
    });
  });

  test('stopped and interrupted replies with text can be continued and retried', () => {
    for (const status of ['stopped', 'interrupted'] as const) {
      expect(messageActions(assistant({ status, finishReason: null }))).toEqual({
        canContinue: true,
        canRetry: true,
        canRegenerate: true,
      });
    }
  });

  test('without text there is nothing to continue', () => {
    expect(messageActions(assistant({ status: 'stopped', content: '' }))).toMatchObject({
      canContinue: false,
      canRetry: true,
    });
    expect(
      messageActions(assistant({ status: 'stopped', content: [{ type: 'text', text: '' }] })),
    ).toMatchObject({
      canContinue: false,
    });
  });

  test('an error continues only when the stream broke mid-reply', () => {
    const broken = { name: 'StreamInterruptedError', message: 'broke' };
    const refused = { name: 'ApiError', message: 'bad request', status: 400 };
    expect(messageActions(assistant({ status: 'error', error: broken }))).toMatchObject({
      canContinue: true,
      canRetry: true,
    });
    expect(messageActions(assistant({ status: 'error', error: refused }))).toMatchObject({
      canContinue: false,
      canRetry: true,
    });
  });

  test('a reply in progress offers nothing; a user message offers retry only', () => {
    for (const status of ['pending', 'streaming'] as const) {
      expect(messageActions(assistant({ status }))).toEqual({
        canContinue: false,
        canRetry: false,
        canRegenerate: false,
      });
    }
    expect(messageActions({ role: 'user', content: 'Q', status: 'done' })).toEqual({
      canContinue: false,
      canRetry: true,
      canRegenerate: false,
    });
  });
});

describe('the store follows the same rules', () => {
  test('after a stop: the reply is stopped, continue and retry are offered, and both work', async () => {
    const { store, script } = setup();
    const stream = script.controlled();
    const sent = store.send('Q');
    await stream.started;
    stream.push(chunk('Partial'));
    await tick();
    store.stop();
    await sent;
    const stopped = store.getSnapshot().messages[1]!;
    expect(stopped).toMatchObject({
      status: 'stopped',
      endState: { type: 'incomplete', reason: 'cancelled' },
    });
    expect(messageActions(stopped)).toEqual({ canContinue: true, canRetry: true, canRegenerate: true });

    script.stream(reply([' and the rest.']));
    await expect(store.continue()).resolves.toMatchObject({ type: 'finished', reason: 'stop' });
    const continued = store.getSnapshot().messages[1]!;
    expect(continued).toMatchObject({ content: 'Partial and the rest.', status: 'done' });
    expect(messageActions(continued)).toMatchObject({ canContinue: false, canRetry: false });
    await expect(store.retry()).resolves.toEqual({ type: 'not-sent', reason: 'nothing-to-do' });
  });

  test('a failed reply is retried; an interrupted one ends as the rules say', async () => {
    const { store, script } = setup();
    script.stream([chunk('Half')], new StreamInterruptedError([]));
    await store.send('Q');
    const interrupted = store.getSnapshot().messages[1]!;
    expect(messageActions(interrupted)).toMatchObject({ canContinue: true, canRetry: true });

    script.fail(new ApiError({ status: 400, message: 'nope' }));
    await store.retry();
    const failed = store.getSnapshot().messages[1]!;
    expect(failed).toMatchObject({ status: 'error', content: '' });
    expect(messageActions(failed)).toMatchObject({ canContinue: false, canRetry: true });
  });
});
