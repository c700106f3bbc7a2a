import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';

import {
  AbortError,
  createTokenizerEndpoint,
  estimateCost,
  estimateRequestCost,
  findModelPrice,
  getModelInfo,
  measureChatTokens,
  measureChatTokensNow,
  measureTokens,
  measureTokensNow,
  preloadTokenizer,
  sumUsage,
  type ChatCountOptions,
  type CompletionUsage,
  type CostEstimate,
  type RemoteTokenCount,
  type RequestCostEstimate,
  type TokenCount,
  type TokenEncoding,
  type TokenizerEndpoint,
  type TokenMessage,
} from '../core';
import { sleep } from '../core/internal/sleep';
import { useParlanceConfig, useParlanceQueryClient, type ParlanceConfig } from './parlance-provider';

/**
 * Where counts come from.
 * - `local`: Parlance's own tokenizer (exact for the models it knows, an estimate for others).
 * - `remote`: the backend's tokenizer endpoint (llama.cpp's or vLLM's `POST /tokenize`) for every
 *   model, the local count standing in until it answers or when it fails.
 * - `auto`: the endpoint for models Parlance does not know, the local tokenizer for the rest.
 */
export type TokenizerMode = 'local' | 'remote' | 'auto';

/**
 * Where a shown count came from: `local` — Parlance's tokenizer, for a model it knows (exact);
 * `remote` — the backend's tokenizer endpoint (exact); `estimate` — Parlance's tokenizer standing
 * in for a model it does not know.
 */
export type TokenCountSource = 'local' | 'remote' | 'estimate';

/** Options of {@link useTokenCount}: the model, plus any provider field to override. */
export interface UseTokenCountOptions extends ParlanceConfig, ChatCountOptions {
  /** The model to count for. Default: the provider's `model`; with none, the unknown-model fallback. */
  model?: string;
  /**
   * Where counts come from. Default `local`: nothing leaves the page before it is sent. `auto`
   * asks the backend's tokenizer endpoint for models Parlance does not know — opt in where the
   * backend has one (a backend without it answers the first request with an error the browser
   * logs).
   */
  tokenizer?: TokenizerMode;
  /**
   * The tokenizer endpoint to ask. Default: one for the provider's `baseUrl` (its root's
   * `/tokenize`), shared by every hook with the same settings; `null` for none.
   */
  tokenizerEndpoint?: TokenizerEndpoint | null;
  /** How long the input must stay unchanged before the endpoint is asked, in ms. Default 250. */
  debounceMs?: number;
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
  /** Where `count` came from; `remote` and `local` counts are exact. */
  source: TokenCountSource;
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

const sharedByFetch = new WeakMap<object, Map<string, TokenizerEndpoint>>();
const GLOBAL_FETCH = {};

/** One endpoint per backend and settings, so its cache and what it learned are shared. */
function sharedEndpoint(config: ParlanceConfig & { baseUrl: string }): TokenizerEndpoint {
  const byFetch = sharedByFetch.get(config.fetch ?? GLOBAL_FETCH) ?? new Map<string, TokenizerEndpoint>();
  sharedByFetch.set(config.fetch ?? GLOBAL_FETCH, byFetch);
  const key = JSON.stringify([config.baseUrl, config.apiKey ?? null, config.headers ?? null]);
  let endpoint = byFetch.get(key);
  if (!endpoint) {
    endpoint = createTokenizerEndpoint({
      baseUrl: config.baseUrl,
      ...(config.fetch ? { fetch: config.fetch } : {}),
      ...(config.headers ? { headers: config.headers } : {}),
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    });
    byFetch.set(key, endpoint);
  }
  return endpoint;
}

interface RemoteState {
  input: Input;
  model: string | undefined;
  endpoint: TokenizerEndpoint;
  result?: RemoteTokenCount;
  failed?: boolean;
}

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
 * For a model Parlance does not know, the backend's tokenizer endpoint (llama.cpp's or vLLM's
 * `POST /tokenize`, found at the root of `baseUrl`) is asked once the input rests for
 * `debounceMs`; its count is exact (`source: 'remote'`, `isApproximate: false`). Until it
 * answers, or when the backend has none, the local estimate shows (`source: 'estimate'`).
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
  const mode = options.tokenizer ?? 'local';
  const debounceMs = options.debounceMs ?? 250;
  const info = useMemo(() => getModelInfo(model), [model]);
  const { baseUrl, fetch, apiKey } = config;
  const headersKey = config.headers ? JSON.stringify(config.headers) : '';
  const endpoint = useMemo(
    () =>
      options.tokenizerEndpoint !== undefined
        ? options.tokenizerEndpoint
        : baseUrl
          ? sharedEndpoint({
              baseUrl,
              ...(fetch ? { fetch } : {}),
              ...(apiKey ? { apiKey } : {}),
              ...(headersKey ? { headers: JSON.parse(headersKey) as Record<string, string> } : {}),
            })
          : null,
    [options.tokenizerEndpoint, baseUrl, fetch, apiKey, headersKey],
  );
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

  // The endpoint: asked after the debounce, never waited for — the local count shows meanwhile.
  const [remote, setRemote] = useState<RemoteState>();
  const remoteActive =
    endpoint !== null &&
    mode !== 'local' &&
    (mode === 'remote' || !info.isKnown) &&
    endpoint.status !== 'unavailable';
  // A count asked for before (by this or another hook): shown at once, no request.
  const cached = useMemo(
    () => (remoteActive ? endpoint.peek(input, model) : undefined),
    [remoteActive, endpoint, input, model],
  );
  useEffect(() => {
    if (!remoteActive || cached) return;
    const controller = new AbortController();
    const signal = controller.signal;
    sleep(debounceMs, signal)
      .then(() =>
        typeof input === 'string'
          ? endpoint.count(input, { model: model ?? null, signal })
          : endpoint.countChat(input, { model: model ?? null, signal }),
      )
      .then(
        (result) => setRemote({ input, model, endpoint, result }),
        (error: unknown) => {
          if (!AbortError.isInstance(error)) setRemote({ input, model, endpoint, failed: true });
        },
      );
    return () => controller.abort();
  }, [remoteActive, cached, endpoint, input, model, debounceMs]);
  const sameTarget = remoteActive && remote?.endpoint === endpoint && remote.model === model;
  const remoteNow = cached ?? (sameTarget && remote.input === input ? remote.result : undefined);
  const remoteFailed = sameTarget && remote.input === input && remote.failed === true;
  const remoteWaiting = remoteActive && !remoteNow && !remoteFailed;
  const remoteShown = remoteNow ?? (remoteWaiting && sameTarget ? remote.result : undefined);

  const current = now ?? (late && late.input === input && late.model === model ? late.result : undefined);
  const shown = current ?? (late && late.model === model ? late.result : undefined);
  const error = (tokenizer.error as Error | null) ?? countError;
  const contextWindow = (!info.isKnown && remoteShown?.maxModelLen) || info.contextWindow;
  const price = findModelPrice(config.prices, info.id);
  const usage = useMemo<CompletionUsage | undefined>(
    () => (typeof input === 'string' ? undefined : sumUsage(input as readonly { usage?: CompletionUsage }[])),
    [input],
  );
  const limit = Math.min(options.maxTokens ?? info.maxOutputTokens, info.maxOutputTokens);
  const costs = (count: number | undefined, remaining: number | undefined) => ({
    cost:
      price && count !== undefined && remaining !== undefined
        ? estimateRequestCost({ promptTokens: count, maxReplyTokens: Math.min(limit, remaining) }, price)
        : undefined,
    conversationCost: price && usage ? estimateCost(usage, price) : undefined,
  });
  if (remoteShown) {
    const remaining = contextWindow - remoteShown.tokens;
    return {
      ...costs(remoteShown.tokens, remaining),
      count: remoteShown.tokens,
      status: remoteNow ? 'ready' : 'counting',
      isApproximate: false,
      contextWindow,
      remaining,
      encoding: info.encoding,
      error: null,
      source: 'remote',
    };
  }
  const status: TokenCountStatus = error
    ? 'error'
    : !ready
      ? 'loading'
      : current && !remoteWaiting
        ? 'ready'
        : 'counting';
  const count = shown?.tokens;
  const remaining = count === undefined ? undefined : contextWindow - count;
  return {
    ...costs(count, remaining),
    count,
    status,
    isApproximate: shown?.isApproximate ?? !info.isKnown,
    contextWindow,
    remaining,
    encoding: info.encoding,
    error,
    source: info.isKnown && info.encoding !== 'approximate' ? 'local' : 'estimate',
  };
}
