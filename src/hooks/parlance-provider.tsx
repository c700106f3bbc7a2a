import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

import type { ChatStorage, ModelPrices } from '../core';

/** A UI language Parlance ships strings for. */
export type ParlanceLocale = 'en' | 'zh-CN';

/** `auto` follows the user's `prefers-color-scheme`. */
export type ParlanceTheme = 'light' | 'dark' | 'auto';

/**
 * Where conversations are kept between reloads: the chat store's storage interface. Implementations
 * live in `parlance/core` (`createMemoryStorage`, `createLocalStorage`, `createIndexedDBStorage`);
 * any object with this shape works.
 */
export type ParlanceStorage = ChatStorage;

/**
 * The configuration every Parlance hook and component reads. Each hook also accepts these
 * fields in its own options, which win over the provider's.
 */
export interface ParlanceConfig {
  /**
   * OpenAI-style base URL, ending in `/v1`, e.g. `http://127.0.0.1:8787/v1` or a same-origin
   * `/api/parlance/v1`. There is no default: a hook that sends requests (`useChat` without a
   * `transport`, the image hooks, `ChatWindow` without `chat`) throws a `ConfigurationError`
   * while rendering when neither the provider nor its own options give one.
   */
  baseUrl?: string;
  /** Extra request headers, sent with every request. */
  headers?: Record<string, string>;
  /**
   * Sent as `Authorization: Bearer …`. Prefer the reference server, which keeps the key off the
   * browser; set this only for trusted, local setups.
   */
  apiKey?: string;
  /** Default model for chat, e.g. `gpt-4o-mini`. */
  model?: string;
  /** UI language. Default: from the browser (`navigator.language`), else `en`. */
  locale?: ParlanceLocale;
  /** Colour scheme of the styled components. Default: `auto`. */
  theme?: ParlanceTheme;
  /** Where conversations persist. Default: `localStorage` in the browser, memory elsewhere. */
  storage?: ParlanceStorage;
  /** A `fetch` to use instead of the global one (tests, stories, custom transports). */
  fetch?: typeof globalThis.fetch;
  /**
   * What each model costs, per million tokens (`{ 'gpt-4o': { input: 2.5, cachedInput: 1.25,
   * output: 10 } }`). Token counts then come with cost estimates, `TokenMeter` shows them, and
   * `useChat({ budget })` can cap spending. Parlance ships no prices: give your provider's.
   */
  prices?: ModelPrices;
}

/** Props of {@link ParlanceProvider}. */
export interface ParlanceProviderProps extends ParlanceConfig {
  /**
   * The app's own React Query client. When omitted, the one from an enclosing
   * `QueryClientProvider` is used, or else Parlance creates its own.
   */
  queryClient?: QueryClient;
  children?: ReactNode;
}

const ConfigContext = createContext<ParlanceConfig | null>(null);

let fallbackQueryClient: QueryClient | undefined;

/**
 * Supplies configuration to every Parlance hook and component below it.
 *
 * @example
 * ```tsx
 * import { ChatWindow, ParlanceProvider } from 'parlance';
 *
 * export function App() {
 *   return (
 *     <ParlanceProvider baseUrl="/v1" model="gpt-4o-mini" locale="zh-CN">
 *       <ChatWindow />
 *     </ParlanceProvider>
 *   );
 * }
 * ```
 */
export function ParlanceProvider({ queryClient, children, ...config }: ParlanceProviderProps) {
  const ambient = useContext(QueryClientContext);
  const [own] = useState(() => (queryClient || ambient ? undefined : new QueryClient()));
  const client = queryClient ?? ambient ?? own!;
  const parent = useContext(ConfigContext);
  const { baseUrl, headers, apiKey, model, locale, theme, storage, fetch, prices } = config;
  const value = useMemo<ParlanceConfig>(
    () => ({
      ...parent,
      ...definedOnly({ baseUrl, headers, apiKey, model, locale, theme, storage, fetch, prices }),
    }),
    [parent, baseUrl, headers, apiKey, model, locale, theme, storage, fetch, prices],
  );
  return (
    <ConfigContext.Provider value={value}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </ConfigContext.Provider>
  );
}

/**
 * The effective configuration: the provider's, overridden by the fields given here.
 * Works without a provider when `overrides.baseUrl` is set.
 */
export function useParlanceConfig(overrides?: ParlanceConfig): ParlanceConfig {
  const context = useContext(ConfigContext);
  return useMemo(() => ({ ...context, ...definedOnly(overrides ?? {}) }), [context, overrides]);
}

/**
 * The React Query client Parlance's hooks use: the enclosing one if any, else a shared
 * fallback, so hooks work with no provider at all.
 */
export function useParlanceQueryClient(): QueryClient {
  const ambient = useContext(QueryClientContext);
  if (ambient) return ambient;
  fallbackQueryClient ??= new QueryClient();
  return fallbackQueryClient;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  // A loop rather than entries/filter/fromEntries: this runs on every render of every hook that
  // reads the configuration, streamed frames included.
  const result: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) result[key] = value[key];
  return result;
}
