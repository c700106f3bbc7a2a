// @vitest-environment jsdom
/** `useChat({ tools, maxToolRounds })`: what an app sees through the hook, reloads included. */
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { createMemoryStorage, type ChatCompletionChunk, type ChatStorage } from 'parlance/core';
import { useChat, type ChatTools, type UseChatOptions } from 'parlance';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { chunk, reply, scriptedTransport } from './scripted-transport';

afterEach(cleanup);

/** A reply calling `name` once with `args`. */
function calling(name: string, args: object, id = 'call_1'): ChatCompletionChunk[] {
  const base = chunk();
  return [
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: {
            role: 'assistant',
            tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }],
          },
          finish_reason: null,
        },
      ],
    },
    ...JSON.stringify(args)
      .match(/.{1,5}/g)!
      .map((piece) => ({
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] },
            finish_reason: null,
          },
        ],
      })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  ] as ChatCompletionChunk[];
}

function hook(options: Partial<UseChatOptions> & { tools: ChatTools }) {
  const script = scriptedTransport();
  const view = renderHook((props: UseChatOptions) => useChat(props), {
    initialProps: { model: 'gpt-test', transport: script.transport, throttle: 0, ...options },
  });
  return { script, ...view };
}

const params = { type: 'object', properties: { city: { type: 'string' } } };

describe('useChat with tools', () => {
  test('execute: the call runs and the reply that follows uses its result', async () => {
    const execute = vi.fn(async ({ city }: { city: string }) => `${city}: 21 °C`);
    const { result, script } = hook({ tools: { weather: { parameters: params, execute } } });
    script.stream(calling('weather', { city: 'Lyon' }));
    script.stream(reply(['It is 21 °C in Lyon.']));
    await act(() => result.current.send('Weather in Lyon?'));
    expect(execute).toHaveBeenCalledWith({ city: 'Lyon' }, expect.objectContaining({ toolCallId: 'call_1' }));
    expect(result.current.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Weather in Lyon?'],
      ['assistant', ''],
      ['assistant', 'It is 21 °C in Lyon.'],
    ]);
    expect(result.current.messages[1]!.toolCalls![0]).toMatchObject({
      status: 'done',
      output: 'Lyon: 21 °C',
    });
    expect(script.requests[1]!.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'Lyon: 21 °C',
    });
  });

  test('approval: nothing runs until approveToolCall, and the hook is not busy meanwhile', async () => {
    const execute = vi.fn(() => ({ booked: true }));
    const { result, script } = hook({
      tools: { book: { parameters: params, execute, needsApproval: true } },
    });
    script.stream(calling('book', { city: 'Rome' }));
    await act(() => result.current.send('Book Rome'));
    expect(result.current.messages[1]!.toolCalls![0]!.status).toBe('awaiting-approval');
    expect(result.current.isBusy).toBe(false);
    expect(execute).not.toHaveBeenCalled();

    script.stream(reply(['Booked.']));
    await act(() => result.current.approveToolCall('call_1'));
    expect(execute).toHaveBeenCalledOnce();
    expect(result.current.messages.at(-1)!.content).toBe('Booked.');
    expect(script.requests[1]!.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: '{"booked":true}',
    });
  });

  test('rejection: execute never runs, the model hears the reason', async () => {
    const execute = vi.fn();
    const { result, script } = hook({
      tools: { book: { parameters: params, execute, needsApproval: true } },
    });
    script.stream(calling('book', { city: 'Rome' }));
    await act(() => result.current.send('Book Rome'));
    script.stream(reply(['OK, not booking.']));
    await act(() => result.current.rejectToolCall('call_1', 'Too expensive'));
    expect(execute).not.toHaveBeenCalled();
    expect(result.current.messages[1]!.toolCalls![0]).toMatchObject({
      status: 'rejected',
      error: 'Too expensive',
    });
    expect(script.requests[1]!.messages.at(-1)!.content).toBe('The user declined this call: Too expensive');
  });

  test('client results: a tool without execute waits for addToolResult', async () => {
    const { result, script } = hook({ tools: { pick_date: { parameters: params } } });
    script.stream(calling('pick_date', {}));
    await act(() => result.current.send('When?'));
    expect(result.current.messages[1]!.toolCalls![0]!.status).toBe('awaiting-result');
    script.stream(reply(['See you on the 4th.']));
    await act(() => result.current.addToolResult('call_1', { date: '2026-12-04' }));
    expect(result.current.messages[1]!.toolCalls![0]).toMatchObject({
      status: 'done',
      output: { date: '2026-12-04' },
    });
    expect(script.requests[1]!.messages.at(-1)!.content).toBe('{"date":"2026-12-04"}');
    expect(result.current.messages.at(-1)!.content).toBe('See you on the 4th.');
  });

  test('maxToolRounds bounds the rounds after one user message', async () => {
    const execute = vi.fn(() => 'again');
    const { result, script } = hook({ maxToolRounds: 3, tools: { loop: { parameters: params, execute } } });
    for (let i = 0; i < 5; i++) script.stream(calling('loop', {}, `call_${i}`));
    await act(() => result.current.send('Go'));
    expect(script.requests).toHaveLength(3);
    expect(execute).toHaveBeenCalledTimes(3);
    expect(result.current.messages.filter((m) => m.toolCalls)).toHaveLength(3);
    expect(result.current.isBusy).toBe(false);
  });

  test('stop() during a tool aborts its signal, settles the call and sends nothing', async () => {
    let signal!: AbortSignal;
    const { result, script } = hook({
      tools: {
        slow: {
          parameters: params,
          execute: (_input, options) => {
            signal = options.signal;
            return new Promise(() => {});
          },
        },
      },
    });
    script.stream(calling('slow', {}));
    let sent!: Promise<unknown>;
    act(() => {
      sent = result.current.send('Run slow');
    });
    await waitFor(() => expect(result.current.messages[1]?.toolCalls?.[0]?.status).toBe('running'));
    expect(result.current.isBusy).toBe(true);
    act(() => result.current.stop());
    await act(() => sent);
    expect(signal.aborted).toBe(true);
    expect(result.current.messages[1]!.toolCalls![0]).toMatchObject({
      status: 'error',
      error: 'Stopped by the user',
    });
    expect(result.current.isBusy).toBe(false);
    expect(script.requests).toHaveLength(1);
  });

  test('a reload while a call awaits approval keeps it waiting, and approving it then goes on', async () => {
    const storage: ChatStorage = createMemoryStorage();
    const execute = vi.fn(() => 'done');
    const tools: ChatTools = { book: { parameters: params, execute, needsApproval: true } };
    const first = hook({ id: 'trip', storage, tools });
    first.script.stream(calling('book', { city: 'Oslo' }));
    await act(() => first.result.current.send('Book Oslo'));
    first.unmount();

    const second = hook({ id: 'trip', storage, tools });
    await waitFor(() => expect(second.result.current.restore).toBe('ready'));
    expect(second.result.current.messages[1]!.toolCalls![0]).toMatchObject({
      status: 'awaiting-approval',
      input: { city: 'Oslo' },
    });
    second.script.stream(reply(['Booked Oslo.']));
    await act(() => second.result.current.approveToolCall('call_1'));
    expect(execute).toHaveBeenCalledOnce();
    expect(second.result.current.messages.at(-1)!.content).toBe('Booked Oslo.');
  });

  test('a reload while a call ran settles it as an error: it is never run twice', async () => {
    const storage: ChatStorage = createMemoryStorage();
    const execute = vi.fn(() => new Promise(() => {}));
    const tools: ChatTools = { charge: { parameters: params, execute } };
    const first = hook({ id: 'pay', storage, tools });
    first.script.stream(calling('charge', {}));
    act(() => void first.result.current.send('Pay'));
    await waitFor(() => expect(first.result.current.messages[1]?.toolCalls?.[0]?.status).toBe('running'));
    first.unmount(); // the page closes; the store flushes what it has

    const second = hook({ id: 'pay', storage, tools });
    await waitFor(() => expect(second.result.current.restore).toBe('ready'));
    expect(second.result.current.messages[1]!.toolCalls![0]).toMatchObject({
      status: 'error',
      error: 'The page closed while the tool ran',
    });
    expect(execute).toHaveBeenCalledOnce();
  });
});
