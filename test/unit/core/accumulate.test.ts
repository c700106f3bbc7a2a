import { expect, test } from 'vitest';

import { accumulateChunks, type ChatCompletionChunk } from 'parlance/core';
import { ChatCompletionAccumulator } from '../../../src/core/stream/accumulate';

const base = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1763987520,
  model: 'gpt-4o-mini',
} as const;
const chunk = (
  choices: ChatCompletionChunk['choices'],
  extra: Partial<ChatCompletionChunk> = {},
): ChatCompletionChunk => ({
  ...base,
  choices,
  ...extra,
});

test('folds content, role, finish_reason and usage into a chat.completion', () => {
  const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
  const completion = accumulateChunks([
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], {
      system_fingerprint: 'fp_1',
    }),
    chunk([{ index: 0, delta: { content: 'Hel' }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { usage }),
  ]);
  expect(completion).toEqual({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1763987520,
    model: 'gpt-4o-mini',
    system_fingerprint: 'fp_1',
    usage,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
  });
});

test('keeps choices apart by index and joins tool-call fragments', () => {
  const acc = new ChatCompletionAccumulator()
    .add(chunk([{ index: 1, delta: { content: 'B' }, finish_reason: null }]))
    .add(
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'get_', arguments: '{"ci' } },
            ],
          },
          finish_reason: null,
        },
      ]),
    )
    .add(
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { name: 'weather', arguments: 'ty":"Oslo"}' } }] },
          finish_reason: 'tool_calls',
        },
      ]),
    )
    .add(chunk([{ index: 1, delta: { content: 'b' }, finish_reason: 'length' }]));
  const { choices } = acc.toChatCompletion();
  expect(choices.map((c) => c.index)).toEqual([0, 1]);
  expect(choices[0]!.message.tool_calls).toEqual([
    { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
  ]);
  expect(choices[0]!.message.content).toBeNull();
  expect(choices[1]!.message.content).toBe('Bb');
  expect(choices[1]!.finish_reason).toBe('length');
  expect(acc.finishReason).toBe('tool_calls');
  expect(acc.chunkCount).toBe(4);
});

test('snapshots are copies: later chunks do not change an earlier snapshot', () => {
  const acc = new ChatCompletionAccumulator().add(
    chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }]),
  );
  const first = acc.toChatCompletion();
  acc.add(chunk([{ index: 0, delta: { content: 'b' }, finish_reason: 'stop' }]));
  expect(first.choices[0]!.message.content).toBe('a');
  expect(acc.content).toBe('ab');
  expect(new ChatCompletionAccumulator().content).toBe('');
});
