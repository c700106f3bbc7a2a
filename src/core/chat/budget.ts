import { BudgetExceededError } from '../errors';
import { estimateCost, estimateRequestCost, findModelPrice } from '../tokens/cost';
import { mapMaybe, type MaybePromise } from '../tokens/tokenizer';
import type { CompletionUsage } from '../wire/chat';
import { ChatConfigError } from './config-error';
import { buildChatRequest, planChatRequest, type ChatRequestMessage } from './request';
import { DEFAULT_CHAT_MODEL, type ChatOptions } from './types';

/**
 * The budget's refusal of a turn asking with `history` (after `spent` so far), or `null` when it
 * may be sent (or no cap is set). A request is estimated at its most: prompt tokens × input price
 * plus the reply room × output price.
 */
export function checkBudget(
  options: ChatOptions,
  spent: CompletionUsage,
  history: readonly ChatRequestMessage[],
  isContinue: boolean,
): MaybePromise<Error | null> {
  const { maxCost, maxCostPerRequest } = options.budget ?? {};
  if (maxCost === undefined && maxCostPerRequest === undefined) return null;
  const model = options.model || DEFAULT_CHAT_MODEL;
  const price = findModelPrice(options.prices, model);
  if (!price) {
    return new ChatConfigError(
      `A budget is set but there is no price for ${model}: add it to \`prices\` (per million tokens).`,
      { option: 'prices' },
    );
  }
  const draft = buildChatRequest(options, history, isContinue ? { continue: true } : undefined);
  let plan;
  try {
    plan = planChatRequest(draft, options.context);
  } catch {
    return null; // cannot fit at all: the request fails the same way when it is built
  }
  return mapMaybe(plan, (p) => {
    const cost = estimateRequestCost(p, price).total;
    const spentCost = estimateCost(spent, price).total;
    const figures = {
      spent: spentCost,
      currency: price.currency ?? 'USD',
      model,
      promptTokens: p.promptTokens,
      maxReplyTokens: p.maxReplyTokens,
    };
    if (maxCostPerRequest !== undefined && cost > maxCostPerRequest) {
      return new BudgetExceededError({
        limit: 'request',
        cap: maxCostPerRequest,
        estimatedCost: cost,
        ...figures,
      });
    }
    if (maxCost !== undefined && spentCost + cost > maxCost) {
      return new BudgetExceededError({
        limit: 'conversation',
        cap: maxCost,
        estimatedCost: spentCost + cost,
        ...figures,
      });
    }
    return null;
  });
}
