// The chat store reads the client's stream a read at a time; any other iterable chunk by chunk.
import { expect, test } from 'vitest';

import { ChatCompletionStream, chunkBatches } from '../../../src/core/client/chat-completion-stream';

const encoder = new TextEncoder();
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

test("a ChatCompletionStream's chunks come a read at a time, once", async () => {
  const reads = [chunk('a') + chunk('b') + chunk('c'), chunk('d') + 'data: [DONE]\n\n'];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = reads.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
  const stream = new ChatCompletionStream(new Response(null), body);
  const batches = chunkBatches(stream)!;
  const seen: string[][] = [];
  for (let step = await batches.next(); !step.done; step = await batches.next()) {
    seen.push(step.value.map((c) => c.choices[0]!.delta.content ?? ''));
  }
  expect(seen).toEqual([['a', 'b', 'c'], ['d']]);
  // Like iteration, reading is once only.
  expect(() => chunkBatches(stream)).toThrow(TypeError);
});

test('any other iterable has no batches', () => {
  expect(chunkBatches((async function* () {})())).toBeNull();
});
