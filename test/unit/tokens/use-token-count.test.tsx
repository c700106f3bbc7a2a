// @vitest-environment jsdom
import { QueryClient } from '@tanstack/react-query';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { getEncoding } from 'js-tiktoken';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';

import { ParlanceProvider, useTokenCount, type TokenMessage } from 'parlance';
import { configureTokenizer, countChatTokens } from 'parlance/core';

const o200k = getEncoding('o200k_base');

beforeEach(() => {
  configureTokenizer({ engine: 'in-process' });
});

function Meter({ model, initial = '' }: { model?: string; initial?: string }) {
  const [draft, setDraft] = useState(initial);
  const { count, status, remaining, contextWindow, isApproximate } = useTokenCount(draft, { model });
  return (
    <div>
      <label>
        Message
        <textarea value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      <output aria-label="tokens" data-status={status} data-approximate={String(isApproximate)}>
        {count ?? '…'} / {contextWindow} ({remaining ?? '…'} left)
      </output>
    </div>
  );
}

describe('useTokenCount', () => {
  it('shows loading, then the exact count, and follows the draft', async () => {
    const client = new QueryClient();
    render(
      <ParlanceProvider queryClient={client} model="gpt-4o">
        <Meter initial="tiktoken is great!" />
      </ParlanceProvider>,
    );
    const output = screen.getByRole('status', { name: 'tokens' });
    expect(output.dataset.status).toBe('loading');
    await waitFor(() => expect(output.dataset.status).toBe('ready'), { timeout: 15_000 });
    expect(output.textContent).toBe('6 / 128000 (127994 left)');
    expect(output.dataset.approximate).toBe('false');

    const textarea = screen.getByRole('textbox', { name: 'Message' });
    const next = 'tiktoken is great! <|endoftext|> 你好';
    act(() => {
      // A controlled textarea: set the value the way React listens for it.
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      setter.call(textarea, next);
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const expected = o200k.encode(next, [], []).length;
    await waitFor(() => expect(output.textContent).toBe(`${expected} / 128000 (${128000 - expected} left)`));
  });

  it('loads the tokenizer once for every component, through the shared query', async () => {
    const client = new QueryClient();
    render(
      <ParlanceProvider queryClient={client}>
        <Meter model="gpt-4o" initial="a" />
        <Meter model="gpt-4o-mini" initial="b" />
      </ParlanceProvider>,
    );
    await waitFor(
      () => expect(screen.getAllByRole('status').every((o) => o.dataset.status === 'ready')).toBe(true),
      {
        timeout: 15_000,
      },
    );
    const queries = client.getQueryCache().findAll({ queryKey: ['parlance', 'tokenizer'] });
    expect(queries.map((q) => q.queryKey)).toEqual([['parlance', 'tokenizer', 'o200k_base']]);
  });

  it('counts a conversation without a provider, flags an unknown model', async () => {
    const messages: TokenMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello!' },
    ];
    const { result } = renderHook(() => useTokenCount(messages, { model: 'some-local-model' }));
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 15_000 });
    expect(result.current.count).toBe(await countChatTokens(messages, 'some-local-model'));
    expect(result.current.isApproximate).toBe(true);
    expect(result.current.contextWindow).toBe(8_192);
    expect(result.current.remaining).toBe(8_192 - result.current.count!);
  });
});
