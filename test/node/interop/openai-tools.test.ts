// The official `openai` client's tool helpers against the reference server in offline mode: its
// stream helper joins the offline tool-call stream, and `runTools` runs a whole round (call,
// local function, result, text answer) over HTTP on 127.0.0.1.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { startReference, type RunningServer } from './servers';

let reference: RunningServer;

beforeAll(async () => {
  reference = await startReference();
});

afterAll(async () => {
  await reference?.close();
});

const client = () =>
  new OpenAI({ baseURL: reference.baseUrl, apiKey: 'sk-offline', maxRetries: 0, timeout: 20_000 });

const parameters = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
  required: ['city', 'unit'],
  additionalProperties: false,
};

const weather = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Get the current weather for a city', parameters },
};
const time = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    description: 'The local time in a timezone',
    parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
  },
};

describe('openai tool helpers against the offline reference server', () => {
  test('chat.completions.stream joins interleaved parallel calls into the final completion', async () => {
    const done: Record<string, string> = {};
    const stream = client()
      .chat.completions.stream({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'get_weather for city Oslo, and get_time zone Europe/Oslo' }],
        tools: [weather, time],
      })
      .on('tool_calls.function.arguments.done', (event) => (done[event.name] = event.arguments));
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const calls = choice.message.tool_calls!.map((call) => {
      if (call.type !== 'function') throw new Error(`unexpected ${call.type} call`);
      return { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown, id: call.id };
    });
    expect(calls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    expect(calls[0]!.args).toEqual({ city: 'Oslo', unit: 'celsius' });
    expect(calls[1]!.args).toEqual({ zone: 'Europe/Oslo' });
    expect(calls[0]!.id).toMatch(/^call_/);
    // The helper fires its done event at every switch of index; the last one is whole.
    expect(JSON.parse(done.get_weather!)).toEqual(calls[0]!.args);
    expect(JSON.parse(done.get_time!)).toEqual(calls[1]!.args);
  });

  test('strict tools stream one call after the other, so the helper parses each call once, whole', async () => {
    const events: Array<{ name: string; parsed: unknown }> = [];
    const strict = (name: string) => ({
      type: 'function' as const,
      function: { name, parameters, strict: true },
    });
    const stream = client()
      .chat.completions.stream({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'user', content: 'get_weather city Oslo and get_forecast city Rome in fahrenheit' },
        ],
        tools: [strict('get_weather'), strict('get_forecast')],
      })
      .on('tool_calls.function.arguments.done', (event) =>
        events.push({ name: event.name, parsed: event.parsed_arguments }),
      );
    await stream.finalChatCompletion();
    expect(events).toEqual([
      { name: 'get_weather', parsed: { city: 'Oslo', unit: 'fahrenheit' } },
      { name: 'get_forecast', parsed: { city: 'Rome', unit: 'fahrenheit' } },
    ]);
  });

  test('runTools (streaming) runs a full round and ends with the text answer', async () => {
    const seen: unknown[] = [];
    const runner = client().chat.completions.runTools({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'What is the weather in city Lisbon?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current weather for a city',
            parameters,
            parse: JSON.parse,
            function: (args: { city: string; unit: string }) => {
              seen.push(args);
              return { city: args.city, temperature: 19, unit: args.unit };
            },
          },
        },
      ],
    });
    const answer = await runner.finalContent();
    expect(seen).toEqual([{ city: 'Lisbon', unit: 'celsius' }]);
    expect(answer).toContain(
      'The tool `get_weather` returned: {"city":"Lisbon","temperature":19,"unit":"celsius"}',
    );
    const roles = runner.messages.map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });
});
