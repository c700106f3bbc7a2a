import { EventSourceParserStream } from 'eventsource-parser/stream';
import { describe, expect, test } from 'vitest';

import {
  ApiError,
  MalformedResponseError,
  StreamInterruptedError,
  encodeSSE,
  parseSSEStream,
  type ChatCompletionChunk,
} from 'parlance/core';
import { ChatCompletionAccumulator } from '../../../src/core/stream/accumulate';
import { iterateStream, readSSEBatches } from '../../../src/core/stream/parse-sse-stream';
import { SSEJsonStream } from '../../../src/core/stream/sse-json-stream';

import { naiveSSEData, readStreamFixture, type StreamFixture } from '../../support/fixtures';
import { collect, splitAt, streamOf } from '../../support/streams';

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

function jsonStage(events: Array<{ data: string; event?: string }>, stage = new SSEJsonStream()) {
  const source = new ReadableStream({
    start(controller) {
      for (const event of events) controller.enqueue(event);
      controller.close();
    },
  });
  return { stage, out: collect(source.pipeThrough(stage)) };
}

describe('SSEJsonStream alone', () => {
  test('parses JSON, drops [DONE] and records it, ignores anything after it', async () => {
    const { stage, out } = jsonStage([{ data: '{"a":1}' }, { data: '[DONE]' }, { data: '{"b":2}' }]);
    expect(stage.doneSeen).toBe(false);
    expect(await out).toEqual({ values: [{ a: 1 }], error: undefined });
    expect(stage.doneSeen).toBe(true);
  });

  test('an {"error": {...}} event throws ApiError after the earlier values', async () => {
    const envelope = { error: { message: 'boom', type: 'server_error', param: null, code: 'x' } };
    const { values, error } = await jsonStage([{ data: '{"a":1}' }, { data: JSON.stringify(envelope) }]).out;
    expect(values).toEqual([{ a: 1 }]);
    expect(ApiError.isInstance(error) && error).toMatchObject({
      message: 'boom',
      type: 'server_error',
      code: 'x',
    });
  });

  test('an `event: error` event throws ApiError too', async () => {
    const { error } = await jsonStage([{ event: 'error', data: '{"message":"bad","type":"t"}' }]).out;
    expect(ApiError.isInstance(error) && error.message).toBe('bad');
  });

  test('bad JSON throws MalformedResponseError carrying the text', async () => {
    const { values, error } = await jsonStage([{ data: '{"a":1}' }, { data: '{"a":' }]).out;
    expect(values).toEqual([{ a: 1 }]);
    expect(MalformedResponseError.isInstance(error) && error.text).toBe('{"a":');
  });

  test('a failed shape check throws MalformedResponseError', async () => {
    const stage = new SSEJsonStream({
      validate: (v): v is { ok: true } => (v as { ok?: unknown }).ok === true,
    });
    const { values, error } = await jsonStage([{ data: '{"ok":true}' }, { data: '[1,2]' }], stage).out;
    expect(values).toEqual([{ ok: true }]);
    expect(MalformedResponseError.isInstance(error)).toBe(true);
  });

  test('an end without [DONE] throws StreamInterruptedError after delivering everything', async () => {
    const { values, error } = await jsonStage([{ data: '{"a":1}' }, { data: '{"a":2}' }]).out;
    expect(values).toEqual([{ a: 1 }, { a: 2 }]);
    expect(StreamInterruptedError.isInstance(error) && error.chunks).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe('the first two stages alone', () => {
  test('TextDecoderStream + EventSourceParserStream handle CRLF, comments and a split CR|LF', async () => {
    const text = ': keep-alive\r\n\r\ndata: {"x":"é"}\r\n\r\ndata: [DONE]\r\n\r\n';
    const raw = bytes(text);
    const cut = text.indexOf('\r\n\r\ndata: [DONE]') + 1; // between CR and LF
    const events = await collect(
      streamOf(splitAt(raw, [cut, 5, 22]))
        .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
        .pipeThrough(new EventSourceParserStream()),
    );
    expect(events.values.map((e) => e.data)).toEqual(['{"x":"é"}', '[DONE]']);
  });
});

const EXPECTED: Partial<
  Record<StreamFixture, { text: string; finish: string | null; usage: number | null }>
> = {
  'english-usage': {
    text: 'The capital of France is Paris. It sits on the Seine, and about 2.1 million people live in the city proper.',
    finish: 'stop',
    usage: 50,
  },
  'chinese-emoji': {
    text: '你好！我是一个人工智能助手🤖。今天天气很好 ☀️，适合去公园散步 🌳。祝你愉快！👨‍👩‍👧',
    finish: 'stop',
    usage: 60,
  },
  'crlf-keepalive': {
    text: 'Line endings here are CRLF, with keep-alive comments between events.',
    finish: 'stop',
    usage: null,
  },
  'finish-length': { text: 'Once upon a time, in a quiet village', finish: 'length', usage: 27 },
  'content-filter': { text: 'I can', finish: 'content_filter', usage: null },
};

async function parseFixture(name: StreamFixture, offsets: number[] = []) {
  return collect(parseSSEStream<ChatCompletionChunk>(streamOf(splitAt(readStreamFixture(name), offsets))));
}

describe('parseSSEStream over the recorded streams', () => {
  test.each(Object.entries(EXPECTED))('%s: text, finish_reason and usage', async (name, expected) => {
    const { values, error } = await parseFixture(name as StreamFixture);
    expect(error).toBeUndefined();
    const acc = new ChatCompletionAccumulator();
    for (const chunk of values) acc.add(chunk);
    expect(acc.content).toBe(expected.text);
    expect(acc.finishReason).toBe(expected.finish);
    expect(acc.usage?.total_tokens ?? null).toBe(expected.usage);
    expect(values.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
  });

  test('every data event except [DONE] comes out, in order (checked against a naive reader)', async () => {
    const text = new TextDecoder().decode(readStreamFixture('crlf-keepalive'));
    const { values } = await parseFixture('crlf-keepalive');
    const naive = naiveSSEData(text).filter((d) => d !== '[DONE]');
    expect(values).toEqual(naive.map((d) => JSON.parse(d)));
  });

  test('a mid-stream error event: the chunks before it, then ApiError', async () => {
    const { values, error } = await parseFixture('mid-stream-error');
    expect(values.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Here is the first part of');
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ type: 'server_error', status: undefined });
  });

  test('a stream cut without [DONE]: every complete chunk, then StreamInterruptedError carrying them', async () => {
    const { values, error } = await parseFixture('cut-without-done');
    expect(values).toHaveLength(8);
    expect(values.at(-1)?.choices[0]?.delta.content).toBe(' before');
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect((error as StreamInterruptedError).chunks).toEqual(values);
  });

  test('a stream that is one valid chunk and no [DONE] still delivers that chunk', async () => {
    const { values, error } = await collect(parseSSEStream(streamOf([bytes(encodeSSE({ n: 1 }))])));
    expect(values).toEqual([{ n: 1 }]);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
  });

  test('a malformed chunk in a real-looking stream throws MalformedResponseError', async () => {
    const body = `${encodeSSE({ choices: [] })}data: {"choices":[{"delta":{"content":"hi"}\n\n${encodeSSE('[DONE]')}`;
    const { values, error } = await collect(parseSSEStream(streamOf([bytes(body)])));
    expect(values).toHaveLength(1);
    expect(MalformedResponseError.isInstance(error)).toBe(true);
  });

  test('iterateStream: leaving the loop early cancels the source', async () => {
    let cancelled = false;
    const source = new ReadableStream<number>({
      pull: (c) => c.enqueue(1),
      cancel: () => {
        cancelled = true;
      },
    });
    for await (const value of iterateStream(source)) {
      expect(value).toBe(1);
      break;
    }
    expect(cancelled).toBe(true);
  });
});

test('encodeSSE frames one event per call', () => {
  expect(encodeSSE({ a: 'b\nc' })).toBe('data: {"a":"b\\nc"}\n\n');
  expect(encodeSSE('[DONE]')).toBe('data: [DONE]\n\n');
});

describe('readSSEBatches', () => {
  test("yields each read's values together, then the interruption with every value received", async () => {
    const reads = [
      'data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n',
      '":3}\n\n',
      'data: {"n":4}\n\ndata: {"n":5}\n\n',
    ];
    const source = {
      read: async () =>
        reads.length
          ? { done: false as const, value: bytes(reads.shift()!) }
          : { done: true as const, value: undefined },
      cancel: async () => {},
    };
    const batches: unknown[][] = [];
    let error: unknown;
    try {
      for await (const batch of readSSEBatches(source)) batches.push([...batch]);
    } catch (caught) {
      error = caught;
    }
    expect(batches).toEqual([[{ n: 1 }, { n: 2 }], [{ n: 3 }], [{ n: 4 }, { n: 5 }]]);
    // No [DONE]: the stream was cut, and the error holds all five values.
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError<unknown>).chunks).toHaveLength(5);
  });
});
