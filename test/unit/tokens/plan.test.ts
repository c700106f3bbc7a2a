import { beforeAll, describe, expect, it } from 'vitest';

import {
  configureTokenizer,
  ContextOverflowError,
  countChatTokens,
  keepFirstLast,
  ParlanceError,
  planContext,
  registerModel,
  type ContextPolicy,
  type TokenMessage,
} from 'parlance/core';

type Msg = TokenMessage & { id: string; content: string };

// An approximate model makes sizes easy to reason about: 4 Latin characters per token.
const MODEL = 'test-budget-model';
const words = (tokens: number) => 'abcd'.repeat(tokens);
const msg = (id: string, role: string, tokens: number): Msg => ({ id, role, content: words(tokens) });

beforeAll(() => {
  configureTokenizer({ engine: 'in-process' });
  registerModel(MODEL, { encoding: 'approximate', contextWindow: 1_000, maxOutputTokens: 1_000 });
});

/** system, then `n` user/assistant turns of 100 tokens per message, then a new user message. */
function conversation(n: number): Msg[] {
  const out: Msg[] = [msg('sys', 'system', 50)];
  for (let i = 0; i < n; i++) out.push(msg(`u${i}`, 'user', 100), msg(`a${i}`, 'assistant', 100));
  out.push(msg('new', 'user', 20));
  return out;
}
const ids = (ms: readonly Msg[]) => ms.map((m) => m.id);

describe('planContext', () => {
  it('sends everything when it fits, with the exact prompt count', async () => {
    const messages = conversation(2);
    const plan = await planContext({ messages, model: MODEL, maxTokens: 200 });
    expect(plan.dropped).toEqual([]);
    expect(ids(plan.messages)).toEqual(ids(messages));
    expect(plan.promptTokens).toBe(await countChatTokens(messages, MODEL));
    expect(plan.replyRoom).toBe(1_000 - plan.promptTokens);
    expect(plan.warning).toBeUndefined();
    expect(plan.isApproximate).toBe(true);
  });

  it('dropOldest drops whole turns, oldest first, never system or the newest turn', async () => {
    const plan = await planContext({ messages: conversation(5), model: MODEL, maxTokens: 200 });
    // budget 800; pinned: system 55 + new 24 + primer 3 = 82; each turn (100+1+3)+(100+3+3) = 210 → 3 fit.
    expect(ids(plan.dropped)).toEqual(['u0', 'a0', 'u1', 'a1']);
    expect(ids(plan.messages)).toEqual(['sys', 'u2', 'a2', 'u3', 'a3', 'u4', 'a4', 'new']);
    expect(plan.promptTokens).toBeLessThanOrEqual(800);
    expect(plan.promptTokens).toBe(await countChatTokens(plan.messages, MODEL));
  });

  it('keepFirstLast keeps the first and last turns and drops the middle', async () => {
    const plan = await planContext({
      messages: conversation(5),
      model: MODEL,
      maxTokens: 200,
      policy: keepFirstLast({ first: 1, last: 2 }),
    });
    expect(ids(plan.messages)).toEqual(['sys', 'u0', 'a0', 'u3', 'a3', 'u4', 'a4', 'new']);
    expect(ids(plan.dropped)).toEqual(['u1', 'a1', 'u2', 'a2']);
  });

  it('keepFirstLast gives up the first turns next when the middle is not enough', async () => {
    const plan = await planContext({
      messages: conversation(5),
      model: MODEL,
      maxTokens: 500,
      policy: keepFirstLast({ first: 1, last: 3 }),
    });
    // budget 500 − 82 pinned: one turn fits; the newest droppable turn is the last kept.
    expect(ids(plan.messages)).toEqual(['sys', 'u4', 'a4', 'new']);
  });

  it('takes a custom policy, and still guarantees a fit', async () => {
    const seen: number[] = [];
    const keepShortest: ContextPolicy<Msg> = ({ turns, available }) => {
      seen.push(turns.length, available);
      return turns.filter((t) => t.messages.some((m) => m.role === 'user' && m.id === 'u1'));
    };
    const plan = await planContext({
      messages: conversation(5),
      model: MODEL,
      maxTokens: 200,
      policy: keepShortest,
    });
    expect(seen).toEqual([5, 800 - 82]);
    expect(ids(plan.messages)).toEqual(['sys', 'u1', 'a1', 'new']);

    const greedy: ContextPolicy<Msg> = ({ turns }) => turns;
    const fitted = await planContext({
      messages: conversation(5),
      model: MODEL,
      maxTokens: 200,
      policy: greedy,
    });
    expect(fitted.promptTokens).toBeLessThanOrEqual(800);
  });

  it('keeps system messages wherever they are', async () => {
    const messages = [...conversation(4)];
    messages.splice(3, 0, msg('sys2', 'system', 10));
    const plan = await planContext({ messages, model: MODEL, maxTokens: 300 });
    expect(ids(plan.messages)).toContain('sys2');
    expect(ids(plan.dropped)).not.toContain('sys2');
  });

  it('throws ContextOverflowError, with the counts, when the kept messages alone do not fit', async () => {
    const messages = [msg('sys', 'system', 600), msg('u', 'user', 600)];
    let error: unknown;
    try {
      await planContext({ messages, model: MODEL });
    } catch (e) {
      error = e;
    }
    expect(ContextOverflowError.isInstance(error)).toBe(true);
    expect(ParlanceError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ContextOverflowError',
      promptTokens: await countChatTokens(messages, MODEL),
      contextWindow: 1_000,
    });
    expect(ContextOverflowError.isInstance(new Error('x'))).toBe(false);
  });

  it('warns before sending when the prompt leaves almost no room for the reply', async () => {
    // The spec's case: a 4,090-token prompt on a 4,096-token window leaves 6 for the reply.
    registerModel('test-4k', { encoding: 'approximate', contextWindow: 4_096, maxOutputTokens: 4_096 });
    const overhead = await countChatTokens([{ role: 'user', content: '' }], 'test-4k');
    const messages = [msg('u', 'user', 4_090 - overhead)];
    const plan = await planContext({ messages, model: 'test-4k', maxTokens: 500 });
    expect(plan.promptTokens).toBe(4_090);
    expect(plan.replyRoom).toBe(6);
    expect(plan.warning).toMatchObject({ code: 'reply-room-low', replyRoom: 6, wanted: 500 });
    expect(plan.dropped).toEqual([]);
  });

  it('is synchronous when every count is known, a promise otherwise', async () => {
    configureTokenizer({ engine: 'in-process' });
    const messages: TokenMessage[] = [{ role: 'user', content: `fresh ${Math.random()}` }];
    const first = planContext({ messages, model: 'gpt-4o' });
    expect(first).toBeInstanceOf(Promise);
    await first;
    const second = planContext({ messages, model: 'gpt-4o' });
    expect(second).not.toBeInstanceOf(Promise);
  });
});
