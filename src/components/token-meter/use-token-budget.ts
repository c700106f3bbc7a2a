import { useEffect, useState } from 'react';

import { planContext, type ContextPlan, type TokenMessage } from '../../core';
import { useTokenCount } from '../../hooks/use-token-count';

/** The figures a {@link TokenMeter} shows. */
export interface TokenBudget {
  /** Prompt tokens of what will be sent (after trimming), as `usage.prompt_tokens` will report them. */
  promptTokens: number | undefined;
  /** Tokens left for the reply. */
  replyRoom: number | undefined;
  /** The model's context window. */
  contextWindow: number;
  /** Messages trimming will leave out, and their tokens. */
  droppedCount: number;
  droppedTokens: number;
  /** Nothing fits even after trimming. */
  overflow: boolean;
  isApproximate: boolean;
}

/**
 * Counts a conversation (plus the draft) and plans what trimming will leave out before it is sent.
 * Uses `useTokenCount` for the counting and `planContext` from `parlance/core` for the plan.
 */
export function useTokenBudget(
  messages: readonly TokenMessage[],
  options: { model?: string | undefined; maxTokens?: number | undefined },
): TokenBudget {
  const { model, maxTokens } = options;
  const total = useTokenCount(messages, model === undefined ? {} : { model });
  const [plan, setPlan] = useState<{
    for: readonly TokenMessage[];
    plan: ContextPlan<TokenMessage> | null;
  } | null>(null);

  useEffect(() => {
    if (total.count === undefined || messages.length === 0) return;
    let cancelled = false;
    const apply = (result: ContextPlan<TokenMessage> | null) => {
      if (!cancelled) setPlan({ for: messages, plan: result });
    };
    try {
      const result = planContext({ messages, model: model ?? null, ...(maxTokens ? { maxTokens } : {}) });
      if (result instanceof Promise) result.then(apply, () => apply(null));
      else apply(result);
    } catch {
      apply(null);
    }
    return () => {
      cancelled = true;
    };
  }, [messages, model, maxTokens, total.count]);

  const current = plan?.for === messages ? plan : null;
  if (current && current.plan) {
    const p = current.plan;
    const keptTokens = p.promptTokens;
    return {
      promptTokens: p.promptTokens,
      replyRoom: p.replyRoom,
      contextWindow: p.contextWindow,
      droppedCount: p.dropped.length,
      droppedTokens: Math.max(0, (total.count ?? keptTokens) - keptTokens),
      overflow: false,
      isApproximate: p.isApproximate,
    };
  }
  return {
    promptTokens: total.count,
    replyRoom: total.remaining,
    contextWindow: total.contextWindow,
    droppedCount: 0,
    droppedTokens: 0,
    overflow: current !== null && current.plan === null,
    isApproximate: total.isApproximate,
  };
}
