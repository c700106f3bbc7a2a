// @vitest-environment jsdom
// A server that never sends `data: [DONE]` (Hugging Face `transformers serve`) ends its stream after
// the finish_reason, here followed by a usage chunk without a `choices` key. The reply is `done`.
import { act, renderHook } from '@testing-library/react';
import { useChat } from 'parlance';
import {
  createChatStore,
  createClientTransport,
  type ChatCompletionChunk,
  type CompletionUsage,
} from 'parlance/core';
import { describe, expect, test } from 'vitest';

import { fakeFetch } from '../../support/fake-fetch';

const usage: CompletionUsage = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 };

const base = {
  id: 'req_0',
  object: 'chat.completion.chunk',
  created: 1764700000,
  model: 'Qwen/Qwen3-0.6B',
};

/** `transformers serve`'s framing (pydantic `exclude_none`: no `finish_reason: null`), no [DONE]. */
function doneLessStream(): Response {
  const events = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant' } }], system_fingerprint: '' },
    { ...base, choices: [{ index: 0, delta: { content: 'Hello' } }], system_fingerprint: '' },
    { ...base, choices: [{ index: 0, delta: { content: ' there' } }], system_fingerprint: '' },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], system_fingerprint: '' },
    { ...base, usage },
  ];
  const body = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('');
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const expected = {
  role: 'assistant',
  content: 'Hello there',
  status: 'done',
  finishReason: 'stop',
  endState: { type: 'complete', reason: 'stop' },
  usage,
  error: null,
};

describe('a stream without [DONE]', () => {
  test('the chat store ends the reply `done`, with text, finish_reason and usage', async () => {
    const { fetch } = fakeFetch(() => doneLessStream());
    const store = createChatStore({
      model: 'Qwen/Qwen3-0.6B',
      throttle: 0,
      retry: false,
      transport: createClientTransport({ baseUrl: 'http://127.0.0.1:8000/v1', fetch }),
    });
    const result = await store.send('Hi');
    expect(result).toMatchObject({ type: 'finished', reason: 'stop' });
    const snapshot = store.getSnapshot();
    expect(snapshot).toMatchObject({ status: 'idle', error: null });
    expect(snapshot.messages[1]).toMatchObject(expected);
  });

  test('a custom transport may yield a usage chunk without `choices` too', async () => {
    const chunks = [
      { ...base, choices: [{ index: 0, delta: { content: 'Hello there' } }] },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { ...base, usage },
    ] as unknown as ChatCompletionChunk[];
    const store = createChatStore({
      model: 'Qwen/Qwen3-0.6B',
      throttle: 0,
      retry: false,
      transport: {
        send: async function* () {
          yield* chunks;
        },
      },
    });
    await store.send('Hi');
    expect(store.getSnapshot().messages[1]).toMatchObject(expected);
  });

  test('useChat ends the reply `done`, with text, finish_reason and usage', async () => {
    const { fetch, calls } = fakeFetch(() => doneLessStream());
    const { result } = renderHook(() =>
      useChat({
        baseUrl: 'http://127.0.0.1:8000/v1',
        fetch: fetch as typeof globalThis.fetch,
        model: 'Qwen/Qwen3-0.6B',
        throttle: 0,
      }),
    );
    await act(async () => {
      await result.current.send('Hi');
    });
    expect(calls).toHaveLength(1);
    expect(result.current).toMatchObject({ status: 'idle', error: null, isBusy: false, canContinue: false });
    expect(result.current.messages[1]).toMatchObject(expected);
  });
});
