/**
 * A streamed chat completion from the response bytes to the last chunk: Parlance's
 * `createClient(...).chat.completions.create({ stream: true })` against the official `openai`
 * client, both iterated to the end over the same recorded bytes from the same in-memory `fetch`.
 *
 * The reply is 4,000 `chat.completion.chunk` events of about ten tokens each (the shape OpenAI
 * sends, with `usage` on the last one), then `data: [DONE]`. Two ways the network may deliver it:
 * - "one event per read": each event arrives alone, as when a model streams slower than the
 *   network (the chat UI case: a few events per frame);
 * - "network-sized reads": pieces of 1–4 KiB cut at arbitrary bytes, so events straddle reads
 *   and a read carries several.
 *
 * Divide a task's mean time by EVENTS for the cost per event.
 */
import OpenAI from 'openai';
import { createClient, encodeSSE, type ChatCompletionChunk } from 'parlance/core';
import { bench, describe } from 'vitest';

const EVENTS = 4000;
const OPTIONS = { time: 3000, warmupTime: 500 };
const BASE_URL = 'http://bench.invalid/v1';
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Tell me a long story.' }],
  stream: true as const,
};

function event(i: number): ChatCompletionChunk {
  const last = i === EVENTS - 1;
  return {
    id: 'chatcmpl-CXb2kQ7vJm4rT9eLwN1sYp8aZ3fHd',
    object: 'chat.completion.chunk',
    created: 1763987520,
    model: 'gpt-4o-mini-2024-07-18',
    system_fingerprint: 'fp_560af6e559',
    choices: [
      {
        index: 0,
        delta: { content: ` once upon a time, in village ${i}, there lived` },
        logprobs: null,
        finish_reason: last ? 'stop' : null,
      },
    ],
    usage: last
      ? { prompt_tokens: 12, completion_tokens: EVENTS * 10, total_tokens: 12 + EVENTS * 10 }
      : null,
  } as ChatCompletionChunk;
}

const encoder = new TextEncoder();
const frames = [...Array.from({ length: EVENTS }, (_, i) => encodeSSE(event(i))), encodeSSE('[DONE]')].map(
  (text) => encoder.encode(text),
);

/** The whole body cut into pieces of 1–4 KiB at arbitrary bytes (a fixed pseudo-random sequence). */
function networkPieces(): Uint8Array[] {
  const whole = new Uint8Array(frames.reduce((sum, f) => sum + f.length, 0));
  let at = 0;
  for (const frame of frames) {
    whole.set(frame, at);
    at += frame.length;
  }
  const pieces: Uint8Array[] = [];
  let seed = 1;
  for (let start = 0; start < whole.length;) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const end = Math.min(whole.length, start + 1024 + (seed % 3072));
    pieces.push(whole.subarray(start, end));
    start = end;
  }
  return pieces;
}

/** A `fetch` answering every request with `pieces`, one per read, from memory. */
function fetchOf(pieces: readonly Uint8Array[]) {
  return async (_input: unknown, init?: RequestInit): Promise<Response> => {
    await init?.body; // both clients send a JSON body; nothing reads it
    let i = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const piece = pieces[i++];
          if (piece === undefined) controller.close();
          else controller.enqueue(piece);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
}

/** Reads a stream of chunks to the end, as an app would, and checks that it all arrived. */
async function drain(stream: AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>) {
  let text = '';
  let count = 0;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    count++;
  }
  if (count !== EVENTS || !text.endsWith(`village ${EVENTS - 1}, there lived`)) {
    throw new Error(`the stream came out wrong: ${count} chunks`);
  }
}

for (const [name, pieces] of [
  ['one event per read', frames],
  ['network-sized reads', networkPieces()],
] as const) {
  describe(`stream ${EVENTS} chunks, ${name}`, () => {
    const fetch = fetchOf(pieces);
    const parlance = createClient({ baseUrl: BASE_URL, apiKey: 'x', fetch });
    const openai = new OpenAI({ apiKey: 'x', baseURL: BASE_URL, fetch });

    bench(
      'parlance createClient',
      async () => drain(await parlance.chat.completions.create(request)),
      OPTIONS,
    );

    bench('openai client', async () => drain(await openai.chat.completions.create(request)), OPTIONS);
  });
}
