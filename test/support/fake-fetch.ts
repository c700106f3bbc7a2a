/**
 * An injectable `fetch` that answers from a script, for client tests that need fake timers or
 * exact control over a body. Works in Node and browsers. For real HTTP use fake-openai-server.ts.
 */
import { encodeSSE } from 'parlance/core';

/** One scripted answer: a Response, an Error to reject with, or a function making a fresh Response. */
export type FakeAnswer =
  Response | Error | ((url: string, init: RequestInit) => Response | Promise<Response>);

/** A recorded call. */
interface FakeCall {
  url: string;
  init: RequestInit;
  headers: Headers;
}

/** A fetch that answers `answers` in order (the last one repeats) and records its calls. */
export function fakeFetch(...answers: FakeAnswer[]) {
  const calls: FakeCall[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init, headers: new Headers(init.headers) });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    // A Response may be answered again (the last one repeats), so hand out copies of it.
    return typeof answer === 'function' ? answer(url, init) : answer.clone();
  };
  return { fetch, calls };
}

/** A JSON response. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** An OpenAI error envelope response. */
export function errorResponse(
  status: number,
  headers: Record<string, string> = {},
  message = `error ${status}`,
) {
  return jsonResponse({ error: { message, type: 'server_error', param: null, code: null } }, status, headers);
}

/**
 * A controllable body: `push` text or bytes, `close()`, `fail(error)`. `cancelled` says whether
 * the reader cancelled it.
 */
export function controlledBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const encoder = new TextEncoder();
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => {
      state.cancelled = true;
    },
  });
  return {
    stream,
    state,
    push: (part: string | Uint8Array) =>
      controller.enqueue(typeof part === 'string' ? encoder.encode(part) : part),
    event: (event: object | '[DONE]') => controller.enqueue(encoder.encode(encodeSSE(event))),
    close: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
  };
}

/** A minimal valid chunk carrying `content`. */
export function chunk(content: string, finish: 'stop' | 'length' | null = null) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1763987520,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: finish }],
  } as const;
}
