import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  AbortError,
  ApiError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
  createTokenizerEndpoint,
  debounceTokenCount,
  type FetchFunction,
} from 'parlance/core';
import { tokenizerRootUrl } from '../../../src/core/tokens/remote';

interface Call {
  url: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A fake backend: `answer` gets each request's path and body and returns the JSON to send. */
function fakeFetch(answer: (path: string, body: Record<string, unknown>) => unknown, status = 200) {
  const calls: Call[] = [];
  const fetch = vi.fn<FetchFunction>(async (url, init) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    calls.push({ url, body, headers: init.headers as Record<string, string> });
    const reply = answer(new URL(url).pathname, body);
    return new Response(typeof reply === 'string' ? reply : JSON.stringify(reply), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return { fetch, calls };
}

/** llama.cpp server: one id per character, plus a BOS when `add_special`; a ChatML-ish template. */
const llamaCpp = (path: string, body: Record<string, unknown>) => {
  if (path === '/apply-template') {
    const messages = body.messages as { role: string; content: string }[];
    return { prompt: messages.map((m) => `<|${m.role}|>${m.content}`).join('') + '<|assistant|>' };
  }
  const content = String(body.content);
  const ids = Array.from(content, (_, i) => 100 + i);
  return { tokens: body.add_special ? [1, ...ids] : ids };
};

/** vLLM: one id per word; a conversation costs its words plus 4 per message and 3 for the reply. */
const vllm = (_path: string, body: Record<string, unknown>) => {
  const words = (text: string) => (text.match(/\S+/g) ?? []).length;
  const count = Array.isArray(body.messages)
    ? (body.messages as { content: string }[]).reduce((n, m) => n + words(m.content) + 4, 3)
    : words(String(body.prompt));
  return { count, max_model_len: 32_768, tokens: Array.from({ length: count }, (_, i) => i) };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('tokenizerRootUrl', () => {
  it('drops a trailing /v1 and slashes, keeping any prefix', () => {
    expect(tokenizerRootUrl('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080');
    expect(tokenizerRootUrl('http://127.0.0.1:8080/v1/')).toBe('http://127.0.0.1:8080');
    expect(tokenizerRootUrl('/api/parlance/v1')).toBe('/api/parlance');
    expect(tokenizerRootUrl('http://host:8000')).toBe('http://host:8000');
  });
});

describe('createTokenizerEndpoint', () => {
  it('rejects a missing baseUrl with a TypeError', () => {
    expect(() => createTokenizerEndpoint({ baseUrl: ' ' })).toThrow(TypeError);
  });

  it('counts through llama.cpp: root /tokenize, content without special tokens, tokens.length', async () => {
    const { fetch, calls } = fakeFetch(llamaCpp);
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://llama.test/v1', kind: 'llama.cpp', fetch });
    expect(endpoint.url).toBe('http://llama.test/tokenize');
    const result = await endpoint.count('hello', { model: 'qwen' });
    expect(result).toEqual({ tokens: 5, kind: 'llama.cpp', maxModelLen: null });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://llama.test/tokenize');
    expect(calls[0]!.body).toEqual({ content: 'hello', add_special: false });
    expect(endpoint.status).toBe('available');
  });

  it('counts through vLLM: model and prompt, reads count and max_model_len', async () => {
    const { fetch, calls } = fakeFetch(vllm);
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://vllm.test/v1', kind: 'vllm', fetch });
    const result = await endpoint.count('one two three', { model: 'meta-llama/Llama-3.1-8B' });
    expect(result).toEqual({ tokens: 3, kind: 'vllm', maxModelLen: 32_768 });
    expect(calls[0]!.body).toEqual({
      model: 'meta-llama/Llama-3.1-8B',
      prompt: 'one two three',
      add_special_tokens: false,
    });
  });

  it('tells the kind from the first answer in auto mode, then sends that server’s own body', async () => {
    for (const [server, kind] of [
      [llamaCpp, 'llama.cpp'],
      [vllm, 'vllm'],
    ] as const) {
      const { fetch, calls } = fakeFetch(server);
      const endpoint = createTokenizerEndpoint({ baseUrl: 'http://backend.test/v1', fetch });
      expect(endpoint.kind).toBeNull();
      const first = await endpoint.count('a b', { model: 'm' });
      expect(first.kind).toBe(kind);
      expect(first.tokens).toBe(kind === 'llama.cpp' ? 3 : 2);
      expect(calls[0]!.body).toMatchObject({ content: 'a b', prompt: 'a b' });
      expect(endpoint.kind).toBe(kind);
      await endpoint.count('c d', { model: 'm' });
      expect(Object.keys(calls[1]!.body).sort()).toEqual(
        kind === 'llama.cpp' ? ['add_special', 'content'] : ['add_special_tokens', 'model', 'prompt'],
      );
    }
  });

  it('falls back to vLLM’s own body when a strict server refuses the combined one', async () => {
    const { fetch, calls } = fakeFetch((_path, body) =>
      'content' in body ? { error: { message: 'extra fields not permitted' } } : vllm('', body),
    );
    const strict = vi.fn<FetchFunction>(async (url, init) => {
      const response = await fetch(url, init);
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      return 'content' in body ? new Response(await response.text(), { status: 422 }) : response;
    });
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://strict.test/v1', fetch: strict });
    expect(await endpoint.count('x y', { model: 'm' })).toEqual({
      tokens: 2,
      kind: 'vllm',
      maxModelLen: 32_768,
    });
    expect(calls.map((c) => Object.keys(c.body).sort())).toEqual([
      ['add_special', 'add_special_tokens', 'content', 'model', 'prompt'],
      ['add_special_tokens', 'model', 'prompt'],
    ]);
    expect(endpoint.status).toBe('available');
  });

  it('counts a conversation: vLLM through messages, llama.cpp through /apply-template then /tokenize', async () => {
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi there' },
    ];
    const v = fakeFetch(vllm);
    const viaVllm = createTokenizerEndpoint({ baseUrl: 'http://vllm.test/v1', kind: 'vllm', fetch: v.fetch });
    expect((await viaVllm.countChat(messages, { model: 'm' })).tokens).toBe(2 + 2 + 4 + 4 + 3);
    expect(v.calls[0]!.body).toEqual({ model: 'm', messages, add_generation_prompt: true });

    const l = fakeFetch(llamaCpp);
    const viaLlama = createTokenizerEndpoint({ baseUrl: 'http://llama.test', fetch: l.fetch });
    const rendered = '<|system|>be brief<|user|>hi there<|assistant|>';
    expect((await viaLlama.countChat(messages)).tokens).toBe(rendered.length + 1);
    // Auto mode: one empty probe tells the kind, then the template and the tokens.
    expect(l.calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/tokenize',
      '/apply-template',
      '/tokenize',
    ]);
    expect(l.calls[2]!.body).toEqual({ content: rendered, add_special: true, parse_special: true });
  });

  it('caches counts (LRU) per model and input, and peek reads the cache without a request', async () => {
    const { fetch, calls } = fakeFetch(vllm);
    const endpoint = createTokenizerEndpoint({
      baseUrl: 'http://vllm.test',
      kind: 'vllm',
      fetch,
      cacheSize: 2,
    });
    expect(endpoint.peek('a', 'm')).toBeUndefined();
    await endpoint.count('a', { model: 'm' });
    await endpoint.count('a', { model: 'm' });
    expect(calls).toHaveLength(1);
    expect(endpoint.peek('a', 'm')?.tokens).toBe(1);
    expect(endpoint.peek('a', 'other')).toBeUndefined();
    await endpoint.count('b c', { model: 'm' });
    await endpoint.count('a', { model: 'm' }); // refreshes 'a'
    await endpoint.count('d e f', { model: 'm' }); // evicts 'b c', the least recently used
    expect(calls).toHaveLength(3);
    expect(endpoint.peek('a', 'm')?.tokens).toBe(1);
    expect(endpoint.peek('b c', 'm')).toBeUndefined();
    endpoint.reset();
    expect(endpoint.peek('a', 'm')).toBeUndefined();
  });

  it('sends the headers and the key, and no key when none is given', async () => {
    const { fetch, calls } = fakeFetch(vllm);
    await createTokenizerEndpoint({
      baseUrl: 'http://vllm.test/v1',
      fetch,
      headers: { 'x-team': 'a' },
      apiKey: 'sk-test',
    }).count('x');
    expect(calls[0]!.headers).toMatchObject({ 'x-team': 'a', authorization: 'Bearer sk-test' });
    await createTokenizerEndpoint({ baseUrl: 'http://vllm.test/v1', fetch }).count('y');
    expect(calls[1]!.headers.authorization).toBeUndefined();
  });

  it('marks a backend without the endpoint unavailable, and asks again only after retryAfterMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { fetch, calls } = fakeFetch(() => ({ error: { message: 'Not Found', type: 'not_found' } }), 404);
    const endpoint = createTokenizerEndpoint({
      baseUrl: 'http://openai.test/v1',
      fetch,
      retryAfterMs: 1_000,
    });
    const first = await endpoint.count('hi').catch((e: unknown) => e);
    expect(ApiError.isInstance(first) && first.status).toBe(404);
    expect(endpoint.status).toBe('unavailable');
    const second = await endpoint.count('other').catch((e: unknown) => e);
    expect(second).toBe(first);
    expect(calls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 1_001);
    expect(endpoint.status).toBe('unknown');
    await endpoint.count('again').catch(() => undefined);
    expect(calls).toHaveLength(2);
  });

  it('gives typed errors: 5xx stays retryable and available, HTML is malformed, a dead host is a NetworkError', async () => {
    const busy = createTokenizerEndpoint({
      baseUrl: 'http://vllm.test',
      fetch: fakeFetch(() => ({ error: { message: 'busy' } }), 503).fetch,
    });
    const e503 = await busy.count('x').catch((e: unknown) => e);
    expect(ApiError.isInstance(e503) && e503.isRetryable).toBe(true);
    expect(busy.status).toBe('unknown');

    const html = createTokenizerEndpoint({
      baseUrl: 'http://spa.test',
      fetch: fakeFetch(() => '<!doctype html><p>app</p>').fetch,
    });
    const eHtml = await html.count('x').catch((e: unknown) => e);
    expect(MalformedResponseError.isInstance(eHtml)).toBe(true);
    expect(html.status).toBe('unavailable');

    const shapeless = createTokenizerEndpoint({
      baseUrl: 'http://odd.test',
      fetch: fakeFetch(() => ({})).fetch,
    });
    expect(MalformedResponseError.isInstance(await shapeless.count('x').catch((e: unknown) => e))).toBe(true);

    const dead = createTokenizerEndpoint({
      baseUrl: 'http://dead.test',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    const eDead = await dead.count('x').catch((e: unknown) => e);
    expect(NetworkError.isInstance(eDead)).toBe(true);
  });

  it('times out with a TimeoutError and cancels with an AbortError', async () => {
    const hang: FetchFunction = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    const slow = createTokenizerEndpoint({ baseUrl: 'http://slow.test', fetch: hang, timeoutMs: 20 });
    expect(TimeoutError.isInstance(await slow.count('x').catch((e: unknown) => e))).toBe(true);
    expect(slow.status).toBe('unknown');

    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://slow.test', fetch: hang });
    const controller = new AbortController();
    const pending = endpoint.count('x', { signal: controller.signal });
    controller.abort();
    expect(AbortError.isInstance(await pending.catch((e: unknown) => e))).toBe(true);
    const already = await endpoint.count('x', { signal: controller.signal }).catch((e: unknown) => e);
    expect(AbortError.isInstance(already)).toBe(true);
  });
});

describe('debounceTokenCount', () => {
  it('sends only the input that rests for the delay; earlier calls reject with AbortError', async () => {
    const { fetch, calls } = fakeFetch(vllm);
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://vllm.test', kind: 'vllm', fetch });
    const counter = debounceTokenCount(endpoint, { delayMs: 30 });
    const typed = ['h', 'he', 'hel lo'].map((text) => counter.count(text, { model: 'm' }));
    const settled = await Promise.allSettled(typed);
    expect(settled.slice(0, 2).every((s) => s.status === 'rejected' && AbortError.isInstance(s.reason))).toBe(
      true,
    );
    expect(settled[2]).toEqual({
      status: 'fulfilled',
      value: { tokens: 2, kind: 'vllm', maxModelLen: 32_768 },
    });
    expect(calls.map((c) => c.body.prompt)).toEqual(['hel lo']);
  });

  it('answers a cached input at once, and cancel() or the caller’s signal drops a pending count', async () => {
    const { fetch, calls } = fakeFetch(vllm);
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://vllm.test', kind: 'vllm', fetch });
    await endpoint.count('warm', { model: 'm' });
    const counter = debounceTokenCount(endpoint, { delayMs: 10_000 });
    expect((await counter.count('warm', { model: 'm' })).tokens).toBe(1);

    const pending = counter.count('cold text', { model: 'm' });
    counter.cancel();
    expect(AbortError.isInstance(await pending.catch((e: unknown) => e))).toBe(true);

    const controller = new AbortController();
    const signalled = counter.count('cold text', { model: 'm', signal: controller.signal });
    controller.abort();
    expect(AbortError.isInstance(await signalled.catch((e: unknown) => e))).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('debounces conversations too', async () => {
    const { fetch, calls } = fakeFetch(vllm);
    const counter = debounceTokenCount(
      createTokenizerEndpoint({ baseUrl: 'http://v.test', kind: 'vllm', fetch }),
      {
        delayMs: 5,
      },
    );
    const result = await counter.count([{ role: 'user', content: 'a b c' }], { model: 'm' });
    expect(result.tokens).toBe(3 + 4 + 3);
    expect(calls[0]!.body.messages).toEqual([{ role: 'user', content: 'a b c' }]);
  });
});
