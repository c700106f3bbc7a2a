// @vitest-environment jsdom
import { QueryClient } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ParlanceProvider, useTokenCount, type TokenMessage } from 'parlance';
import { configureTokenizer, countTokens, createTokenizerEndpoint } from 'parlance/core';

beforeEach(() => {
  configureTokenizer({ engine: 'in-process' });
});

/** A vLLM-shaped backend counting one token per word (so its counts differ from o200k's). */
function vllmFetch(status = 200) {
  const bodies: Record<string, unknown>[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const url = String(input);
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    bodies.push({ url, ...body });
    if (status !== 200) return new Response('{"error":{"message":"Not Found"}}', { status });
    const words = (t: unknown) => (String(t).match(/\S+/g) ?? []).length;
    const count = Array.isArray(body.messages)
      ? (body.messages as { content: string }[]).reduce((n, m) => n + words(m.content) + 5, 0)
      : words(body.prompt);
    return Response.json({ count, max_model_len: 4_000, tokens: [] });
  });
  return { fetch, bodies };
}

function wrapper(fetch: typeof globalThis.fetch) {
  const client = new QueryClient();
  return ({ children }: { children: ReactNode }) => (
    <ParlanceProvider queryClient={client} baseUrl="http://llm.test/v1" fetch={fetch}>
      {children}
    </ParlanceProvider>
  );
}

describe('useTokenCount with a tokenizer endpoint', () => {
  it('counts an unknown model through the endpoint: exact, after the debounce, with its context window', async () => {
    const { fetch, bodies } = vllmFetch();
    const text = 'antidisestablishmentarianism is long';
    const { result } = renderHook(
      () => useTokenCount(text, { model: 'my-llama', tokenizer: 'auto', debounceMs: 10 }),
      {
        wrapper: wrapper(fetch),
      },
    );
    // The local estimate shows at once, marked as one, while the endpoint is asked.
    await waitFor(() => expect(result.current.count).toBeDefined());
    if (result.current.source !== 'remote') {
      expect(result.current).toMatchObject({ source: 'estimate', isApproximate: true });
    }
    await waitFor(() => expect(result.current.source).toBe('remote'));
    expect(result.current).toMatchObject({
      count: 3,
      isApproximate: false,
      status: 'ready',
      contextWindow: 4_000,
      remaining: 3_997,
    });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ url: 'http://llm.test/tokenize', prompt: text, model: 'my-llama' });
    expect(await countTokens(text, 'my-llama')).not.toBe(3);

    // Another hook with the same provider settings shares the endpoint: its cached count shows on
    // the first render, with no new request.
    const again = renderHook(
      () => useTokenCount(text, { model: 'my-llama', tokenizer: 'auto', debounceMs: 10 }),
      {
        wrapper: wrapper(fetch),
      },
    );
    expect(again.result.current).toMatchObject({ source: 'remote', count: 3, status: 'ready' });
    expect(bodies).toHaveLength(1);
  });

  it('counts a conversation through the endpoint’s chat template', async () => {
    const { fetch, bodies } = vllmFetch();
    const messages: TokenMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
    ];
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://llm.test/v1', kind: 'vllm', fetch });
    const { result } = renderHook(() =>
      useTokenCount(messages, {
        model: 'my-llama',
        tokenizer: 'auto',
        tokenizerEndpoint: endpoint,
        debounceMs: 0,
      }),
    );
    await waitFor(() => expect(result.current.source).toBe('remote'));
    expect(result.current.count).toBe(2 + 5 + 1 + 5);
    expect(bodies[0]).toMatchObject({ messages, add_generation_prompt: true });
  });

  it('keeps a known model local unless asked for remote, and never asks by default or with tokenizer: local', async () => {
    const { fetch, bodies } = vllmFetch();
    const auto = renderHook(
      () => useTokenCount('one two', { model: 'gpt-4o', tokenizer: 'auto', debounceMs: 0 }),
      {
        wrapper: wrapper(fetch),
      },
    );
    await waitFor(() => expect(auto.result.current.status).toBe('ready'));
    expect(auto.result.current).toMatchObject({ source: 'local', isApproximate: false, count: 2 });

    // By default (`local`) nothing is asked, even for a model Parlance does not know.
    const byDefault = renderHook(() => useTokenCount('ten eleven', { model: 'y', debounceMs: 0 }), {
      wrapper: wrapper(fetch),
    });
    await waitFor(() => expect(byDefault.result.current.status).toBe('ready'));
    expect(byDefault.result.current).toMatchObject({ source: 'estimate', isApproximate: true });

    const local = renderHook(() => useTokenCount('three four five', { model: 'x', tokenizer: 'local' }), {
      wrapper: wrapper(fetch),
    });
    await waitFor(() => expect(local.result.current.status).toBe('ready'));
    expect(local.result.current.source).toBe('estimate');
    expect(bodies).toHaveLength(0);

    const remote = renderHook(
      () => useTokenCount('six seven eight nine', { model: 'gpt-4o', tokenizer: 'remote', debounceMs: 0 }),
      { wrapper: wrapper(fetch) },
    );
    await waitFor(() => expect(remote.result.current.source).toBe('remote'));
    expect(remote.result.current.count).toBe(4);
    expect(remote.result.current.contextWindow).toBe(128_000);
  });

  it('falls back to the local estimate when the backend has no endpoint, and stops asking', async () => {
    const { fetch, bodies } = vllmFetch(404);
    const { result, rerender } = renderHook(
      ({ text }) => useTokenCount(text, { model: 'missing-model', tokenizer: 'auto', debounceMs: 0 }),
      { wrapper: wrapper(fetch), initialProps: { text: 'first draft' } },
    );
    await waitFor(() => expect(bodies).toHaveLength(1));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current).toMatchObject({ source: 'estimate', isApproximate: true, error: null });
    expect(result.current.count).toBe(await countTokens('first draft', 'missing-model'));
    rerender({ text: 'second draft' });
    const second = await countTokens('second draft', 'x');
    await waitFor(() => expect(result.current.count).toBe(second));
    expect(result.current.status).toBe('ready');
    expect(bodies).toHaveLength(1);
  });

  it('sends only the input that rests, aborting the requests a keystroke replaced', async () => {
    const aborted: string[] = [];
    const fetch = vi.fn<typeof globalThis.fetch>(
      (_input, init) =>
        new Promise((resolve, reject) => {
          const body = JSON.parse(String(init?.body)) as { prompt: string };
          init?.signal?.addEventListener('abort', () => {
            aborted.push(body.prompt);
            reject(new DOMException('aborted', 'AbortError'));
          });
          setTimeout(() => resolve(Response.json({ count: body.prompt.length, max_model_len: 100 })), 40);
        }),
    );
    const endpoint = createTokenizerEndpoint({ baseUrl: 'http://llm.test', kind: 'vllm', fetch });
    const { result, rerender } = renderHook(
      ({ text }) =>
        useTokenCount(text, { model: 'm', tokenizer: 'auto', tokenizerEndpoint: endpoint, debounceMs: 20 }),
      { initialProps: { text: 'a' } },
    );
    rerender({ text: 'ab' }); // within the debounce: 'a' is never sent
    await new Promise((r) => setTimeout(r, 30)); // 'ab' is sent…
    rerender({ text: 'abc' }); // …and aborted by the next keystroke
    await waitFor(() => expect(result.current.source).toBe('remote'));
    expect(result.current.count).toBe(3);
    expect(
      fetch.mock.calls.map(([, init]) => (JSON.parse(String(init?.body)) as { prompt: string }).prompt),
    ).toEqual(['ab', 'abc']);
    expect(aborted).toEqual(['ab']);
  });
});
