import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import {
  AbortError,
  ApiError,
  NetworkError,
  StreamInterruptedError,
  TimeoutError,
  createClient,
  type ClientOptions,
  type RetryEvent,
} from 'parlance/core';

import { chunk, controlledBody, errorResponse, fakeFetch, jsonResponse } from '../../support/fake-fetch';
import { readResponseFixture } from '../../support/fixtures';

const completion = readResponseFixture('chat-completion.json');
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

function setup(answers: Parameters<typeof fakeFetch>, options: Partial<ClientOptions> = {}) {
  const fake = fakeFetch(...answers);
  const retries: RetryEvent[] = [];
  const client = createClient({
    baseUrl: 'https://api.test/v1',
    fetch: fake.fetch,
    onRetry: (event) => retries.push(event),
    ...options,
  });
  return { client, calls: fake.calls, retries };
}

/** Settles `promise` into a value we can inspect later without unhandled rejections. */
function settle<T>(promise: Promise<T>) {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { value, settled: true }),
    (error: unknown) => Object.assign(state, { error, settled: true }),
  );
  return state;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-24T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('429 honours the server-asked wait', () => {
  test.each([
    ['Retry-After in seconds', { 'retry-after': '2' }, 2000],
    ['Retry-After as an HTTP date', { 'retry-after': new Date('2026-11-24T12:00:03Z').toUTCString() }, 3000],
    ['retry-after-ms', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
  ])('%s', async (_, headers, wait) => {
    const { client, calls, retries } = setup([errorResponse(429, headers), jsonResponse(completion)]);
    const result = settle(client.chat.completions.create(body));
    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.runAllTimersAsync();
    expect(result.value).toEqual(completion);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: wait });
    expect(ApiError.isInstance(retries[0]!.error) && retries[0]!.error.status).toBe(429);
  });

  test('a wait longer than maxRetryAfterMs is not waited out: the ApiError says how long', async () => {
    const { client, calls } = setup([
      errorResponse(429, { 'retry-after': '3600' }),
      jsonResponse(completion),
    ]);
    await expect(client.chat.completions.create(body)).rejects.toMatchObject({
      name: 'ApiError',
      status: 429,
      retryAfterMs: 3_600_000,
    });
    expect(calls).toHaveLength(1);
  });
});

describe('backoff without a server-asked wait', () => {
  test('without jitter: the exponential ceiling, capped at maxDelayMs', async () => {
    const { client, retries } = setup([errorResponse(500)], {
      retry: { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 3000, jitter: false },
    });
    const result = settle(client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(retries.map((r) => r.delayMs)).toEqual([1000, 2000, 3000, 3000]);
    expect(ApiError.isInstance(result.error)).toBe(true);
  });

  test('full jitter stays within [0, ceiling) and uses the random draw', async () => {
    vi.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.5).mockReturnValueOnce(0.999);
    const { client, retries, calls } = setup([errorResponse(503)], { retry: { maxRetries: 3 } });
    settle(client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(retries.map((r) => r.delayMs)).toEqual([0, 500, 0.999 * 2000]);
    expect(calls).toHaveLength(4);
  });

  test('the default policy makes at most 3 attempts, then throws the last error', async () => {
    const { client, calls } = setup([errorResponse(500), errorResponse(502), errorResponse(503)]);
    const result = settle(client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(3);
    expect(result.error).toMatchObject({ name: 'ApiError', status: 503 });
  });

  test('5xx before the first byte is retried and the retry succeeds', async () => {
    const { client, calls } = setup([errorResponse(503), jsonResponse(completion)]);
    const result = settle(client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(2);
    expect(result.value).toEqual(completion);
  });

  test('network errors are retried; 400/401/404 are not; retry: false disables retries', async () => {
    const flaky = setup([new TypeError('fetch failed'), jsonResponse(completion)]);
    const ok = settle(flaky.client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(ok.value).toEqual(completion);
    expect(NetworkError.isInstance(flaky.retries[0]!.error)).toBe(true);

    for (const status of [400, 401, 404]) {
      const { client, calls } = setup([errorResponse(status), jsonResponse(completion)]);
      await expect(client.chat.completions.create(body)).rejects.toMatchObject({ status });
      expect(calls).toHaveLength(1);
    }
    const off = setup([errorResponse(500), jsonResponse(completion)], { retry: false });
    await expect(off.client.chat.completions.create(body)).rejects.toMatchObject({ status: 500 });
    expect(off.calls).toHaveLength(1);
  });
});

describe('never retried once body bytes arrived', () => {
  test('a stream that breaks after its first bytes throws, with one request only', async () => {
    const sse = controlledBody();
    const { client, calls } = setup([
      () => new Response(sse.stream, { headers: { 'content-type': 'text/event-stream' } }),
    ]);
    const stream = await client.chat.completions.create({ ...body, stream: true });
    sse.event(chunk('Hel'));
    const received: string[] = [];
    const iteration = settle(
      (async () => {
        for await (const c of stream) received.push(c.choices[0]?.delta.content ?? '');
      })(),
    );
    await vi.advanceTimersByTimeAsync(0);
    sse.fail(new TypeError('socket hang up'));
    await vi.runAllTimersAsync();
    expect(received).toEqual(['Hel']);
    expect(StreamInterruptedError.isInstance(iteration.error)).toBe(true);
    expect(NetworkError.isInstance((iteration.error as Error).cause)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  test('a JSON body that breaks after bytes is not retried; one that breaks before is', async () => {
    const broken = (first: string) => () => {
      let pulls = 0;
      const encoded = new TextEncoder().encode(first);
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulls++ === 0 && encoded.length > 0) controller.enqueue(encoded);
            else controller.error(new TypeError('terminated'));
          },
        }),
      );
    };
    const late = setup([broken('{"id":'), jsonResponse(completion)]);
    const lateResult = settle(late.client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(NetworkError.isInstance(lateResult.error)).toBe(true);
    expect(late.calls).toHaveLength(1);

    const early = setup([broken(''), jsonResponse(completion)]);
    const earlyResult = settle(early.client.chat.completions.create(body));
    await vi.runAllTimersAsync();
    expect(earlyResult.value).toEqual(completion);
    expect(early.calls).toHaveLength(2);
  });
});

describe('abort and timeouts', () => {
  test('abort during a backoff wait rejects promptly with AbortError and sends nothing more', async () => {
    const { client, calls } = setup([errorResponse(429, { 'retry-after': '30' }), jsonResponse(completion)]);
    const controller = new AbortController();
    const result = settle(client.chat.completions.create(body, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    expect(result.settled).toBe(false);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(AbortError.isInstance(result.error)).toBe(true);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
  });

  test('an already-aborted signal sends nothing', async () => {
    const { client, calls } = setup([jsonResponse(completion)]);
    await expect(client.chat.completions.create(body, { signal: AbortSignal.abort() })).rejects.toSatisfy(
      AbortError.isInstance,
    );
    expect(calls).toHaveLength(0);
  });

  test('no headers within timeoutMs: TimeoutError (retried like a network error)', async () => {
    const { client, calls } = setup([() => new Promise<Response>(() => {})], {
      timeoutMs: 1000,
      retry: { maxRetries: 1, jitter: false, baseDelayMs: 10 },
    });
    const result = settle(client.chat.completions.create(body));
    await vi.advanceTimersByTimeAsync(999);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1 + 10 + 1000);
    expect(calls).toHaveLength(2);
    expect(TimeoutError.isInstance(result.error) && result.error.timeoutMs).toBe(1000);
  });

  test('the stream idle timeout counts from the last bytes, not from the start', async () => {
    const sse = controlledBody();
    const { client } = setup([() => new Response(sse.stream)], { timeoutMs: 1000 });
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const received: string[] = [];
    const iteration = settle(
      (async () => {
        for await (const c of stream) received.push(c.choices[0]?.delta.content ?? '');
      })(),
    );
    for (const word of ['a', 'b', 'c']) {
      await vi.advanceTimersByTimeAsync(900);
      sse.event(chunk(word));
    }
    await vi.advanceTimersByTimeAsync(999);
    expect(iteration.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(received).toEqual(['a', 'b', 'c']);
    expect(TimeoutError.isInstance(iteration.error)).toBe(true);
    expect(sse.state.cancelled).toBe(true);
  });

  test('a slow consumer does not time out while the server keeps sending', async () => {
    const sse = controlledBody();
    const { client } = setup([() => new Response(sse.stream)], { timeoutMs: 1000 });
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    sse.event(chunk('a'));
    expect((await iterator.next()).value?.choices[0]?.delta.content).toBe('a');
    // The app is busy for 4 s without reading; the server sends every 800 ms meanwhile.
    for (const word of ['b', 'c', 'd', 'e', 'f']) {
      await vi.advanceTimersByTimeAsync(800);
      sse.event(chunk(word));
    }
    sse.event('[DONE]');
    sse.close();
    const rest: string[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      rest.push(step.value.choices[0]!.delta.content!);
    }
    expect(rest).toEqual(['b', 'c', 'd', 'e', 'f']);
  });
});
