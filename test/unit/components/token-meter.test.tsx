// @vitest-environment jsdom
import { cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import {
  ChatWindow,
  ParlanceProvider,
  TokenMeter,
  useTokenBudget,
  useTokenCount,
  type TokenMessage,
} from 'parlance';
import { configureTokenizer, countChatTokens, type ChatTransport, type ModelPrices } from 'parlance/core';

beforeEach(() => {
  configureTokenizer({ engine: 'in-process' });
});
afterEach(cleanup);

// Example prices for the tests only: Parlance ships none.
const prices: ModelPrices = { 'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 } };

const messages: TokenMessage[] = [
  { role: 'system', content: 'You are helpful.' },
  { role: 'user', content: 'Hello!' },
];

describe('cost before sending', () => {
  test('useTokenCount prices the next request and the conversation so far', async () => {
    const conversation = [
      ...messages,
      {
        role: 'assistant',
        content: 'Hi!',
        usage: {
          prompt_tokens: 2_000,
          completion_tokens: 800,
          total_tokens: 2_800,
          prompt_tokens_details: { cached_tokens: 1_000 },
        },
      },
      { role: 'user', content: 'More?' },
    ] as TokenMessage[];
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ParlanceProvider prices={prices}>{children}</ParlanceProvider>
    );
    const { result } = renderHook(() => useTokenCount(conversation, { model: 'gpt-4o', maxTokens: 20 }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 15_000 });
    const count = await countChatTokens(conversation, 'gpt-4o');
    expect(result.current.cost?.input).toBeCloseTo((count * 2.5) / 1e6, 12);
    expect(result.current.cost?.maxOutput).toBeCloseTo((20 * 10) / 1e6, 12);
    expect(result.current.conversationCost?.total).toBeCloseTo(0.01175, 12);
    expect(result.current.cost?.currency).toBe('USD');
  });

  test('no price, no cost', async () => {
    const { result } = renderHook(() => useTokenCount(messages, { model: 'gpt-4o' }));
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 15_000 });
    expect(result.current.cost).toBeUndefined();
    expect(result.current.conversationCost).toBeUndefined();
  });

  test('useTokenBudget: reply room honours max_tokens, cost uses it, status says when figures are current', async () => {
    const request = { model: 'gpt-4o', max_tokens: 20, messages };
    const { result } = renderHook(() => useTokenBudget(request, { context: false, prices }));
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 15_000 });
    const count = await countChatTokens(messages, 'gpt-4o');
    expect(result.current.promptTokens).toBe(count);
    expect(result.current.replyRoom).toBe(20);
    expect(result.current.cost?.total).toBeCloseTo((count * 2.5 + 20 * 10) / 1e6, 12);
  });

  test('TokenMeter shows the cost in the locale’s currency format', async () => {
    render(
      <ParlanceProvider locale="zh-CN" prices={prices}>
        <TokenMeter model="gpt-4o" maxTokens={1_000} messages={messages} />
      </ParlanceProvider>,
    );
    const cost = await screen.findByText(/^最多 /, {}, { timeout: 15_000 });
    const count = await countChatTokens(messages, 'gpt-4o');
    const total = (count * 2.5 + 1_000 * 10) / 1e6;
    const money = new Intl.NumberFormat('zh-CN', {
      style: 'currency',
      currency: 'USD',
      maximumSignificantDigits: 4,
      minimumSignificantDigits: 1,
    }).format(total);
    expect(cost.textContent).toBe(`最多 ${money}`);
    expect(screen.getByText('下一次请求')).toBeTruthy();
    expect(document.querySelector('[data-slot="reply-room"]')?.textContent).toBe('1,000');
  });

  test('TokenMeter shows no cost without a price', async () => {
    render(<TokenMeter model="gpt-4o" messages={messages} />);
    await waitFor(
      () => expect(document.querySelector('[data-slot="prompt-tokens"]')?.textContent).toMatch(/^\d+$/),
      {
        timeout: 15_000,
      },
    );
    expect(document.querySelector('[data-slot="request-cost"]')).toBeNull();
  });
});

describe('budget in ChatWindow', () => {
  test('warns before sending, refuses to send, shows why and keeps the draft', async () => {
    const send = vi.fn<ChatTransport['send']>();
    const { container } = render(
      <ParlanceProvider locale="en" prices={prices}>
        <ChatWindow
          model="gpt-4o"
          transport={{ send }}
          maxTokens={2_000}
          budget={{ maxCostPerRequest: 0.01 }}
        />
      </ParlanceProvider>,
    );
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'Write me a long story.' } });
    const meter = container.querySelector<HTMLElement>('[data-slot="token-meter"]')!;
    // Up to 2,000 reply tokens × $10 per million = $0.02: over the $0.01 cap.
    await waitFor(() => expect(meter.dataset.state).toBe('over-budget'), { timeout: 15_000 });
    expect(meter.textContent).toMatch(/could cost up to \$0\.02\d*, over the limit of \$0\.01 per request/);

    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Not sent: this request could cost up to \$0\.02/);
    expect(send).not.toHaveBeenCalled();
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe('Write me a long story.'));
    expect(container.querySelectorAll('[data-role="user"]')).toHaveLength(0);
  });
});
