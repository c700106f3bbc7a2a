/**
 * The chat store reads the whole chat wire from recorded streams: tool calls joined per index
 * (one after the other, or side by side), reasoning (`reasoning_content`, `reasoning`, an inline
 * `<think>` block), refusals and `url_citation` annotations.
 */
import fc from 'fast-check';
import {
  createChatStore,
  parseSSEStream,
  type ChatCompletionChunk,
  type ChatOptions,
  type ChatTransport,
  type ChatToolExecuteOptions,
  type ChatTransportRequest,
} from 'parlance/core';
import { describe, expect, test, vi } from 'vitest';

import { readStreamFixture, type StreamFixture } from '../../support/fixtures';
import { splitAt, streamOf } from '../../support/streams';
import { reply, sequentialIds } from './scripted-transport';

/** A transport answering each request with the next script: a recorded stream, or chunks. */
function wire(...scripts: Array<StreamFixture | { chunks: ChatCompletionChunk[] }>) {
  const requests: ChatTransportRequest[] = [];
  const cuts: number[][] = [];
  const transport: ChatTransport = {
    send(request) {
      requests.push(structuredClone(request));
      const script = scripts.shift();
      if (!script) throw new Error(`No script for request ${requests.length}`);
      if (typeof script !== 'string') {
        return (async function* () {
          yield* script.chunks;
        })();
      }
      const raw = readStreamFixture(script);
      return parseSSEStream<ChatCompletionChunk>(
        streamOf(splitAt(raw, cuts.shift() ?? [])),
      ) as unknown as AsyncIterable<ChatCompletionChunk>;
    },
  };
  return { transport, requests, cuts };
}

function store(transport: ChatTransport, options: ChatOptions = {}) {
  return createChatStore({
    id: 'wire',
    model: 'gpt-4o',
    transport,
    generateId: sequentialIds(),
    throttle: 0,
    ...options,
  });
}

const weather = {
  description: 'The weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
    required: ['city'],
  },
};

describe('tool calls', () => {
  test('parallel calls are joined, run, and answered in order before the model replies', async () => {
    const { transport, requests } = wire('tool-calls-parallel', {
      chunks: reply(['Paris 21 °C, Tokyo 18 °C.']),
    });
    const execute = vi.fn(async ({ city }: { city: string }, _options?: ChatToolExecuteOptions) => ({
      city,
      celsius: city === 'Paris' ? 21 : 18,
    }));
    const chat = store(transport, { tools: { get_weather: { ...weather, execute } } });

    const result = await chat.send('Weather in Paris and Tokyo?');

    expect(result.type === 'finished' && result.message.content).toBe('Paris 21 °C, Tokyo 18 °C.');
    expect(execute).toHaveBeenCalledTimes(2);
    expect(execute.mock.calls.map(([input]) => input)).toEqual([
      { city: 'Paris', unit: 'c' },
      { city: 'Tokyo', unit: 'c' },
    ]);
    expect(execute.mock.calls[0]![1]?.toolCallId).toBe('call_Wq1bP0aGfKz9rT2m');

    // The first request offered the tool in wire form.
    expect(requests[0]!.tools).toEqual([{ type: 'function', function: { name: 'get_weather', ...weather } }]);
    // The follow-up repeats the reply with its calls, then one tool message per call, in order.
    expect(requests[1]!.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_Wq1bP0aGfKz9rT2m',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city": "Paris", "unit": "c"}' },
          },
          {
            id: 'call_Hx8sL3nVd7QeY5uA',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city": "Tokyo", "unit": "c"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_Wq1bP0aGfKz9rT2m', content: '{"city":"Paris","celsius":21}' },
      { role: 'tool', tool_call_id: 'call_Hx8sL3nVd7QeY5uA', content: '{"city":"Tokyo","celsius":18}' },
    ]);

    const [, calling, answer] = chat.getSnapshot().messages;
    expect(calling).toMatchObject({ role: 'assistant', status: 'done', finishReason: 'tool_calls' });
    expect(calling!.toolCalls!.map((c) => [c.name, c.status, c.output])).toEqual([
      ['get_weather', 'done', { city: 'Paris', celsius: 21 }],
      ['get_weather', 'done', { city: 'Tokyo', celsius: 18 }],
    ]);
    expect(answer!.toolCalls).toBeUndefined();
    expect(chat.getSnapshot().status).toBe('idle');
  });

  test('the same calls whatever bytes the stream is cut at', async () => {
    const raw = readStreamFixture('tool-calls-parallel');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: raw.length - 1 }), { maxLength: 30 }),
        async (offsets) => {
          const { transport, cuts } = wire('tool-calls-parallel');
          cuts.push(offsets);
          const chat = store(transport);
          await chat.send('Weather?');
          const calls = chat.getSnapshot().messages[1]!.toolCalls!;
          expect(calls.map((c) => [c.id, c.arguments, c.status])).toEqual([
            ['call_Wq1bP0aGfKz9rT2m', '{"city": "Paris", "unit": "c"}', 'awaiting-result'],
            ['call_Hx8sL3nVd7QeY5uA', '{"city": "Tokyo", "unit": "c"}', 'awaiting-result'],
          ]);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('calls streamed side by side, split mid-escape, wait for approval and for the app', async () => {
    const { transport, requests } = wire('tool-calls-interleaved', { chunks: reply(['Here they are.']) });
    const fetchRows = vi.fn(({ ids }: { ids: number[] }) => ids.map((id) => ({ id })));
    const chat = store(transport, {
      tools: {
        search: { parameters: { type: 'object' } }, // no execute: the app answers
        fetch_rows: { parameters: { type: 'object' }, execute: fetchRows, needsApproval: true },
      },
    });

    const first = await chat.send('Find cafés');
    // The turn ends with both calls waiting; nothing ran, nothing more was sent.
    expect(first.type === 'finished' && first.message.toolCalls!.map((c) => c.status)).toEqual([
      'awaiting-result',
      'awaiting-approval',
    ]);
    const calling = chat.getSnapshot().messages[1]!;
    expect(calling.content).toBe('Let me look that up.');
    expect(calling.toolCalls![0]!.input).toEqual({ query: 'café near "Gare du Nord"', limit: 3 });
    expect(calling.toolCalls![1]!.input).toEqual({ ids: [1, 2, 3], note: 'ok' });
    expect(fetchRows).not.toHaveBeenCalled();
    expect(requests).toHaveLength(1);

    await chat.approveToolCall('call_b');
    expect(fetchRows).toHaveBeenCalledOnce();
    expect(requests).toHaveLength(1); // `search` still waits

    await chat.addToolResult('call_a', 'Café Lomi, 3 min away');
    expect(requests).toHaveLength(2);
    expect(requests[1]!.messages.slice(-3)).toEqual([
      expect.objectContaining({ role: 'assistant', content: 'Let me look that up.' }),
      { role: 'tool', tool_call_id: 'call_a', content: 'Café Lomi, 3 min away' },
      { role: 'tool', tool_call_id: 'call_b', content: '[{"id":1},{"id":2},{"id":3}]' },
    ]);
    expect(chat.getSnapshot().messages.at(-1)!.content).toBe('Here they are.');
  });

  test('a rejected call never runs and the model is told why', async () => {
    const { transport, requests } = wire('tool-calls-parallel', { chunks: reply(['Understood.']) });
    const execute = vi.fn(() => 'ran');
    const chat = store(transport, {
      tools: {
        get_weather: { ...weather, execute, needsApproval: ({ city }: { city: string }) => city === 'Tokyo' },
      },
    });
    await chat.send('Weather?');
    // Paris needs no approval and ran; Tokyo waits.
    expect(chat.getSnapshot().messages[1]!.toolCalls!.map((c) => c.status)).toEqual([
      'done',
      'awaiting-approval',
    ]);
    await chat.rejectToolCall('call_Hx8sL3nVd7QeY5uA', 'Not Tokyo');
    expect(execute).toHaveBeenCalledOnce();
    expect(requests[1]!.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_Hx8sL3nVd7QeY5uA',
      content: 'The user declined this call: Not Tokyo',
    });
    expect(chat.getSnapshot().messages.at(-1)!.content).toBe('Understood.');
  });

  test('a tool that throws is an error the model reads; invalid arguments never run', async () => {
    const bad = {
      chunks: [
        {
          id: 'x',
          object: 'chat.completion.chunk' as const,
          created: 0,
          model: 'm',
          choices: [
            {
              index: 0,
              delta: {
                tool_calls: [
                  {
                    index: 0,
                    id: 'call_x',
                    type: 'function' as const,
                    function: { name: 'get_weather', arguments: '{"city": "Par' },
                  },
                ],
              },
              finish_reason: 'tool_calls' as const,
            },
          ],
        },
      ],
    };
    const { transport, requests } = wire('tool-calls-parallel', { chunks: reply(['Sorry.']) }, bad, {
      chunks: reply(['Hm.']),
    });
    const execute = vi.fn(({ city }: { city: string }) => {
      if (city === 'Tokyo') throw new Error('Station offline');
      return 'sunny';
    });
    const chat = store(transport, { tools: { get_weather: { ...weather, execute } } });
    await chat.send('Weather?');
    expect(requests[1]!.messages.slice(-2).map((m) => m.content)).toEqual([
      'sunny',
      'Error: Station offline',
    ]);

    await chat.send('Again');
    const cut = chat.getSnapshot().messages.at(-2)!.toolCalls![0]!;
    expect(cut).toMatchObject({ status: 'error', error: 'The arguments are not valid JSON' });
    expect(execute).toHaveBeenCalledTimes(2);
    expect(requests[3]!.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_x',
      content: 'Error: The arguments are not valid JSON',
    });
  });

  test('rounds stop at maxToolRounds', async () => {
    const { transport, requests } = wire('tool-calls-parallel', 'tool-calls-parallel', 'tool-calls-parallel');
    const execute = vi.fn(() => 'ok');
    const chat = store(transport, { maxToolRounds: 2, tools: { get_weather: { ...weather, execute } } });
    const result = await chat.send('Loop');
    expect(requests).toHaveLength(2);
    expect(execute).toHaveBeenCalledTimes(4);
    expect(result.type === 'finished' && result.message.toolCalls!.every((c) => c.status === 'done')).toBe(
      true,
    );
    expect(chat.getSnapshot().status).toBe('idle');
  });

  test('stop() during a tool ends it as an error, sends nothing more, and the chat is free', async () => {
    const { transport, requests } = wire('tool-calls-parallel');
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const signals: AbortSignal[] = [];
    const chat = store(transport, {
      tools: {
        get_weather: {
          ...weather,
          execute: (_input, { signal }) => {
            signals.push(signal);
            started();
            return new Promise(() => {}); // never settles by itself
          },
        },
      },
    });
    const sent = chat.send('Weather?');
    await running;
    expect(chat.getSnapshot().status).toBe('submitted');
    expect(await chat.send('Another')).toEqual({ type: 'not-sent', reason: 'busy' });
    chat.stop();
    await sent;
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(chat.getSnapshot().messages[1]!.toolCalls!.map((c) => [c.status, c.error])).toEqual([
      ['error', 'Stopped by the user'],
      ['error', 'Stopped by the user'],
    ]);
    expect(requests).toHaveLength(1);
    expect(chat.getSnapshot().status).toBe('idle');
  });

  test('sending while calls wait declines them, so the request stays valid', async () => {
    const { transport, requests } = wire('tool-calls-parallel', { chunks: reply(['OK.']) });
    const chat = store(transport, {
      tools: { get_weather: { ...weather, needsApproval: true, execute: () => 'x' } },
    });
    await chat.send('Weather?');
    await chat.send('Never mind, tell me a joke');
    const wireMessages = requests[1]!.messages;
    expect(wireMessages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      'The user declined this call: The user sent a new message instead.',
      'The user declined this call: The user sent a new message instead.',
    ]);
    expect(wireMessages.at(-1)).toEqual({ role: 'user', content: 'Never mind, tell me a joke' });
  });
});

describe('reasoning, refusals, citations', () => {
  test.each([
    [
      'reasoning-content',
      "The user's asking for 17 × 23. 17 × 20 = 340, 17 × 3 = 51, total 391.",
      '17 × 23 = **391**.',
    ],
    ['reasoning-field', 'Okay, the user greets me.', 'Hello! How can I help?'],
    ['think-inline', 'Two plus two is four.', 'The answer is 4.'],
  ] as const)(
    '%s: reasoning kept apart from the reply, timed, and never sent back',
    async (name, reasoning, content) => {
      const { transport, requests } = wire(name, { chunks: reply(['Sure.']) });
      let now = 1_000;
      const chat = store(transport);
      const realNow = Date.now;
      Date.now = () => (now += 250);
      try {
        await chat.send('Question');
      } finally {
        Date.now = realNow;
      }
      const message = chat.getSnapshot().messages[1]!;
      expect(message).toMatchObject({ reasoning, content, status: 'done' });
      expect(message.reasoningMs).toBeGreaterThan(0);
      await chat.send('Thanks');
      expect(JSON.stringify(requests[1])).not.toContain(reasoning.slice(0, 12));
      expect(requests[1]!.messages[1]).toEqual({ role: 'assistant', content });
    },
  );

  test('reasoning shows while it streams, before any answer', async () => {
    const raw = readStreamFixture('think-inline');
    const { transport, cuts } = wire('think-inline');
    cuts.push(Array.from({ length: raw.length - 1 }, (_, i) => i + 1)); // byte by byte
    const chat = store(transport);
    const seen: Array<[string | undefined, string]> = [];
    chat.subscribe(() => {
      const m = chat.getSnapshot().messages[1];
      if (m) seen.push([m.reasoning, m.content as string]);
    });
    await chat.send('2 + 2?');
    // No frame ever showed any part of a tag as text or as reasoning.
    for (const [thought, text] of seen) {
      expect(text).not.toMatch(/<|think>/);
      expect(thought ?? '').not.toMatch(/<|think>/);
    }
    expect(seen.some(([thought, text]) => thought === 'Two plus two is four.' && text === '')).toBe(true);
  });

  test('a refusal is kept as a refusal, not an empty reply', async () => {
    const { transport } = wire('refusal');
    const chat = store(transport);
    const result = await chat.send('Something');
    expect(result.type === 'finished' && result.message).toMatchObject({
      content: '',
      refusal: "I'm sorry, but I can't help with that.",
      status: 'done',
    });
  });

  test('url_citation annotations are kept on the reply', async () => {
    const { transport } = wire('annotations');
    const chat = store(transport);
    await chat.send('How tall is the Eiffel Tower?');
    const message = chat.getSnapshot().messages[1]!;
    expect(message.annotations).toEqual([
      {
        type: 'url_citation',
        url_citation: expect.objectContaining({
          url: 'https://www.toureiffel.paris/en?utm_source=openai',
          title: 'Eiffel Tower — Official website',
        }),
      },
    ]);
    const { start_index, end_index } = message.annotations![0]!.url_citation;
    expect((message.content as string).slice(start_index, end_index)).toMatch(/^\(\[toureiffel\.paris\]/);
  });
});

describe('counting a request with tools', () => {
  test('the tool definitions are counted with the prompt, and the count is marked approximate', async () => {
    const { planChatRequest } = await import('parlance/core');
    const plain = createChatStore({ model: 'gpt-4o' });
    const withTools = createChatStore({ model: 'gpt-4o', tools: { get_weather: weather } });
    const without = await planChatRequest(plain.previewRequest('Weather in Paris?'));
    const counted = await planChatRequest(withTools.previewRequest('Weather in Paris?'));
    expect(without.isApproximate).toBe(false);
    expect(counted.isApproximate).toBe(true);
    expect(counted.promptTokens).toBeGreaterThan(without.promptTokens + 20);
  });
});
