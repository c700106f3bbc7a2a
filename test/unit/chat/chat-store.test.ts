import {
  AbortError,
  ApiError,
  ChatConfigError,
  ConfigurationError,
  createChatStore,
  DEFAULT_CHAT_MODEL,
  MalformedResponseError,
  NetworkError,
  StreamInterruptedError,
  type ChatFinishEvent,
  type ChatOptions,
} from 'parlance/core';
import { describe, expect, test, vi } from 'vitest';

import { chunk, record, reply, scriptedTransport, sequentialIds, tick } from './scripted-transport';

const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 };

function setup(options: ChatOptions = {}) {
  const script = scriptedTransport();
  const onFinish = vi.fn<(event: ChatFinishEvent) => void>();
  const onError = vi.fn<(error: Error) => void>();
  const store = createChatStore({
    id: 'conv',
    model: 'gpt-test',
    transport: script.transport,
    generateId: sequentialIds(),
    throttle: 0,
    retry: { baseDelayMs: 1, jitter: false },
    onFinish,
    onError,
    ...options,
  });
  return { store, script, onFinish, onError, rec: record(store) };
}

describe('send', () => {
  test('streams a reply through every state and resolves when it ends', async () => {
    const { store, script, rec, onFinish } = setup();
    script.stream(reply(['Hel', 'lo', '!'], 'stop', usage));

    const result = await store.send('Hi');

    const snap = store.getSnapshot();
    expect(result).toMatchObject({ type: 'finished', reason: 'stop' });
    expect(rec.statuses()).toEqual(['submitted', 'streaming', 'idle']);
    const [user, assistant] = snap.messages;
    expect(user).toMatchObject({ id: 'm1', role: 'user', content: 'Hi', status: 'done' });
    expect(assistant).toMatchObject({
      role: 'assistant',
      content: 'Hello!',
      status: 'done',
      finishReason: 'stop',
      endState: { type: 'complete', reason: 'stop' },
      usage,
      error: null,
    });
    expect(rec.messageStatuses(assistant!.id)).toEqual(['pending', 'streaming', 'done']);
    // Every chunk's text was published in order (throttle 0: one notification per chunk).
    const texts = rec.snapshots.map((s) => s.messages[1]?.content).filter((t) => t !== undefined);
    expect([...new Set(texts)]).toEqual(['', 'Hel', 'Hello', 'Hello!']);
    expect(snap.usage).toEqual(usage);
    expect(snap.error).toBeNull();
    expect(onFinish).toHaveBeenCalledOnce();
    expect(onFinish.mock.calls[0]![0]).toMatchObject({ reason: 'stop', message: { content: 'Hello!' } });
  });

  test('builds the request: system, standing instructions in the user turn, sampling fields, extra body', async () => {
    const { store, script } = setup({
      system: 'Be brief.',
      instructions: 'Answer in French.',
      temperature: 0.2,
      maxTokens: 50,
      body: { top_p: 0.9 },
      headers: { 'x-app': 'test' },
      initialMessages: [
        { role: 'user', content: 'Earlier' },
        { role: 'assistant', content: 'Reply' },
      ],
    });
    script.stream(reply(['ok']));
    await store.send('Now');
    expect(script.requests[0]).toEqual({
      model: 'gpt-test',
      top_p: 0.9,
      temperature: 0.2,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Earlier' },
        { role: 'assistant', content: 'Reply' },
        { role: 'user', content: 'Answer in French.\n\nNow' },
      ],
    });
    expect(script.options[0]!.headers).toEqual({ 'x-app': 'test' });
    // The instructions are not part of the visible conversation.
    expect(store.getSnapshot().messages[2]!.content).toBe('Now');
  });

  test('with no model named anywhere, asks DEFAULT_CHAT_MODEL (never an empty model)', async () => {
    const { store, script } = setup({ model: undefined });
    script.stream(reply(['ok']));
    await store.send('Hi');
    expect(script.requests[0]!.model).toBe(DEFAULT_CHAT_MODEL);
    expect(DEFAULT_CHAT_MODEL).toBe('gpt-4o-mini');
  });

  test('sends content parts (text and image) for vision models', async () => {
    const { store, script } = setup({ instructions: 'Describe.' });
    script.stream(reply(['A cat']));
    const parts = [
      { type: 'text' as const, text: 'What is this?' },
      { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AAAA' } },
    ];
    await store.send(parts);
    expect(script.requests[0]!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Describe.' }, ...parts] },
    ]);
    expect(store.getSnapshot().messages[0]!.content).toEqual(parts);
  });

  test('empty or whitespace-only input is not sent and changes nothing', async () => {
    const { store, script, rec } = setup();
    expect(await store.send('')).toEqual({ type: 'not-sent', reason: 'empty' });
    expect(await store.send('  \n\t ')).toEqual({ type: 'not-sent', reason: 'empty' });
    expect(await store.send([{ type: 'text', text: ' ' }])).toEqual({ type: 'not-sent', reason: 'empty' });
    expect(script.requests).toHaveLength(0);
    expect(rec.snapshots).toHaveLength(0);
  });

  test('sending while a reply streams is refused; the replies never interleave', async () => {
    const { store, script } = setup();
    const stream = script.controlled();
    const first = store.send('one');
    await stream.started;
    stream.push(chunk('a'));
    await tick();
    expect(await store.send('two')).toEqual({ type: 'not-sent', reason: 'busy' });
    expect(await store.regenerate()).toEqual({ type: 'not-sent', reason: 'busy' });
    stream.push(chunk('b', 'stop'));
    stream.end();
    await first;
    expect(script.requests).toHaveLength(1);
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['one', 'ab']);
  });

  test('unchanged messages keep their identity while a reply streams', async () => {
    const { store, script, rec } = setup({
      initialMessages: Array.from({ length: 50 }, (_, i) => ({
        role: i % 2 ? ('assistant' as const) : ('user' as const),
        content: `m${i}`,
      })),
    });
    const before = store.getSnapshot().messages;
    script.stream(reply(Array.from({ length: 20 }, (_, i) => `${i} `)));
    await store.send('next');
    for (const snap of rec.snapshots) {
      snap.messages.slice(0, 50).forEach((m, i) => expect(m).toBe(before[i]));
    }
    // and a user message, once added, is never rebuilt either
    const user = rec.snapshots[0]!.messages[50];
    for (const snap of rec.snapshots) expect(snap.messages[50]).toBe(user);
  });
});

test('initial messages without an id or time get them from their position, not from a clock or a random source', () => {
  const generateId = vi.fn(() => 'generated');
  const now = vi.spyOn(Date, 'now');
  const store = createChatStore({
    id: 'conv',
    generateId,
    initialMessages: [
      { role: 'assistant', content: 'Welcome!' },
      { id: 'kept', role: 'user', content: 'Hi', createdAt: 42 },
    ],
  });
  const [greeting, user] = store.getSnapshot().messages;
  expect(greeting).toMatchObject({ id: 'initial-0', createdAt: 0, status: 'done', content: 'Welcome!' });
  expect(user).toMatchObject({ id: 'kept', createdAt: 42 });
  expect(generateId).not.toHaveBeenCalled();
  expect(now).not.toHaveBeenCalled();
  now.mockRestore();
});

describe('coalescing', () => {
  test('a burst of chunks is published in few notifications, with no text lost (default frame timer in Node)', async () => {
    const { store, script, rec } = setup({ throttle: 'frame' });
    const pieces = Array.from({ length: 200 }, (_, i) => `${i},`);
    const stream = script.controlled();
    const sent = store.send('count');
    await stream.started;
    stream.push(chunk(''));
    await tick();
    stream.push(...pieces.map((p) => chunk(p)));
    await tick(50);
    const streamingNotifications = rec.snapshots.filter((s) => s.status === 'streaming').length;
    expect(streamingNotifications).toBeLessThan(5);
    expect(store.getSnapshot().messages[1]!.content).toBe(pieces.join(''));
    stream.push(chunk(undefined, 'stop'));
    stream.end();
    await sent;
    expect(store.getSnapshot().messages[1]!.content).toBe(pieces.join(''));
  });

  test('a numeric throttle batches by time', async () => {
    vi.useFakeTimers();
    try {
      const { store, script, rec } = setup({ throttle: 100 });
      const stream = script.controlled();
      const sent = store.send('x');
      await vi.advanceTimersByTimeAsync(0);
      stream.push(chunk('a'));
      await vi.advanceTimersByTimeAsync(0);
      const count = rec.snapshots.length;
      stream.push(chunk('b'), chunk('c'));
      await vi.advanceTimersByTimeAsync(50);
      expect(rec.snapshots.length).toBe(count); // not yet
      await vi.advanceTimersByTimeAsync(60);
      expect(rec.snapshots.length).toBe(count + 1);
      expect(store.getSnapshot().messages[1]!.content).toBe('abc');
      stream.end();
      await vi.advanceTimersByTimeAsync(0);
      await sent;
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('stop', () => {
  test('keeps the partial reply as stopped, goes idle (not error), and sends it as context next time', async () => {
    const { store, script, rec, onFinish, onError } = setup();
    const stream = script.controlled();
    const sent = store.send('Tell me a story');
    await stream.started;
    stream.push(chunk('Once upon'));
    await tick();
    store.stop();
    const result = await sent;
    expect(result).toMatchObject({ type: 'finished', reason: 'cancelled' });
    const snap = store.getSnapshot();
    expect(snap.status).toBe('idle');
    expect(snap.error).toBeNull();
    expect(snap.messages[1]).toMatchObject({
      content: 'Once upon',
      status: 'stopped',
      endState: { type: 'incomplete', reason: 'cancelled' },
    });
    expect(rec.statuses()).toEqual(['submitted', 'streaming', 'idle']);
    expect(onFinish.mock.calls[0]![0].reason).toBe('cancelled');
    expect(onError).not.toHaveBeenCalled();
    expect(script.options[0]!.signal.aborted).toBe(true);

    script.stream(reply(['ok']));
    await store.send('Go on');
    expect(script.requests[1]!.messages).toEqual([
      { role: 'user', content: 'Tell me a story' },
      { role: 'assistant', content: 'Once upon' },
      { role: 'user', content: 'Go on' },
    ]);
  });

  test('before the first byte: no empty reply is left behind', async () => {
    const { store, script } = setup();
    const stream = script.controlled();
    const sent = store.send('Hi');
    await stream.started;
    store.stop();
    expect(await sent).toMatchObject({ reason: 'cancelled' });
    expect(store.getSnapshot().messages.map((m) => m.role)).toEqual(['user']);
    expect(store.getSnapshot().status).toBe('idle');
  });

  test('ends the turn even when the transport ignores its signal', async () => {
    const { store, script } = setup();
    const stream = script.controlled(); // its iterator never looks at the signal
    const sent = store.send('Hi');
    await stream.started;
    stream.push(chunk('par'));
    await tick();
    store.stop();
    await expect(sent).resolves.toMatchObject({ reason: 'cancelled' });
  });
});

describe('faults', () => {
  test('connection lost mid-stream: partial kept as interrupted, error shown, continue appends to the same reply', async () => {
    const { store, script, rec, onError } = setup();
    const broken = new StreamInterruptedError([], 'The connection broke before [DONE]');
    script.stream([chunk('The answer'), chunk(' is')], broken);
    const result = await store.send('Question');
    expect(result).toMatchObject({ reason: 'interrupted' });
    const snap = store.getSnapshot();
    const reply1 = snap.messages[1]!;
    expect(reply1).toMatchObject({
      content: 'The answer is',
      status: 'interrupted',
      endState: { type: 'incomplete', reason: 'interrupted' },
      error: { name: 'StreamInterruptedError' },
    });
    expect(snap.status).toBe('error');
    expect(snap.error).toBe(broken);
    expect(onError).toHaveBeenCalledWith(broken);
    expect(rec.statuses()).toEqual(['submitted', 'streaming', 'error']);
    expect(script.requests).toHaveLength(1); // never retried once text arrived

    script.stream(reply([' 42.']));
    await store.continue();
    const after = store.getSnapshot();
    expect(after.status).toBe('idle');
    expect(after.messages).toHaveLength(2);
    expect(after.messages[1]).toMatchObject({ id: reply1.id, content: 'The answer is 42.', status: 'done' });
    expect(script.requests[1]!.messages).toEqual([
      { role: 'user', content: 'Question' },
      { role: 'assistant', content: 'The answer is' },
      { role: 'user', content: expect.stringContaining('Continue') },
    ]);
  });

  test('a network error after text (a transport that does not wrap it) is an interruption too', async () => {
    const { store, script } = setup();
    script.stream([chunk('Half')], new NetworkError('socket hang up'));
    await store.send('Q');
    expect(store.getSnapshot().messages[1]).toMatchObject({ content: 'Half', status: 'interrupted' });
  });

  test('retry after an interruption asks again and keeps the partial reply as an alternative', async () => {
    const { store, script } = setup();
    script.stream([chunk('Part')], new StreamInterruptedError([]));
    await store.send('Q');
    script.stream(reply(['Whole']));
    await store.retry();
    const snap = store.getSnapshot();
    expect(snap.messages.map((m) => m.content)).toEqual(['Q', 'Whole']);
    expect(snap.messages[1]!.alternatives).toEqual([[expect.objectContaining({ content: 'Part' })]]);
    expect(snap.messages[1]!.alternativeIndex).toBe(1);
    expect(script.requests[1]!.messages).toEqual([{ role: 'user', content: 'Q' }]);
  });

  test('429: the wait is visible in state, then the request is sent again by itself', async () => {
    const { store, script, rec } = setup();
    const limited = new ApiError({ status: 429, message: 'Rate limit reached', retryAfterMs: 30 });
    script.fail(limited);
    script.stream(reply(['fine']));
    const t0 = Date.now();
    await store.send('Hi');
    const waits = rec.snapshots.filter((s) => s.retryWait !== null);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]!.retryWait).toMatchObject({ attempt: 1, delayMs: 30, error: limited });
    expect(waits[0]!.retryWait!.retryAt).toBeGreaterThanOrEqual(t0 + 30);
    expect(waits[0]!.status).toBe('submitted');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', retryWait: null, error: null });
    expect(store.getSnapshot().messages[1]!.content).toBe('fine');
    expect(script.requests).toHaveLength(2);
  });

  test('429 asking for a wait beyond the policy is not waited out: the error shows at once', async () => {
    const { store, script } = setup({ retry: { maxRetryAfterMs: 1000 } });
    script.fail(new ApiError({ status: 429, message: 'Try tomorrow', retryAfterMs: 86_400_000 }));
    await store.send('Hi');
    expect(store.getSnapshot()).toMatchObject({ status: 'error', retryWait: null });
    expect(script.requests).toHaveLength(1);
  });

  test('5xx and network errors before the first byte are retried within the policy', async () => {
    const { store, script, rec } = setup({ retry: { maxRetries: 2, baseDelayMs: 1, jitter: false } });
    script.fail(new ApiError({ status: 503, message: 'Overloaded' }));
    script.fail(new NetworkError('offline'));
    script.stream(reply(['back']));
    await store.send('Hi');
    expect(script.requests).toHaveLength(3);
    expect(rec.snapshots.filter((s) => s.retryWait).map((s) => s.retryWait!.attempt)).toEqual([1, 2]);
    expect(store.getSnapshot().messages[1]).toMatchObject({ content: 'back', status: 'done' });
  });

  test('retries exhausted: the turn fails with the last error', async () => {
    const { store, script } = setup({ retry: { maxRetries: 1, baseDelayMs: 1, jitter: false } });
    script.fail(new ApiError({ status: 500, message: 'boom 1' }));
    const last = new ApiError({ status: 500, message: 'boom 2' });
    script.fail(last);
    await store.send('Hi');
    expect(store.getSnapshot().error).toBe(last);
    expect(script.requests).toHaveLength(2);
  });

  test('stop during a back-off wait cancels it', async () => {
    const { store, script, rec } = setup();
    script.fail(new ApiError({ status: 429, message: 'slow down', retryAfterMs: 10_000 }));
    const sent = store.send('Hi');
    await vi.waitFor(() => expect(store.getSnapshot().retryWait).not.toBeNull());
    store.stop();
    await expect(sent).resolves.toMatchObject({ reason: 'cancelled' });
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', retryWait: null });
    expect(rec.statuses()).toEqual(['submitted', 'idle']);
  });

  test('another 4xx: a readable error on the turn, no retry, and the user text kept for editing', async () => {
    const { store, script } = setup();
    const bad = new ApiError({
      status: 400,
      message: "This model's maximum context length is 4097 tokens",
      code: 'context_length_exceeded',
    });
    script.fail(bad);
    await store.send('A very long question');
    const snap = store.getSnapshot();
    expect(script.requests).toHaveLength(1);
    expect(snap.status).toBe('error');
    expect(snap.error).toBe(bad);
    expect(snap.messages[0]).toMatchObject({ role: 'user', content: 'A very long question', status: 'done' });
    expect(snap.messages[1]).toMatchObject({
      role: 'assistant',
      content: '',
      status: 'error',
      error: { name: 'ApiError', status: 400, code: 'context_length_exceeded', message: bad.message },
    });

    script.stream(reply(['Short answer']));
    await store.edit(snap.messages[0]!.id, 'A short question');
    const after = store.getSnapshot();
    expect(after.status).toBe('idle');
    expect(after.error).toBeNull();
    expect(after.messages.map((m) => m.content)).toEqual(['A short question', 'Short answer']);
    // The failed attempt is reachable as the previous version.
    expect(after.messages[0]!.alternatives![0]![0]).toMatchObject({ content: 'A very long question' });
  });

  test('finish_reason length and content_filter are distinct states; continue goes on after length', async () => {
    const { store, script } = setup();
    script.stream(reply(['Cut off mid'], 'length'));
    await store.send('Long one');
    const cut = store.getSnapshot().messages[1]!;
    expect(cut).toMatchObject({
      status: 'done',
      finishReason: 'length',
      endState: { type: 'incomplete', reason: 'length' },
    });
    script.stream(reply([' sentence.'], 'stop'));
    const continued = await store.continue();
    expect(continued).toMatchObject({
      reason: 'stop',
      message: { id: cut.id, content: 'Cut off mid sentence.' },
    });

    script.stream(reply(['I can'], 'content_filter'));
    const filtered = await store.send('Something else');
    expect(filtered).toMatchObject({ reason: 'content-filter' });
    expect(store.getSnapshot().messages.at(-1)).toMatchObject({
      status: 'done',
      finishReason: 'content_filter',
      endState: { type: 'incomplete', reason: 'content-filter' },
    });
  });

  test('a malformed chunk ends the reply as error, keeping what arrived', async () => {
    const { store, script } = setup();
    script.stream([chunk('Good '), chunk('text'), { nonsense: true }, chunk('never')]);
    const result = await store.send('Hi');
    expect(result).toMatchObject({ reason: 'error' });
    const snap = store.getSnapshot();
    expect(snap.messages[1]).toMatchObject({
      content: 'Good text',
      status: 'error',
      error: { name: 'MalformedResponseError' },
    });
    expect(MalformedResponseError.isInstance(snap.error)).toBe(true);
  });

  test('a malformed stream reported by the client (MalformedResponseError) keeps the text too', async () => {
    const { store, script } = setup();
    script.stream([chunk('Kept')], new MalformedResponseError('not JSON', 'data: {oops'));
    await store.send('Hi');
    expect(store.getSnapshot().messages[1]).toMatchObject({ content: 'Kept', status: 'error' });
  });

  test('an error event mid-stream (ApiError) ends the reply as error, keeping the text', async () => {
    const { store, script } = setup();
    script.stream(
      [chunk('Some')],
      ApiError.fromEvent({
        error: { message: 'upstream failed', type: 'server_error', param: null, code: null },
      }),
    );
    await store.send('Hi');
    expect(store.getSnapshot().messages[1]).toMatchObject({
      content: 'Some',
      status: 'error',
      error: { message: 'upstream failed' },
    });
    expect(script.requests).toHaveLength(1);
  });

  test('without a transport the turn fails with a clear error instead of throwing', async () => {
    const store = createChatStore({ model: 'x' });
    const result = await store.send('Hi');
    expect(result).toMatchObject({ reason: 'error' });
    const error = store.getSnapshot().error;
    expect(error?.message).toMatch(/baseUrl/);
    expect(ChatConfigError.isInstance(error)).toBe(true);
    // A kind of ConfigurationError, so one check covers every "not configured" case.
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name: 'ChatConfigError', option: 'transport' });
  });

  test('a throwing onFinish does not break the store', async () => {
    const { store, script } = setup({
      onFinish: () => {
        throw new Error('app bug');
      },
    });
    const onUncaught = vi.fn();
    process.on('uncaughtException', onUncaught);
    try {
      script.stream(reply(['ok']));
      await expect(store.send('Hi')).resolves.toMatchObject({ type: 'finished' });
      expect(store.getSnapshot().status).toBe('idle');
      await tick();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

describe('editing the conversation', () => {
  test('regenerate keeps the old reply as an alternative; selectAlternative moves between them', async () => {
    const { store, script } = setup();
    script.stream(reply(['First']));
    await store.send('Q');
    script.stream(reply(['Second']));
    await store.regenerate();
    let snap = store.getSnapshot();
    expect(snap.messages.map((m) => m.content)).toEqual(['Q', 'Second']);
    expect(snap.messages[1]).toMatchObject({ alternativeIndex: 1 });
    expect(snap.messages[1]!.alternatives).toHaveLength(1);

    expect(store.selectAlternative(snap.messages[1]!.id, 0)).toBe(true);
    snap = store.getSnapshot();
    expect(snap.messages.map((m) => m.content)).toEqual(['Q', 'First']);
    expect(snap.messages[1]!.alternativeIndex).toBe(0);
    expect(store.selectAlternative(snap.messages[1]!.id, 1)).toBe(true);
    expect(store.getSnapshot().messages[1]!.content).toBe('Second');
    expect(store.selectAlternative(store.getSnapshot().messages[1]!.id, 5)).toBe(false);
    // The request for the new reply had only what came before it.
    expect(script.requests[1]!.messages).toEqual([{ role: 'user', content: 'Q' }]);
  });

  test('edit replaces a user message, asks again from there, and keeps the old branch reachable', async () => {
    const { store, script } = setup();
    script.stream(reply(['A1']));
    await store.send('Q1');
    script.stream(reply(['A2']));
    await store.send('Q2');
    const q1 = store.getSnapshot().messages[0]!;

    script.stream(reply(['B1']));
    await store.edit(q1.id, 'Q1 edited');
    let snap = store.getSnapshot();
    expect(snap.messages.map((m) => m.content)).toEqual(['Q1 edited', 'B1']);
    expect(script.requests[2]!.messages).toEqual([{ role: 'user', content: 'Q1 edited' }]);
    expect(snap.messages[0]).toMatchObject({ alternativeIndex: 1 });

    store.selectAlternative(snap.messages[0]!.id, 0);
    snap = store.getSnapshot();
    expect(snap.messages.map((m) => m.content)).toEqual(['Q1', 'A1', 'Q2', 'A2']);
    expect(snap.messages[0]).toMatchObject({ alternativeIndex: 0 });
    expect(snap.messages[0]!.alternatives![0]!.map((m) => m.content)).toEqual(['Q1 edited', 'B1']);

    // Editing again adds a third version.
    script.stream(reply(['C1']));
    await store.edit(snap.messages[0]!.id, 'Q1 third');
    snap = store.getSnapshot();
    expect(snap.messages[0]).toMatchObject({ content: 'Q1 third', alternativeIndex: 2 });
    expect(snap.messages[0]!.alternatives!.map((tail) => tail[0]!.content)).toEqual(['Q1', 'Q1 edited']);
  });

  test('edit of an assistant message corrects it in place without a request; blank edits are refused', async () => {
    const { store, script } = setup({
      initialMessages: [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'typo' },
      ],
    });
    const [, a] = store.getSnapshot().messages;
    await store.edit(a!.id, 'fixed');
    expect(store.getSnapshot().messages[1]!.content).toBe('fixed');
    expect(await store.edit(a!.id, '   ')).toEqual({ type: 'not-sent', reason: 'empty' });
    expect(script.requests).toHaveLength(0);
  });

  test('remove, setMessages and clear', async () => {
    const { store, script } = setup();
    script.stream(reply(['A'], 'stop', usage));
    await store.send('Q');
    const [q] = store.getSnapshot().messages;
    store.remove(q!.id);
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['A']);

    store.setMessages([
      { role: 'system', content: 'Sys' },
      { role: 'user', content: 'U' },
    ]);
    expect(store.getSnapshot().messages).toMatchObject([
      {
        role: 'system',
        content: 'Sys',
        status: 'done',
        id: expect.any(String),
        createdAt: expect.any(Number),
      },
      { role: 'user', content: 'U' },
    ]);
    const before = store.getSnapshot().messages;
    store.setMessages((prev) => [...prev, { role: 'assistant', content: 'V' }]);
    expect(store.getSnapshot().messages).toHaveLength(3);
    // complete messages keep their identity (a memoised row does not re-render)
    expect(store.getSnapshot().messages[0]).toBe(before[0]);
    expect(store.getSnapshot().messages[1]).toBe(before[1]);

    store.clear();
    expect(store.getSnapshot()).toMatchObject({ messages: [], status: 'idle', usage: { total_tokens: 0 } });
  });

  test('clear and remove during a stream stop it first', async () => {
    const { store, script } = setup();
    const stream = script.controlled();
    const sent = store.send('Q');
    await stream.started;
    stream.push(chunk('partial'));
    await tick();
    const replyId = store.getSnapshot().messages[1]!.id;
    store.remove(replyId);
    await sent;
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['Q']);
    expect(store.getSnapshot().status).toBe('idle');
    expect(script.options[0]!.signal.aborted).toBe(true);
  });

  test('nothing to regenerate, continue or retry', async () => {
    const { store } = setup();
    expect(await store.regenerate()).toEqual({ type: 'not-sent', reason: 'nothing-to-do' });
    expect(await store.continue()).toEqual({ type: 'not-sent', reason: 'nothing-to-do' });
    expect(await store.retry()).toEqual({ type: 'not-sent', reason: 'nothing-to-do' });
  });

  test('retry after a failed continue continues again', async () => {
    const { store, script } = setup();
    script.stream(reply(['Begin'], 'length'));
    await store.send('Q');
    script.fail(new ApiError({ status: 400, message: 'nope' }));
    await store.continue();
    const failed = store.getSnapshot().messages[1]!;
    expect(failed).toMatchObject({ content: 'Begin', finishReason: 'length', error: { message: 'nope' } });
    script.stream(reply([' end']));
    await store.retry();
    expect(store.getSnapshot().messages[1]).toMatchObject({
      id: failed.id,
      content: 'Begin end',
      error: null,
    });
  });

  test('regenerate of a user message id asks for its reply', async () => {
    const { store, script } = setup({ initialMessages: [{ role: 'user', content: 'Q' }] });
    script.stream(reply(['A']));
    await store.regenerate(store.getSnapshot().messages[0]!.id);
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['Q', 'A']);
  });
});

describe('context policy (planContext)', () => {
  const long = 'word '.repeat(200);

  test('turns that do not fit are not sent, the system message is kept, and the snapshot says what was dropped', async () => {
    const { store, script } = setup({
      model: 'gpt-3.5-turbo',
      system: 'Be brief.',
      maxTokens: 20,
      context: { contextWindow: 150 },
      initialMessages: [
        { id: 'old-q', role: 'user', content: long },
        { id: 'old-a', role: 'assistant', content: 'Old answer' },
        { id: 'mid-q', role: 'user', content: 'Short question' },
        { id: 'mid-a', role: 'assistant', content: 'Short answer' },
      ],
    });
    script.stream(reply(['ok']));
    await store.send('New');
    expect(script.requests[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Short question' },
      { role: 'assistant', content: 'Short answer' },
      { role: 'user', content: 'New' },
    ]);
    const snap = store.getSnapshot();
    expect(snap.dropped).toEqual({ messageId: snap.messages.at(-1)!.id, droppedIds: ['old-q', 'old-a'] });
    // The visible conversation is untouched.
    expect(snap.messages).toHaveLength(6);
  });

  test('nothing dropped when it fits; a turn too long even alone fails before sending', async () => {
    const { store, script } = setup({
      model: 'gpt-3.5-turbo',
      maxTokens: 20,
      context: { contextWindow: 150 },
    });
    script.stream(reply(['ok']));
    await store.send('Short');
    expect(store.getSnapshot().dropped).toBeNull();
    const result = await store.send(long);
    expect(result).toMatchObject({ reason: 'error' });
    expect(store.getSnapshot().error?.name).toBe('ContextOverflowError');
    expect(script.requests).toHaveLength(1);
  });
});

describe('AbortError is not a failure', () => {
  test('a transport that throws AbortError itself ends as cancelled', async () => {
    const { store, script, onError } = setup();
    script.stream([chunk('x')], new AbortError());
    await store.send('Hi');
    expect(store.getSnapshot().messages[1]!.status).toBe('stopped');
    expect(onError).not.toHaveBeenCalled();
  });
});
