import { afterAll, describe, expect, it, vi } from 'vitest';

import {
  configureTokenizer,
  countChatTokens,
  measureChatTokens,
  tokenizerEngine,
  type TokenMessage,
} from 'parlance/core';
import { loadEncoding } from '../../src/core/tokens/count';

// A 500-message conversation: English, code, Chinese and emoji, of varied lengths.
function conversation(n: number): TokenMessage[] {
  const pieces = [
    'The context window holds both the prompt and the reply, so a long history leaves less room. ',
    'const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);\n',
    '模型以词元为单位读取文本，上下文窗口包括输入和输出。',
    'Ship it 🚀🎉 — and <|endoftext|> stays plain text. ',
  ];
  const out: TokenMessage[] = [{ role: 'system', content: 'You are a helpful assistant.' }];
  for (let i = 0; i < n - 1; i++) {
    const content =
      Array.from({ length: 3 + (i % 17) }, (_, j) => pieces[(i + j) % pieces.length]).join('') + ` #${i}`;
    out.push({ role: i % 2 ? 'assistant' : 'user', content });
  }
  return out;
}

afterAll(() => {
  configureTokenizer({});
});

describe('the tokenizer in a browser', () => {
  // Structural, not timed: the ranks are fetched and parsed by the workers, never by the page.
  // How long the main thread is busy while they load is a benchmark figure
  // (bench/browser/tokens-cold-start.ts prints the longest main-thread task), not a test.
  it('loads ranks in workers, never on the main thread, and counts 500 messages there', async () => {
    const warn = vi.spyOn(console, 'warn');
    const tokenizer = configureTokenizer({});
    expect(tokenizer.engine).toBe('worker');
    const messages = conversation(500);

    await loadEncoding('o200k_base');
    await loadEncoding('cl100k_base');
    const o200k = await countChatTokens(messages, 'gpt-4o');
    const cl100k = await countChatTokens(messages, 'gpt-4');

    expect(o200k).toBeGreaterThan(20_000);
    expect(cl100k).toBeGreaterThan(o200k * 0.8);

    // Both workers started, and the tokenizer never fell back to building a table on the page (the
    // in-process engine is the only code on the page that imports ranks). Resource timing cannot
    // tell the page's fetches from its module workers' (Chromium lists both), so it is not used.
    const fetched = performance.getEntriesByType('resource').map((e) => e.name);
    expect(fetched.some((url) => url.includes('tokenizer-o200k.worker'))).toBe(true);
    expect(fetched.some((url) => url.includes('tokenizer-cl100k.worker'))).toBe(true);
    expect(tokenizer.engine).toBe('worker');
    // Where the shared tokenizer counts is public, and it never reported a fallback.
    expect(tokenizerEngine()).toBe('worker');
    expect(warn.mock.calls.filter(([message]) => String(message).includes('tokenizer worker'))).toEqual([]);
    warn.mockRestore();
  }, 60_000);

  it('gives the same counts as in-process encoding, and a keystroke re-encodes only the draft', async () => {
    const messages = conversation(500);
    configureTokenizer({});
    const viaWorker = await measureChatTokens(messages, 'gpt-4o');

    // Each message's count is now cached on the main thread: only a new draft goes to the worker.
    const draft: TokenMessage = { role: 'user', content: 'a new draft being typed' };
    const pending = measureChatTokens([...messages, draft], 'gpt-4o');
    expect(pending).toBeInstanceOf(Promise);
    const withDraft = await pending;
    expect(withDraft.perMessage.slice(0, 500)).toEqual(viaWorker.perMessage);

    const inProcess = configureTokenizer({ engine: 'in-process' });
    await inProcess.load('o200k_base');
    const reference = await measureChatTokens(messages, 'gpt-4o');
    expect(reference.tokens).toBe(viaWorker.tokens);
    expect(reference.perMessage).toEqual(viaWorker.perMessage);
  }, 60_000);
});
