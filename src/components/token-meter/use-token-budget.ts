import { useEffect, useMemo, useState } from 'react';

import {
  estimateCost,
  estimateRequestCost,
  findModelPrice,
  planChatRequest,
  sumUsage,
  type ChatContextOptions,
  type ChatRequestDraft,
  type ChatRequestPlan,
  type ChatTransportRequest,
  type CompletionUsage,
  type CostEstimate,
  type ModelPrices,
  type RequestCostEstimate,
  type TokenMessage,
  type TokenTool,
} from '../../core';
import { useParlanceConfig } from '../../hooks/parlance-provider';
import { useTokenCount } from '../../hooks/use-token-count';

/** The figures a {@link TokenMeter} shows. */
export interface TokenBudget {
  /** Prompt tokens of what will be sent (after trimming), as `usage.prompt_tokens` will report them. */
  promptTokens: number | undefined;
  /**
   * The most tokens the reply can have: the room left in the window, capped by the request's
   * `max_tokens` (or `max_completion_tokens`) and the model's output limit.
   */
  replyRoom: number | undefined;
  /** The model's context window. */
  contextWindow: number;
  /** Messages trimming will leave out, and their tokens. */
  droppedCount: number;
  droppedTokens: number;
  /** Nothing fits even after trimming. */
  overflow: boolean;
  isApproximate: boolean;
  /**
   * `ready` when the figures are those of the current input; `loading` while the tokenizer
   * loads, `counting` while the input is counted (figures of the previous input), `error`.
   */
  status?: 'loading' | 'counting' | 'ready' | 'error';
  /** The estimated cost of the next request, when a price for the model is known. */
  cost?: RequestCostEstimate | undefined;
  /** The cost of the conversation so far (from each reply's `usage`), when a price is known. */
  conversationCost?: CostEstimate | undefined;
}

/** The next request, as the wire body (`buildChatRequest` or `chat.store.previewRequest(draft)` give one). */
export type TokenBudgetRequest = Pick<
  ChatTransportRequest,
  'model' | 'max_tokens' | 'max_completion_tokens'
> & {
  messages: readonly TokenMessage[];
  tools?: readonly TokenTool[];
};

/** Options of {@link useTokenBudget}. */
export interface UseTokenBudgetOptions {
  /** The model, when the input is a list of messages. Default: the provider's. */
  model?: string | undefined;
  /** The reply's `max_tokens`, when the input is a list of messages. */
  maxTokens?: number | undefined;
  /**
   * How the request is trimmed before it is sent, as `useChat({ context })`: `false` when nothing
   * is trimmed (`useChat` without `context`). Default `{}`: trimmed by `dropOldest()`.
   */
  context?: ChatContextOptions | false | undefined;
  /** Prices per model; default: the provider's. */
  prices?: ModelPrices | undefined;
  /** The conversation's usage so far, for `conversationCost`. Default: the messages' own `usage`, summed. */
  usage?: CompletionUsage | undefined;
}

const TRIM_BY_DEFAULT: ChatContextOptions = {};

function toDraft(
  input: readonly TokenMessage[] | TokenBudgetRequest,
  model: string | undefined,
  maxTokens: number | undefined,
): ChatRequestDraft {
  if (!Array.isArray(input)) {
    const request = input as TokenBudgetRequest;
    return {
      body: request as unknown as ChatTransportRequest,
      sources: request.messages.map(() => null),
    };
  }
  const messages = input as readonly TokenMessage[];
  const body = { model: model ?? '', messages } as unknown as ChatTransportRequest;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  return { body, sources: messages.map((m) => m as never) };
}

/**
 * Counts the next request exactly as it will be sent — system message, instructions, names, image
 * parts and tool definitions included — plans what trimming will leave out, and prices it when a
 * price is known. Give it the wire body of the next request (`chat.store.previewRequest(draft)`
 * for a `useChat` conversation), or a list of messages with `model` and `maxTokens`.
 *
 * @example
 * const budget = useTokenBudget(chat.store.previewRequest(draft), { context: false });
 * budget.promptTokens // equals the reply's usage.prompt_tokens
 */
export function useTokenBudget(
  input: readonly TokenMessage[] | TokenBudgetRequest,
  options: UseTokenBudgetOptions = {},
): TokenBudget {
  const config = useParlanceConfig();
  const { maxTokens, context = TRIM_BY_DEFAULT } = options;
  const draft = useMemo(
    () => toDraft(input, options.model ?? config.model, maxTokens),
    [input, options.model, config.model, maxTokens],
  );
  const { body } = draft;
  const tools = (body as { tools?: readonly TokenTool[] }).tools;
  const total = useTokenCount(body.messages, { model: body.model || undefined, ...(tools ? { tools } : {}) });
  const [late, setLate] = useState<{ for: ChatRequestDraft; plan: ChatRequestPlan | null } | null>(null);

  // Once the tokenizer is ready the texts are cached, so planning is usually synchronous.
  const now = useMemo(() => {
    if (total.status !== 'ready' || body.messages.length === 0) return undefined;
    try {
      const result = planChatRequest(draft, context);
      if (result instanceof Promise) {
        result.catch(() => undefined);
        return undefined;
      }
      return { for: draft, plan: result };
    } catch {
      return { for: draft, plan: null };
    }
  }, [total.status, draft, context, body.messages.length]);

  useEffect(() => {
    if (now || total.count === undefined || body.messages.length === 0) return;
    let cancelled = false;
    const apply = (plan: ChatRequestPlan | null) => {
      if (!cancelled) setLate({ for: draft, plan });
    };
    try {
      Promise.resolve(planChatRequest(draft, context)).then(apply, () => apply(null));
    } catch {
      apply(null);
    }
    return () => {
      cancelled = true;
    };
  }, [now, draft, context, total.count, body.messages.length]);

  const prices = options.prices ?? config.prices;
  const price = findModelPrice(prices, body.model);
  const usage = useMemo(
    () => options.usage ?? sumUsage(body.messages as readonly { usage?: CompletionUsage }[]),
    [options.usage, body.messages],
  );
  const conversationCost = price ? estimateCost(usage, price) : undefined;

  const current = now ?? (late?.for === draft ? late : null);
  if (current && current.plan) {
    const p = current.plan;
    return {
      promptTokens: p.promptTokens,
      replyRoom: p.maxReplyTokens,
      contextWindow: p.contextWindow,
      droppedCount: p.droppedCount,
      droppedTokens: p.droppedTokens,
      overflow: p.maxReplyTokens <= 0,
      isApproximate: p.isApproximate,
      status: 'ready',
      cost: price ? estimateRequestCost(p, price) : undefined,
      conversationCost,
    };
  }
  return {
    promptTokens: total.count,
    replyRoom: undefined,
    contextWindow: total.contextWindow,
    droppedCount: 0,
    droppedTokens: 0,
    overflow: current !== null && current.plan === null,
    isApproximate: total.isApproximate,
    status:
      current !== null || (total.status === 'ready' && body.messages.length === 0)
        ? 'ready'
        : total.status === 'ready'
          ? 'counting'
          : total.status,
    cost: undefined,
    conversationCost,
  };
}
