import { describe, expect, test } from 'vitest';

import { accumulateChunks, encodeSSE, type ChatCompletionChunk } from 'parlance/core';

import {
  STREAM_FIXTURES,
  naiveSSEData,
  readResponseFixture,
  readStreamFixture,
} from '../../support/fixtures';
import { validateSchema } from '../../support/openapi';

const decoder = new TextDecoder();
const eventsOf = (name: (typeof STREAM_FIXTURES)[number]) =>
  naiveSSEData(decoder.decode(readStreamFixture(name)))
    .filter((d) => d !== '[DONE]')
    .flatMap((d) => {
      try {
        return [JSON.parse(d) as Record<string, unknown>];
      } catch {
        return []; // the cut-off tail of cut-without-done
      }
    });

describe('recorded fixtures match the official OpenAPI schemas', () => {
  test.each(STREAM_FIXTURES)('%s: every chunk is a CreateChatCompletionStreamResponse', (name) => {
    const events = eventsOf(name);
    expect(events.length).toBeGreaterThan(2);
    for (const event of events) {
      const schema = 'error' in event ? 'ErrorResponse' : 'CreateChatCompletionStreamResponse';
      expect(validateSchema(schema, event).errors).toEqual([]);
    }
  });

  test('responses: chat completion, images, models, error envelopes', () => {
    expect(
      validateSchema('CreateChatCompletionResponse', readResponseFixture('chat-completion.json')).errors,
    ).toEqual([]);
    expect(validateSchema('ImagesResponse', readResponseFixture('images-url.json')).errors).toEqual([]);
    expect(validateSchema('ImagesResponse', readResponseFixture('images-b64.json')).errors).toEqual([]);
    expect(validateSchema('ListModelsResponse', readResponseFixture('models.json')).errors).toEqual([]);
    for (const file of ['error-400.json', 'error-401.json', 'error-404-model.json', 'error-429.json']) {
      expect(validateSchema('ErrorResponse', readResponseFixture(file)).errors).toEqual([]);
    }
  });

  test('a completion folded from a recorded stream is a valid CreateChatCompletionResponse', () => {
    const completion = accumulateChunks(eventsOf('english-usage') as unknown as ChatCompletionChunk[]);
    expect(validateSchema('CreateChatCompletionResponse', completion).errors).toEqual([]);
  });

  test('the validator rejects what is wrong (so the checks above can fail)', () => {
    const chunk = eventsOf('english-usage')[1]!;
    expect(
      validateSchema('CreateChatCompletionStreamResponse', { ...chunk, object: 'chat.completion' }).valid,
    ).toBe(false);
    expect(
      validateSchema('CreateChatCompletionStreamResponse', {
        ...chunk,
        choices: [{ index: 0, delta: {}, finish_reason: 'done' }],
      }).valid,
    ).toBe(false);
    expect(validateSchema('ErrorResponse', { error: { message: 'x' } }).valid).toBe(false);
    expect(validateSchema('ImagesResponse', { data: [] }).valid).toBe(false);
    // `nullable: true` was normalised: null usage and null finish_reason are accepted.
    expect(validateSchema('CreateChatCompletionStreamResponse', { ...chunk, usage: null }).valid).toBe(true);
  });

  test('encodeSSE output parses back to the same events', () => {
    const events = eventsOf('chinese-emoji');
    const text = events.map((e) => encodeSSE(e)).join('') + encodeSSE('[DONE]');
    expect(
      naiveSSEData(text)
        .slice(0, -1)
        .map((d) => JSON.parse(d)),
    ).toEqual(events);
  });
});
