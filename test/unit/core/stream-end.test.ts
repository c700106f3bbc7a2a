// How streams end on real servers: without `[DONE]` once every choice finished, usage chunks
// without `choices`, bare-CR line ends up to the last byte, and empty `data:` events.
import {
  MalformedResponseError,
  StreamInterruptedError,
  createClient,
  parseSSEStream,
  type ChatCompletionChunk,
} from 'parlance/core';
import { SSEJsonStream } from '../../../src/core/stream/sse-json-stream';
import { describe, expect, test } from 'vitest';

import { everyChoiceFinished } from '../../../src/core/stream/accumulate';
import { chunk, fakeFetch } from '../../support/fake-fetch';
import { collect, splitAt, streamOf } from '../../support/streams';

const encoder = new TextEncoder();
const usage = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 };
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

/** A chunk with several choices: `[index, content, finish_reason]`. */
function multi(...choices: Array<[number, string, 'stop' | null]>) {
  return {
    ...chunk(''),
    choices: choices.map(([index, content, finish]) => ({
      index,
      delta: { content },
      logprobs: null,
      finish_reason: finish,
    })),
  };
}

const sse = (...events: object[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');

/** Streams `text` (split at `cuts`) through the core client; never rejects. */
async function viaClient(text: string, cuts: number[] = []) {
  const bytes = encoder.encode(text);
  const { fetch } = fakeFetch(
    () => new Response(streamOf(splitAt(bytes, cuts)), { headers: { 'content-type': 'text/event-stream' } }),
  );
  const client = createClient({ baseUrl: 'http://x/v1', fetch, retry: false });
  const stream = await client.chat.completions.create({ ...body, stream: true });
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const c of stream) chunks.push(c);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('a stream without [DONE]', () => {
  test('is complete when the body ends after the finish_reason (and a usage chunk)', async () => {
    const { chunks, error } = await viaClient(
      sse(chunk('Hel'), chunk('lo'), chunk('', 'stop'), { ...chunk(''), choices: [], usage }),
    );
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe('Hello');
    expect(chunks.at(-1)!.usage).toEqual(usage);
  });

  test('complete at every split of the bytes', async () => {
    const raw = sse(chunk('Hi'), chunk(' there', 'stop'));
    for (let cut = 1; cut < raw.length; cut++) {
      const { chunks, error } = await viaClient(raw, [cut]);
      if (error !== undefined || text(chunks) !== 'Hi there')
        expect.fail(`split at ${cut}: ${String(error)}`);
    }
  });

  test('is interrupted when it ends before the finish_reason, carrying the chunks', async () => {
    const { chunks, error } = await viaClient(sse(chunk('Hel'), chunk('lo')));
    expect(text(chunks)).toBe('Hello');
    expect(StreamInterruptedError.isInstance(error) && error.chunks).toHaveLength(2);
  });

  test('with two choices, is complete only when both finished', async () => {
    const both = await viaClient(
      sse(multi([0, 'a', null], [1, 'b', null]), multi([0, '', 'stop'], [1, '', 'stop'])),
    );
    expect(both.error).toBeUndefined();
    const one = await viaClient(sse(multi([0, 'a', null], [1, 'b', null]), multi([0, '', 'stop'])));
    expect(StreamInterruptedError.isInstance(one.error)).toBe(true);
  });

  test('an empty body, or one with only a usage chunk, is interrupted', async () => {
    expect(StreamInterruptedError.isInstance((await viaClient('')).error)).toBe(true);
    const onlyUsage = await viaClient(sse({ ...chunk(''), choices: [], usage }));
    expect(StreamInterruptedError.isInstance(onlyUsage.error)).toBe(true);
  });

  test('parseSSEStream and SSEJsonStream accept it only with isComplete', async () => {
    const raw = encoder.encode(sse(chunk('x', 'stop')));
    const strict = await collect(parseSSEStream<ChatCompletionChunk>(streamOf([raw])));
    expect(StreamInterruptedError.isInstance(strict.error)).toBe(true);
    const lenient = await collect(
      parseSSEStream<ChatCompletionChunk>(streamOf([raw]), { isComplete: everyChoiceFinished }),
    );
    expect(lenient).toEqual({ values: [chunk('x', 'stop')], error: undefined });

    const events = new ReadableStream({
      start(controller) {
        controller.enqueue({ data: JSON.stringify(chunk('y', 'stop')) });
        controller.close();
      },
    });
    const staged = await collect(
      events.pipeThrough(new SSEJsonStream<ChatCompletionChunk>({ isComplete: everyChoiceFinished })),
    );
    expect(staged).toEqual({ values: [chunk('y', 'stop')], error: undefined });
  });
});

describe('everyChoiceFinished', () => {
  const finished = (...chunks: object[]) => everyChoiceFinished(chunks as ChatCompletionChunk[]);

  test('needs a choice, and a finish_reason for each choice seen; a finished choice stays finished', () => {
    expect(finished()).toBe(false);
    expect(finished({ ...chunk(''), choices: [] })).toBe(false);
    expect(finished(chunk('a'))).toBe(false);
    expect(finished(chunk('a'), chunk('', 'stop'))).toBe(true);
    // Azure sends content-filter results for a choice after its finish_reason.
    expect(finished(chunk('a', 'stop'), chunk(''))).toBe(true);
    expect(finished(multi([0, 'a', 'stop'], [1, 'b', null]))).toBe(false);
  });
});

describe('a usage chunk without a `choices` key', () => {
  test('is delivered with empty choices, not a MalformedResponseError', async () => {
    const { id, object, created, model } = chunk('');
    const { chunks, error } = await viaClient(
      sse(chunk('ok', 'stop'), { id, object, created, model, usage }) + 'data: [DONE]\n\n',
    );
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatchObject({ choices: [], usage });
  });

  test('a chunk with neither choices nor usage, or with choices that are not a list, is still malformed', async () => {
    const { id, object, created, model } = chunk('');
    const bare = await viaClient(sse({ id, object, created, model }) + 'data: [DONE]\n\n');
    expect(MalformedResponseError.isInstance(bare.error)).toBe(true);
    const wrong = await viaClient(sse({ ...chunk(''), choices: 'none', usage }) + 'data: [DONE]\n\n');
    expect(MalformedResponseError.isInstance(wrong.error)).toBe(true);
  });
});

describe('bare-CR line ends', () => {
  const raw = (sse(chunk('A'), chunk('B')) + 'data: [DONE]\n\n').replaceAll('\n', '\r');

  test('the last event is not lost at the end of the body, however the bytes are split', async () => {
    const bytes = encoder.encode(raw);
    for (let cut = 0; cut < bytes.length; cut++) {
      const { values, error } = await collect(
        parseSSEStream<ChatCompletionChunk>(streamOf(splitAt(bytes, [cut]))),
      );
      if (error !== undefined || values.length !== 2) expect.fail(`split at ${cut}: ${String(error)}`);
    }
  });

  test('through the client, byte by byte', async () => {
    const cuts = Array.from({ length: raw.length }, (_, i) => i + 1);
    const { chunks, error } = await viaClient(raw, cuts);
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe('AB');
  });

  test('a body ending in a data line and one CR is still cut (no blank line ended the event)', async () => {
    const cut = sse(chunk('A')).replaceAll('\n', '\r') + `data: ${JSON.stringify(chunk('B'))}\r`;
    const { values, error } = await collect(parseSSEStream(streamOf([encoder.encode(cut)])));
    expect(values).toHaveLength(1);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
  });
});

describe('empty data events', () => {
  test('`data:` and `data: ` alone are skipped, not a MalformedResponseError', async () => {
    const raw = `data:\n\n${sse(chunk('A'))}data: \n\n${sse(chunk('B', 'stop'))}data:\r\n\r\ndata: [DONE]\n\n`;
    const { chunks, error } = await viaClient(raw);
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe('AB');

    const { values, error: parseError } = await collect(parseSSEStream(streamOf([encoder.encode(raw)])));
    expect(parseError).toBeUndefined();
    expect(values).toHaveLength(2);
  });

  test('SSEJsonStream skips them too', async () => {
    const events = new ReadableStream({
      start(controller) {
        for (const data of ['', '{"a":1}', ' ', '[DONE]']) controller.enqueue({ data });
        controller.close();
      },
    });
    expect(await collect(events.pipeThrough(new SSEJsonStream()))).toEqual({
      values: [{ a: 1 }],
      error: undefined,
    });
  });
});
