import type { CompletionUsage } from '../wire/chat';

/**
 * What a model costs, per million tokens, as the app was told by its provider. Parlance ships no
 * prices: they change, and differ by provider and contract.
 *
 * @example
 * const price: ModelPrice = { input: 2.5, cachedInput: 1.25, output: 10 }; // USD per 1M tokens
 */
export interface ModelPrice {
  /** Price of one million prompt tokens. */
  input: number;
  /** Price of one million prompt tokens served from the prompt cache. Default: `input`. */
  cachedInput?: number;
  /** Price of one million reply tokens (reasoning tokens included). */
  output: number;
  /** ISO 4217 code of the amounts. Default `USD`. */
  currency?: string;
}

/** Prices by model id. Ids match as in the model table: exactly, then by prefix (`gpt-4o` prices `gpt-4o-2024-08-06`). */
export type ModelPrices = Readonly<Record<string, ModelPrice>>;

/** Token counts to price: a reply's `usage`, or plain numbers. */
export interface CostTokens {
  /** Prompt tokens, cached ones included. */
  input: number;
  /** How many of `input` were served from the cache. Default 0. */
  cachedInput?: number;
  /** Reply tokens. Default 0. */
  output?: number;
}

/** An estimated cost, in `currency`. */
export interface CostEstimate {
  /** Prompt tokens not served from the cache, at the input price. */
  input: number;
  /** Cached prompt tokens, at the cached-input price. */
  cachedInput: number;
  /** Reply tokens, at the output price. */
  output: number;
  /** The sum. */
  total: number;
  currency: string;
}

/**
 * The estimated cost of the next request: its prompt at the input price, plus the most its reply
 * can cost (`maxOutput`: the reply room, at most `max_tokens`, at the output price). `total` is
 * that worst case; the real cost is lower when the reply is shorter.
 */
export interface RequestCostEstimate {
  /** Prompt tokens × input price. */
  input: number;
  /** Reply room × output price: the most the reply can cost. */
  maxOutput: number;
  /** `input + maxOutput`. */
  total: number;
  currency: string;
}

function validate(price: ModelPrice): void {
  for (const key of ['input', 'output', 'cachedInput'] as const) {
    const value = price[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`A model price's \`${key}\` must be a finite number ≥ 0, got ${String(value)}.`);
    }
  }
}

function isUsage(value: CostTokens | CompletionUsage): value is CompletionUsage {
  return 'prompt_tokens' in value;
}

/**
 * The cost of `tokens` (a reply's `usage`, or `{ input, cachedInput?, output? }`) at `price`.
 * Cached prompt tokens (`usage.prompt_tokens_details.cached_tokens`) are charged at
 * `cachedInput`. Pure: no price is built in.
 *
 * @example
 * estimateCost(reply.usage, { input: 2.5, cachedInput: 1.25, output: 10 }).total // in USD
 * estimateCost({ input: 1_000, output: 500 }, { input: 2.5, output: 10 }) // { total: 0.0075, … }
 */
export function estimateCost(tokens: CostTokens | CompletionUsage, price: ModelPrice): CostEstimate {
  validate(price);
  const t: CostTokens = isUsage(tokens)
    ? {
        input: tokens.prompt_tokens,
        cachedInput: tokens.prompt_tokens_details?.cached_tokens ?? 0,
        output: tokens.completion_tokens,
      }
    : tokens;
  const cached = Math.min(Math.max(0, t.cachedInput ?? 0), t.input);
  const input = ((t.input - cached) * price.input) / 1e6;
  const cachedInput = (cached * (price.cachedInput ?? price.input)) / 1e6;
  const output = ((t.output ?? 0) * price.output) / 1e6;
  return {
    input,
    cachedInput,
    output,
    total: input + cachedInput + output,
    currency: price.currency ?? 'USD',
  };
}

/**
 * The estimated cost of a request before it is sent: `promptTokens` at the input price plus at
 * most `maxReplyTokens` at the output price (see {@link RequestCostEstimate}).
 *
 * @example
 * estimateRequestCost({ promptTokens: 182, maxReplyTokens: 20 }, { input: 2.5, output: 10 }).total
 */
export function estimateRequestCost(
  tokens: { promptTokens: number; maxReplyTokens: number },
  price: ModelPrice,
): RequestCostEstimate {
  const cost = estimateCost(
    { input: tokens.promptTokens, output: Math.max(0, tokens.maxReplyTokens) },
    price,
  );
  return {
    input: cost.input,
    maxOutput: cost.output,
    total: cost.input + cost.output,
    currency: cost.currency,
  };
}

/**
 * The price of `model` in `prices`: its own id, else the longest id that prefixes it at a `-`
 * (so dated snapshots find their family), ignoring a provider prefix (`openai/gpt-4o`).
 */
export function findModelPrice(
  prices: ModelPrices | undefined,
  model: string | null | undefined,
): ModelPrice | undefined {
  if (!prices || !model) return undefined;
  const id = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  if (Object.hasOwn(prices, id)) return prices[id];
  if (Object.hasOwn(prices, model)) return prices[model];
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (id.length > key.length && id.startsWith(key) && /[-:@_.]/.test(id[key.length]!)) {
      if (!best || key.length > best.length) best = key;
    }
  }
  return best === undefined ? undefined : prices[best];
}

/**
 * The usage of a conversation so far: each reply's `usage` summed (cached prompt tokens
 * included), for {@link estimateCost}. Messages without usage (user turns, replies the server sent
 * none for) add nothing.
 */
export function sumUsage(messages: readonly { usage?: CompletionUsage | null }[]): CompletionUsage {
  let prompt = 0;
  let completion = 0;
  let cached = 0;
  for (const m of messages) {
    if (!m.usage) continue;
    prompt += m.usage.prompt_tokens;
    completion += m.usage.completion_tokens;
    cached += m.usage.prompt_tokens_details?.cached_tokens ?? 0;
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}
