import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { parseSSEStream, type ChatCompletionChunk } from 'parlance/core';
import { ChatCompletionAccumulator } from '../../../src/core/stream/accumulate';

import {
  COMPATIBLE_STREAM_FIXTURES,
  STREAM_FIXTURES,
  readStreamFixture,
  type StreamFixture,
} from '../../support/fixtures';
import { collect, splitAt, streamOf } from '../../support/streams';

/** What a run produced: the chunks, the text, and the error's class name (if any). */
async function outcome(parts: Uint8Array[]) {
  const { values, error } = await collect(parseSSEStream<ChatCompletionChunk>(streamOf(parts)));
  const acc = new ChatCompletionAccumulator();
  for (const chunk of values) acc.add(chunk);
  return { values, text: acc.content, error: (error as Error | undefined)?.name };
}

describe('splitting a recorded stream anywhere changes nothing', () => {
  test.each([...STREAM_FIXTURES, ...COMPATIBLE_STREAM_FIXTURES])(
    '%s at random byte positions',
    async (name: StreamFixture) => {
      const raw = readStreamFixture(name);
      const whole = await outcome([raw]);
      expect(whole.values.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: raw.length - 1 }), { maxLength: 40 }),
          async (offsets) => {
            expect(await outcome(splitAt(raw, offsets))).toEqual(whole);
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  test('chinese-emoji at every single byte boundary, and byte by byte', async () => {
    const raw = readStreamFixture('chinese-emoji');
    const whole = await outcome([raw]);
    expect(whole.text).toContain('👨‍👩‍👧');
    const expected = JSON.stringify(whole);
    for (let cut = 1; cut < raw.length; cut++) {
      const split = await outcome(splitAt(raw, [cut]));
      if (JSON.stringify(split) !== expected)
        expect.fail(`split at byte ${cut} gave ${JSON.stringify(split.text)}`);
    }
    const everyByte = Array.from({ length: raw.length - 1 }, (_, i) => i + 1);
    expect(await outcome(splitAt(raw, everyByte))).toEqual(whole);
  });
});
