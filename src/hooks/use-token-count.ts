import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';

import {
  measureChatTokens,
  measureChatTokensNow,
  measureTokens,
  measureTokensNow,
  preloadTokenizer,
  type ChatCountOptions,
  type TokenCount,
  type TokenMessage,
} from '../core/tokens/count';
import {
  estimateCost,
  estimateRequestCost,
  findModelPrice,
  sumUsage,
  type CostEstimate,
  type RequestCostEstimate,
} from '../core/tokens/cost';
import { getModelInfo, type TokenEncoding } from '../core/tokens/models';
import type { CompletionUsage } from '../core/wire/chat';
import { useParlanceConfig, useParlanceQueryClient, type ParlanceConfig } from './parlance-provider';

/** Options of {@link useTokenCount}: the model, plus any provider field to override. */
export interface UseTokenCountOptions extends ParlanceConfig, ChatCountOptions {
  /** The model to count for. Default: the provider's `model`; with none, the unknown-model fallback. */
  model?: string;
  /**
   * The reply's `max_tokens` (or `max_completion_tokens`), for the most the reply can cost.
   * Default: the model's maximum output.
   */
  maxTokens?: number;
}

/**
 * - `loading`: the tokenizer's ranks are loading; `count` is `undefined`.
 * - `counting`: the input changed and is being counted; `count` still shows the previous value.
 * - `ready`: `count` is the count of the current input.
 * - `error`: the ranks could not be loaded (see `error`).
 */
export type TokenCountStatus = 'loading' | 'counting' | 'ready' | 'error';

/** What {@link useTokenCount} returns. */
export interface UseTokenCountResult {
  /** Tokens of the input: a text's own tokens, or a conversation's prompt tokens with formatting. */
  count: number | undefined;
  status: TokenCountStatus;
  /** True when `count` is an estimate (unknown or `approximate` model, unsized image, tool calls). */
  isApproximate: boolean;
  /** The model's context window, from the model table. */
  contextWindow: number;
  /** `contextWindow − count`, or `undefined` until there is a count. Negative when over. */
  remaining: number | undefined;
  /** The encoding counted with. */
  encoding: TokenEncoding;
  /** Why `status` is `error`. */
  error: Error | null;
  /**
   * The estimated cost of sending the input as the next request, when a price for the model is
   * known (`prices` here or on the provider): `input` (the count × the input price) and
   * `maxOutput` (the most the reply can cost: the room left, at most `maxTokens` and the model's
   * output limit, × the output price). `undefined` without a price or a count.
   */
  cost: RequestCostEstimate | undefined;
  /**
   * The cost of the conversation so far: the `usage` of each message of the input that has one
   * (replies from `useChat`), summed, cached prompt tokens at the cached price. `undefined`
   * without a price, or for a text input.
   */
  conversationCost: CostEstimate | undefined;
}

type Input = string | readonly TokenMessage[];

function measureNow(
  input: Input,
  model: string | undefined,
  options: ChatCountOptions,
): TokenCount | undefined {
  return typeof input === 'string'
    ? measureTokensNow(input, model)
    : measureChatTokensNow(input, model, options);
}

/**
 * Counts the tokens of a draft or a whole conversation as it changes, for a token meter or a
 * "too long" notice. The tokenizer loads lazily (a React Query query shared by every component,
 * loaded once per encoding), and in the browser encoding runs in a Web Worker; unchanged texts
 * come from a cache, so a keystroke re-encodes only the draft.
 *
 * @example
 * ```tsx
 * import { useTokenCount, type TokenMessage } from 'parlance';
 *
 * export function ContextMeter({ messages, draft }: { messages: TokenMessage[]; draft: string }) {
 *   const { count, contextWindow } = useTokenCount([...messages, { role: 'user', content: draft }], {
 *     model: 'gpt-4o',
 *   });
 *   return <meter value={count ?? 0} max={contextWindow} aria-label="Context used" />;
 * }
 * ```
 */
export function useTokenCount(input: Input, options: UseTokenCountOptions = {}): UseTokenCountResult {
  const config = useParlanceConfig(options);
  const model = options.model ?? config.model;
  const { imageSize, tools } = options;
  const info = useMemo(() => getModelInfo(model), [model]);
  const queryClient = useParlanceQueryClient();
  const tokenizer = useQuery(
    {
      queryKey: ['parlance', 'tokenizer', info.encoding],
      queryFn: () => preloadTokenizer(model).then(() => true),
      enabled: info.encoding !== 'approximate',
      staleTime: Infinity,
      gcTime: Infinity,
      retry: 1,
    },
    queryClient,
  );
  const ready = info.encoding === 'approximate' || tokenizer.isSuccess;

  const now = useMemo(
    () => (ready ? measureNow(input, model, { imageSize, tools }) : undefined),
    [ready, input, model, imageSize, tools],
  );
  const [late, setLate] = useState<{ input: Input; model: string | undefined; result: TokenCount }>();
  const [countError, setCountError] = useState<Error | null>(null);

  useEffect(() => {
    if (!ready || now) return;
    let live = true;
    const pending =
      typeof input === 'string'
        ? measureTokens(input, model)
        : measureChatTokens(input, model, { imageSize, tools });
    Promise.resolve(pending).then(
      (result) => live && setLate({ input, model, result }),
      (error: unknown) => live && setCountError(error instanceof Error ? error : new Error(String(error))),
    );
    return () => {
      live = false;
    };
  }, [ready, now, input, model, imageSize, tools]);

  const current = now ?? (late && late.input === input && late.model === model ? late.result : undefined);
  const shown = current ?? (late && late.model === model ? late.result : undefined);
  const error = (tokenizer.error as Error | null) ?? countError;
  const status: TokenCountStatus = error ? 'error' : !ready ? 'loading' : current ? 'ready' : 'counting';
  const count = shown?.tokens;
  const price = findModelPrice(config.prices, info.id);
  const remaining = count === undefined ? undefined : info.contextWindow - count;
  const limit = Math.min(options.maxTokens ?? info.maxOutputTokens, info.maxOutputTokens);
  const usage = useMemo<CompletionUsage | undefined>(
    () => (typeof input === 'string' ? undefined : sumUsage(input as readonly { usage?: CompletionUsage }[])),
    [input],
  );
  return {
    cost:
      price && count !== undefined
        ? estimateRequestCost({ promptTokens: count, maxReplyTokens: Math.min(limit, remaining!) }, price)
        : undefined,
    conversationCost: price && usage ? estimateCost(usage, price) : undefined,
    count,
    status,
    isApproximate: shown?.isApproximate ?? !info.isKnown,
    contextWindow: info.contextWindow,
    remaining,
    encoding: info.encoding,
    error,
  };
}
