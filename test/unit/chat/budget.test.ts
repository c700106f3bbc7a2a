import { beforeEach, describe, expect, test, vi } from 'vitest';

import {
  BudgetExceededError,
  ChatConfigError,
  configureTokenizer,
  countChatTokens,
  createChatStore,
  type ChatOptions,
  type ModelPrices,
} from 'parlance/core';

import { reply, scriptedTransport, sequentialIds } from './scripted-transport';

beforeEach(() => {
  configureTokenizer({ engine: 'in-process' });
});

// Example prices for the tests only: Parlance ships none.
const prices: ModelPrices = { 'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 } };

function setup(options: ChatOptions = {}) {
  const script = scriptedTransport();
  const onError = vi.fn<(error: Error) => void>();
  const store = createChatStore({
    model: 'gpt-4o',
    transport: script.transport,
    generateId: sequentialIds(),
    throttle: 0,
    prices,
    onError,
    ...options,
  });
  return { store, script, onError };
}

describe('useChat budget (in the store)', () => {
  test('refuses a request that could cost more than maxCostPerRequest: nothing sent, nothing added', async () => {
    // 100 prompt-ish tokens × $2.5/M + 1,000 reply tokens × $10/M ≈ $0.01025: over a $0.01 cap.
    const { store, script, onError } = setup({ maxTokens: 1_000, budget: { maxCostPerRequest: 0.01 } });
    const result = await store.send('Hello there');
    expect(result).toMatchObject({ type: 'not-sent', reason: 'budget' });
    expect(script.requests).toHaveLength(0);
    expect(store.getSnapshot().messages).toEqual([]);
    const error = store.getSnapshot().error;
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    const promptTokens = await countChatTokens([{ role: 'user', content: 'Hello there' }], 'gpt-4o');
    expect(error).toMatchObject({
      name: 'BudgetExceededError',
      limit: 'request',
      cap: 0.01,
      currency: 'USD',
      model: 'gpt-4o',
      promptTokens,
      maxReplyTokens: 1_000,
    });
    expect((error as BudgetExceededError).estimatedCost).toBeCloseTo(
      (promptTokens * 2.5 + 1_000 * 10) / 1e6,
      12,
    );
    expect(onError).toHaveBeenCalledWith(error);
  });

  test('sends a request under the cap', async () => {
    const { store, script } = setup({ maxTokens: 100, budget: { maxCostPerRequest: 0.01 } });
    script.stream(reply(['Hi!'], 'stop', { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 }));
    const result = await store.send('Hello there');
    expect(result.type).toBe('finished');
    expect(script.requests).toHaveLength(1);
    expect(store.getSnapshot().status).toBe('idle');
  });

  test('maxCost counts what the conversation has spent (cached tokens at their price)', async () => {
    const { store, script } = setup({ maxTokens: 100, budget: { maxCost: 0.0125 } });
    const usage = {
      prompt_tokens: 2_000,
      completion_tokens: 800,
      total_tokens: 2_800,
      prompt_tokens_details: { cached_tokens: 1_000 },
    };
    script.stream(reply(['First.'], 'stop', usage));
    expect((await store.send('One')).type).toBe('finished'); // about $0.001 at most
    // Spent: 1,000 × 2.5 + 1,000 × 1.25 (cached) + 800 × 10, per million = $0.01175.
    const result = await store.send('Two');
    expect(result).toMatchObject({ type: 'not-sent', reason: 'budget' });
    const error = store.getSnapshot().error as BudgetExceededError;
    expect(error.limit).toBe('conversation');
    expect(error.spent).toBeCloseTo(0.01175, 12);
    expect(error.estimatedCost).toBeGreaterThan(0.0125);
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['One', 'First.']);
    expect(script.requests).toHaveLength(1);
  });

  test('regenerate is held to the budget too', async () => {
    const { store, script } = setup({ maxTokens: 100 });
    script.stream(reply(['First.']));
    await store.send('One');
    store.setOptions({ ...store.options, budget: { maxCostPerRequest: 0.0001 } });
    expect(await store.regenerate()).toMatchObject({ type: 'not-sent', reason: 'budget' });
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['One', 'First.']);
  });

  test('a budget without a price for the model refuses with a ChatConfigError naming `prices`', async () => {
    const { store, script } = setup({ model: 'my-local-model', budget: { maxCost: 1 } });
    const result = await store.send('Hello');
    expect(result).toMatchObject({ type: 'not-sent', reason: 'budget' });
    const error = store.getSnapshot().error;
    expect(ChatConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ option: 'prices' });
    expect(script.requests).toHaveLength(0);
  });
});
