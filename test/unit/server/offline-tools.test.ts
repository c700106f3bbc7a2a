// Offline mode demonstrates tools and reasoning: it calls the tools a request defines when the
// user's message names them (streamed as real servers stream them), answers tool results, and
// reasons aloud in `reasoning_content` before answering.
import { accumulateChunks, countChatTokens, countTokens, createClient } from 'parlance/core';
import type { ChatCompletionRequestStreaming } from '../../../src/core/wire/chat';
import { describe, expect, test } from 'vitest';

import {
  createOfflineEngine,
  OFFLINE_NOTICE,
  OFFLINE_REASONING_MODEL,
} from '../../../src/server/offline/index';
import { fillArguments, fragments, pickTools, readToolChoice } from '../../../src/server/offline/tools';

const engine = createOfflineEngine({
  documents: [
    { path: 'docs/kites.md', text: '# Kites\n\nKites fly in steady wind. Hold the line firmly.' },
    { path: 'docs/tea.md', text: '# Tea\n\nSteep green tea for two minutes.' },
  ],
});

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
      },
      required: ['city', 'unit'],
    },
  },
} as const;

const currency = {
  type: 'function',
  function: {
    name: 'convert_currency',
    description: 'Convert an amount of money between currencies',
    parameters: {
      type: 'object',
      properties: { amount: { type: 'number' }, to: { type: 'string' } },
      required: ['amount', 'to'],
    },
  },
} as const;

const tools = [weather, currency];

type Call = { id: string; type: string; function: { name: string; arguments: string } };
type Completion = {
  choices: Array<{
    message: { role: string; content: string | null; tool_calls?: Call[]; reasoning_content?: string };
    finish_reason: string;
  }>;
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    completion_tokens_details?: { reasoning_tokens: number };
  };
};
type ToolDelta = {
  index: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
};
type Chunk = {
  choices: Array<{
    delta: { role?: string; content?: string | null; reasoning_content?: string; tool_calls?: ToolDelta[] };
    finish_reason: string | null;
  }>;
  usage?: Completion['usage'] | null;
};

async function post(body: object): Promise<Response> {
  return engine.fetch('https://offline.invalid/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function complete(body: object): Promise<Completion> {
  const response = await post(body);
  expect(response.status).toBe(200);
  return (await response.json()) as Completion;
}

async function stream(body: object): Promise<Chunk[]> {
  const response = await post({ ...body, stream: true, stream_options: { include_usage: true } });
  expect(response.status).toBe(200);
  const events = (await response.text()).split('\n\n').filter(Boolean);
  expect(events.at(-1)).toBe('data: [DONE]');
  return events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)) as Chunk);
}

/** The calls a stream makes, joined per index as a client joins them. */
function joinCalls(chunks: Chunk[]): Array<{ id: string; name: string; arguments: string }> {
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
      call.id += delta.id ?? '';
      call.name += delta.function?.name ?? '';
      call.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}

const user = (content: string) => [{ role: 'user', content }];

describe('a message that names a tool gets a tool call', () => {
  test('not streamed: message.tool_calls with the arguments filled from the message, content null', async () => {
    const messages = user('Please call get_weather for city Paris in fahrenheit.');
    const body = await complete({ model: 'gpt-4o', messages, tools });
    const choice = body.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0]!;
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(call.type).toBe('function');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'fahrenheit' });
    // Usage as the token meter counts it: the tool definitions are part of the prompt.
    expect(body.usage.prompt_tokens).toBe(await countChatTokens(messages, 'gpt-4o', { tools }));
    expect(body.usage.prompt_tokens).toBeGreaterThan(await countChatTokens(messages, 'gpt-4o'));
    expect(body.usage.completion_tokens).toBe(await countTokens(call.function.arguments, 'gpt-4o'));
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  test('streamed: the header first, then the arguments in fragments split inside a key', async () => {
    const chunks = await stream({ model: 'gpt-4o', messages: user('get_weather city Oslo'), tools });
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant', content: null });
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    // The id and name arrive once; later deltas carry only argument fragments.
    expect(deltas.slice(1).every((d) => d.id === undefined && d.function?.name === undefined)).toBe(true);
    const parts = deltas.slice(1).map((d) => d.function!.arguments!);
    expect(parts.length).toBeGreaterThan(4);
    const joined = parts.join('');
    expect(JSON.parse(joined)).toEqual({ city: 'Oslo', unit: 'celsius' });
    // Some fragment boundary falls strictly inside the quoted key "city".
    const key = joined.indexOf('"city"') + 1;
    let at = 0;
    const boundaries = parts.map((p) => (at += p.length));
    expect(boundaries.some((b) => b > key && b < key + 'city'.length)).toBe(true);
    expect(chunks.some((c) => typeof c.choices[0]?.delta.content === 'string')).toBe(false);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
    const usage = chunks.at(-1)!.usage!;
    expect(usage.completion_tokens).toBe(await countTokens(joined, 'gpt-4o'));
  });

  test('a word of the description names a tool too; a message naming none is answered from the docs', async () => {
    const call = (await complete({ model: 'gpt-4o', messages: user('What is the weather like?'), tools }))
      .choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe('get_weather');
    // Required properties the message does not fill get their defaults.
    expect(JSON.parse(call.function.arguments)).toEqual({ city: '', unit: 'celsius' });

    const plain = await complete({ model: 'gpt-4o', messages: user('How do kites fly?'), tools });
    expect(plain.choices[0]!.finish_reason).toBe('stop');
    expect(plain.choices[0]!.message.tool_calls).toBeUndefined();
    expect(plain.choices[0]!.message.content!.startsWith(OFFLINE_NOTICE)).toBe(true);
  });

  test('two tools named: two parallel calls, streamed interleaved as index 0 and 1', async () => {
    const messages = user('get_weather for city Rome, then convert_currency of 20 to "Japanese yen"');
    const body = await complete({ model: 'gpt-4o', messages, tools });
    const calls = body.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => c.function.name)).toEqual(['get_weather', 'convert_currency']);
    expect(JSON.parse(calls[1]!.function.arguments)).toEqual({ amount: 20, to: 'Japanese yen' });
    expect(calls[0]!.id).not.toBe(calls[1]!.id);

    const chunks = await stream({ model: 'gpt-4o', messages, tools });
    const indices = chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls ?? []).map((d) => d.index));
    const firstOne = indices.indexOf(1);
    expect(firstOne).toBeGreaterThan(0);
    // Fragments of call 0 still arrive after call 1 has started.
    expect(indices.slice(firstOne).includes(0)).toBe(true);
    const joined = joinCalls(chunks);
    expect(joined.map((c) => c.name)).toEqual(['get_weather', 'convert_currency']);
    expect(joined.map((c) => JSON.parse(c.arguments) as unknown)).toEqual(
      calls.map((c) => JSON.parse(c.function.arguments) as unknown),
    );
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  test('calls of strict tools stream one after the other, each whole before the next', async () => {
    const strictTools = tools.map((t) => ({ ...t, function: { ...t.function, strict: true } }));
    const messages = user('get_weather for city Rome, then convert_currency of 20 to EUR');
    const chunks = await stream({ model: 'gpt-4o', messages, tools: strictTools });
    const indices = chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls ?? []).map((d) => d.index));
    expect(indices.indexOf(1)).toBeGreaterThan(2);
    expect(indices.slice(indices.indexOf(1)).includes(0)).toBe(false);
    expect(joinCalls(chunks).map((c) => JSON.parse(c.arguments) as unknown)).toEqual([
      { city: 'Rome', unit: 'celsius' },
      { amount: 20, to: 'EUR' },
    ]);
  });

  test('parallel_tool_calls: false keeps one call, the best match (by name before by description)', async () => {
    const messages = user('Weather aside, please convert_currency 5 to EUR');
    const body = await complete({ model: 'gpt-4o', messages, tools, parallel_tool_calls: false });
    expect(body.choices[0]!.message.tool_calls!.map((c) => c.function.name)).toEqual(['convert_currency']);
    const chunks = await stream({ model: 'gpt-4o', messages, tools, parallel_tool_calls: false });
    expect(joinCalls(chunks).map((c) => c.name)).toEqual(['convert_currency']);
  });
});

describe('tool_choice', () => {
  test("'none' never calls", async () => {
    const body = await complete({
      model: 'gpt-4o',
      messages: user('get_weather city Oslo'),
      tools,
      tool_choice: 'none',
    });
    expect(body.choices[0]!.finish_reason).toBe('stop');
    expect(body.choices[0]!.message.tool_calls).toBeUndefined();
  });

  test('a named function is always called, alone, even when the message names another', async () => {
    const tool_choice = { type: 'function', function: { name: 'convert_currency' } };
    const body = await complete({
      model: 'gpt-4o',
      messages: user('get_weather, 12 please'),
      tools,
      tool_choice,
    });
    const calls = body.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => c.function.name)).toEqual(['convert_currency']);
    expect(JSON.parse(calls[0]!.function.arguments)).toEqual({ amount: 12, to: '' });
    const chunks = await stream({ model: 'gpt-4o', messages: user('Hello'), tools, tool_choice });
    expect(joinCalls(chunks).map((c) => c.name)).toEqual(['convert_currency']);
  });

  test("'required' calls the best match, or the first tool when nothing matches", async () => {
    const matched = await complete({
      model: 'gpt-4o',
      messages: user('How much money is that in currencies I know?'),
      tools,
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(matched.choices[0]!.message.tool_calls!.map((c) => c.function.name)).toEqual(['convert_currency']);
    const unmatched = await complete({
      model: 'gpt-4o',
      messages: user('Hello'),
      tools,
      tool_choice: 'required',
    });
    expect(unmatched.choices[0]!.message.tool_calls!.map((c) => c.function.name)).toEqual(['get_weather']);
    expect(unmatched.choices[0]!.finish_reason).toBe('tool_calls');
  });

  test('streamed too: none answers in text, required calls the first tool', async () => {
    const none = await stream({
      model: 'gpt-4o',
      messages: user('get_weather city Oslo'),
      tools,
      tool_choice: 'none',
    });
    expect(joinCalls(none)).toEqual([]);
    expect(none.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    const required = await stream({
      model: 'gpt-4o',
      messages: user('Hello'),
      tools,
      tool_choice: 'required',
    });
    expect(joinCalls(required).map((c) => c.name)).toEqual(['get_weather']);
    expect(required.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  test('a tool_choice the API would refuse is a 400 naming it', async () => {
    const cases: Array<[object, string]> = [
      [{ tool_choice: 'sometimes' }, 'tool_choice'],
      [{ tool_choice: 5 }, 'tool_choice'],
      [{ tool_choice: { type: 'function', function: { name: 'missing' } } }, 'tool_choice'],
      [{ tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name'],
      [{ parallel_tool_calls: 'yes' }, 'parallel_tool_calls'],
    ];
    for (const [extra, param] of cases) {
      const response = await post({ model: 'gpt-4o', messages: user('hi'), tools, ...extra });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { param: string; type: string } };
      expect(error).toMatchObject({ param, type: 'invalid_request_error' });
    }
  });

  test('malformed tool definitions are skipped, never a server error', async () => {
    const odd = [null, 'x', { type: 'function', function: { name: 5 } }, { type: 'function' }, weather];
    const body = await complete({ model: 'gpt-4o', messages: user('get_weather city Lima'), tools: odd });
    expect(body.choices[0]!.message.tool_calls![0]!.function.name).toBe('get_weather');
  });

  test('max_tokens cuts the call short with finish_reason length, as the API does', async () => {
    const body = await complete({
      model: 'gpt-4o',
      messages: user('get_weather city Oslo'),
      tools,
      max_tokens: 3,
    });
    expect(body.choices[0]!.finish_reason).toBe('length');
    const args = body.choices[0]!.message.tool_calls![0]!.function.arguments;
    expect('{"city":"Oslo","unit":"celsius"}'.startsWith(args)).toBe(true);
    expect(args.length).toBeLessThan(20);
    expect(body.usage.completion_tokens).toBe(await countTokens(args, 'gpt-4o'));
  });

  test('a hostile message (unclosed quotes, long digit runs) is scanned only at its start', async () => {
    const hostile = `${'“'.repeat(60_000)}${' city'.repeat(20_000)}${'7'.repeat(60_000)} get_weather`;
    const body = await complete({ model: 'gpt-4o', messages: user(hostile), tools });
    // Only the first 4,000 characters are read for tools: get_weather at the end is not seen.
    expect(body.choices[0]!.message.tool_calls).toBeUndefined();
  });

  test('readToolChoice reads leniently: anything else is auto', () => {
    expect(readToolChoice({ model: 'm', messages: [] })).toEqual({ mode: 'auto' });
    expect(readToolChoice({ tool_choice: 'required' } as never)).toEqual({ mode: 'required' });
    expect(readToolChoice({ tool_choice: { type: 'allowed_tools' } } as never)).toEqual({ mode: 'auto' });
  });
});

describe('filling arguments from the message', () => {
  const tool = (properties: object, required: string[] = []) => ({
    name: 't',
    description: '',
    parameters: { type: 'object', properties, required },
  });

  test('strings: the word or quoted phrase after the name, else the next quoted phrase', () => {
    const t = tool({ city: { type: 'string' }, query: { type: 'string' }, note: { type: 'string' } });
    expect(fillArguments(t, 'city: Paris, and find "red kites"')).toEqual({
      city: 'Paris',
      query: 'red kites',
    });
    expect(fillArguments(t, 'city is “New York”')).toEqual({ city: 'New York' });
  });

  test('numbers: after or right before the name, else the next number when required; clamped', () => {
    const t = tool(
      {
        days: { type: 'integer', minimum: 1, maximum: 7 },
        amount: { type: 'number' },
        top: { type: 'number' },
      },
      ['amount'],
    );
    expect(fillArguments(t, 'for 30 days, 2.5 please')).toEqual({ days: 7, amount: 2.5 });
    expect(fillArguments(t, 'days = 3.9')).toEqual({ days: 3, amount: 0 });
    expect(fillArguments(t, 'nothing')).toEqual({ amount: 0 });
  });

  test('enums: the first value the message mentions; required defaults for every type', () => {
    const t = tool(
      {
        unit: { enum: ['celsius', 'fahrenheit'] },
        flag: { type: 'boolean' },
        tags: { type: 'array' },
        extra: { type: 'object' },
        name: { type: ['string', 'null'] },
        kind: { const: 'fixed' },
      },
      ['unit', 'flag', 'tags', 'extra', 'name'],
    );
    expect(fillArguments(t, 'in FAHRENHEIT or celsius, flag yes')).toEqual({
      unit: 'fahrenheit',
      flag: true,
      tags: [],
      extra: {},
      name: '',
      kind: 'fixed',
    });
    expect(fillArguments(t, '')).toEqual({
      unit: 'celsius',
      flag: false,
      tags: [],
      extra: {},
      name: '',
      kind: 'fixed',
    });
    expect(fillArguments({ name: 'bare', description: '', parameters: undefined }, 'x 1')).toEqual({});
  });

  test('pickTools: by name (also spaced or camelCase) before description words, in message order', () => {
    const toolsRead = [
      { name: 'lookupDocs', description: 'Search the manual', parameters: undefined },
      { name: 'get_weather', description: 'Weather forecast', parameters: undefined },
    ];
    const names = (message: string, parallel = true) =>
      pickTools(toolsRead, { mode: 'auto' }, message, parallel).map((p) => p.tool.name);
    expect(names('get weather, then lookup docs')).toEqual(['get_weather', 'lookupDocs']);
    expect(names('the forecast in the manual')).toEqual(['get_weather', 'lookupDocs']);
    expect(names('lookup docs about the forecast')).toEqual(['lookupDocs']);
    expect(names('nothing here')).toEqual([]);
  });

  test('fragments keep every character, in uneven pieces, whole code points', () => {
    const text = '{"emoji":"😀😀","a":1}';
    const parts = fragments(text);
    expect(parts.join('')).toBe(text);
    expect(new Set(parts.map((p) => Array.from(p).length)).size).toBeGreaterThan(2);
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });
});

describe('after tool results', () => {
  const toolRound = (callId: string, args: string, output: string) => [
    { role: 'user', content: 'get_weather city Oslo' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: callId, type: 'function', function: { name: 'get_weather', arguments: args } }],
    },
    { role: 'tool', tool_call_id: callId, content: output },
  ];

  test('a full round: request → tool call → tool result → a text answer that uses it', async () => {
    const first = await complete({ model: 'gpt-4o', messages: user('get_weather city Oslo'), tools });
    const call = first.choices[0]!.message.tool_calls![0]!;
    const messages = [
      ...user('get_weather city Oslo'),
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: '{"temperature":4,"sky":"snow"}' },
    ];
    const second = await complete({ model: 'gpt-4o', messages, tools });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.tool_calls).toBeUndefined();
    const text = second.choices[0]!.message.content!;
    expect(text).toContain('The tool `get_weather` returned: {"temperature":4,"sky":"snow"}');
    expect(second.usage.prompt_tokens).toBe(await countChatTokens(messages as never, 'gpt-4o', { tools }));
    expect(second.usage.completion_tokens).toBe(await countTokens(text, 'gpt-4o'));

    const chunks = await stream({ model: 'gpt-4o', messages, tools });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(text);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
  });

  test("the kit's own client and accumulator join the offline stream into the same calls", async () => {
    const client = createClient({ baseUrl: 'https://offline.invalid/v1', fetch: engine.fetch });
    const messages = [
      { role: 'user' as const, content: 'get_weather city Rome and convert_currency 9 to "EUR"' },
    ];
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools,
      stream: true,
    } as ChatCompletionRequestStreaming)) {
      chunks.push(chunk);
    }
    const joined = accumulateChunks(chunks);
    const calls = joined.choices[0]!.message.tool_calls!;
    expect(joined.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => [c.function.name, JSON.parse(c.function.arguments) as unknown])).toEqual([
      ['get_weather', { city: 'Rome', unit: 'celsius' }],
      ['convert_currency', { amount: 9, to: 'EUR' }],
    ]);
  });

  test('parallel results are reported in order, each under its tool', async () => {
    const messages = [
      ...user('get_weather and convert_currency'),
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'convert_currency', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'b', content: [{ type: 'text', text: '17.40 EUR' }] },
    ];
    const text = (await complete({ model: 'gpt-4o', messages, tools })).choices[0]!.message.content!;
    const weatherAt = text.indexOf('The tool `get_weather` returned: Sunny');
    const currencyAt = text.indexOf('The tool `convert_currency` returned: 17.40 EUR');
    expect(weatherAt).toBeGreaterThanOrEqual(0);
    expect(currencyAt).toBeGreaterThan(weatherAt);
  });

  test('auto answers the results; a forced tool_choice calls again, as the API does', async () => {
    const messages = toolRound('c1', '{"city":"Oslo"}', 'Rain');
    const auto = await complete({ model: 'gpt-4o', messages, tools });
    expect(auto.choices[0]!.finish_reason).toBe('stop');
    const forced = await complete({ model: 'gpt-4o', messages, tools, tool_choice: 'required' });
    expect(forced.choices[0]!.finish_reason).toBe('tool_calls');
    expect(forced.choices[0]!.message.tool_calls![0]!.function.name).toBe('get_weather');
  });
});

describe('reasoning mode', () => {
  const messages = user('How do kites fly?');

  test('the reasoning model is listed with the others', async () => {
    const models = (await (await engine.fetch('https://offline.invalid/v1/models')).json()) as {
      data: Array<{ id: string }>;
    };
    expect(models.data.map((m) => m.id)).toEqual(
      expect.arrayContaining(['parlance-offline', 'parlance-offline-images', OFFLINE_REASONING_MODEL]),
    );
  });

  test('streamed: every reasoning delta, word by word, before the first content delta', async () => {
    const chunks = await stream({ model: OFFLINE_REASONING_MODEL, messages });
    const kinds = chunks.flatMap((c) => {
      const delta = c.choices[0]?.delta;
      if (delta?.reasoning_content !== undefined) return ['reasoning'];
      if (delta?.content) return ['content'];
      return [];
    });
    const lastReasoning = kinds.lastIndexOf('reasoning');
    expect(lastReasoning).toBeGreaterThan(5);
    expect(kinds.indexOf('content')).toBe(lastReasoning + 1);
    const pieces = chunks.flatMap((c) => c.choices[0]?.delta.reasoning_content ?? []);
    expect(pieces.every((p) => /^\s*\S+$/.test(p))).toBe(true);
    const reasoning = pieces.join('');
    expect(reasoning).toContain('How do kites fly?');
    expect(reasoning).toContain('docs/kites.md');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content.startsWith(OFFLINE_NOTICE)).toBe(true);
    const usage = chunks.at(-1)!.usage!;
    const reasoningTokens = await countTokens(reasoning, OFFLINE_REASONING_MODEL);
    expect(usage.completion_tokens_details!.reasoning_tokens).toBe(reasoningTokens);
    expect(usage.completion_tokens).toBe(
      reasoningTokens + (await countTokens(content, OFFLINE_REASONING_MODEL)),
    );

    // Not streamed: the same reasoning in message.reasoning_content.
    const body = await complete({ model: OFFLINE_REASONING_MODEL, messages });
    expect(body.choices[0]!.message.reasoning_content).toBe(reasoning);
    expect(body.choices[0]!.message.content).toBe(content);
  });

  test('reasoning_effort turns it on for any model; none, or no flag, leaves it off', async () => {
    const low = await complete({ model: 'gpt-4o', messages, reasoning_effort: 'low' });
    expect(low.choices[0]!.message.reasoning_content!.length).toBeGreaterThan(40);
    const none = await complete({ model: 'gpt-4o', messages, reasoning_effort: 'none' });
    expect(none.choices[0]!.message.reasoning_content).toBeUndefined();
    const plain = await complete({ model: 'gpt-4o', messages });
    expect(plain.choices[0]!.message.reasoning_content).toBeUndefined();
    expect(plain.usage.completion_tokens_details).toBeUndefined();
  });

  test('before a tool call: the reasoning says which tool and why, then the call streams', async () => {
    const chunks = await stream({
      model: OFFLINE_REASONING_MODEL,
      messages: user('weather in city Bergen'),
      tools,
    });
    const firstCall = chunks.findIndex((c) => c.choices[0]?.delta.tool_calls);
    const lastReasoning = chunks.findLastIndex((c) => c.choices[0]?.delta.reasoning_content !== undefined);
    expect(lastReasoning).toBeGreaterThan(0);
    expect(firstCall).toBe(lastReasoning + 1);
    const reasoning = chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('');
    expect(reasoning).toContain('`get_weather`');
    expect(reasoning).toContain('“weather”');
    expect(joinCalls(chunks)[0]!.arguments).toBe('{"city":"Bergen","unit":"celsius"}');
  });

  test('max_tokens counts the reasoning first: a small budget ends in the reasoning with length', async () => {
    const body = await complete({ model: OFFLINE_REASONING_MODEL, messages, max_tokens: 5 });
    expect(body.choices[0]!.finish_reason).toBe('length');
    expect(body.choices[0]!.message.content).toBe('');
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.usage.completion_tokens_details!.reasoning_tokens).toBe(5);
  });
});
