import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useMemo, useState, useSyncExternalStore } from 'react';

import {
  AbortError,
  createImageSession,
  createLocalStorage,
  type ChatStorage,
  type GeneratedImage,
  type ImageBatch,
  type ImageHistoryEntry,
  type ImageOperation,
  type ImagePacer,
  type ImagePacerTicket,
  type ImageRequestStatus,
  type ImageSession,
  type ImageSessionOptions,
} from '../core';
import { requireBaseUrl } from './internal/require-base-url';
import { useLatest } from './internal/use-latest';
import { useParlanceConfig, useParlanceQueryClient, type ParlanceConfig } from './parlance-provider';

export type { ImageHistoryEntry, ImageRequestStatus };

/** Options of every image hook: the provider's fields plus these. */
export interface UseImageOptions extends ParlanceConfig {
  /**
   * The image session to use: hooks given the same session share its history, statuses and
   * queue (`createImageSession` in `parlance/core`). Its own options then apply; the provider's
   * connection fields are not pushed into it.
   */
  session?: ImageSession;
  /**
   * Names an image workspace: hooks with the same `id` share one session and one history, kept
   * in `storage` (default: the provider's, else `localStorage`) across reloads. Without `id` or
   * `session`, each hook has its own history, kept for the life of the component. Hooks sharing
   * a session push their connection, `pacer` and `historyLimit` into it; the last render wins.
   */
  id?: string;
  /**
   * The image model, such as `dall-e-3` or `gpt-image-1`. Default `dall-e-2`; the provider's
   * `model` (a chat model) is not used. A request's own `model` wins.
   */
  model?: string;
  /**
   * Paces requests (default: one pacer shared by the page, 50 images a minute). Pass your own
   * `new ImagePacer({ imagesPerMinute })`, or `null` to send without pacing.
   */
  pacer?: ImagePacer | null;
  /** Requests kept in `history`. Default `20`. */
  historyLimit?: number;
  /** Called with each successful batch. */
  onSuccess?: (batch: ImageBatch) => void;
  /** Called with each failure (not with cancellations), and with storage failures of a named session. */
  onError?: (error: unknown) => void;
}

/** What every image hook returns besides its action. */
export interface UseImageRequestResult {
  /** The state of this operation's latest request. */
  status: ImageRequestStatus;
  /** The latest successful batch. */
  data: ImageBatch | undefined;
  /** The latest failure, `null` unless `status` is `error`. */
  error: unknown;
  /** Derived from `status`. */
  isPending: boolean;
  /** Forgets the latest result or error (history stays). */
  reset: () => void;
  /** Aborts every request of this operation, queued or on the wire; they end as `cancelled`. */
  cancel: () => void;
  /** Past and current requests of the session, every operation, newest first. */
  history: ImageHistoryEntry[];
  /** Empties `history`. */
  clearHistory: () => void;
  /** While the latest request waits for the pacer: its position and estimated wait. */
  queue: ImagePacerTicket | null;
  /** While a 429 holds every request back: until when (`Date.now()` time). */
  pausedUntil: number | null;
  /**
   * Keeps an image past its URL's one-hour expiry by fetching it to a Blob; `history` and
   * `data` then hold the kept image.
   */
  keep: (image: GeneratedImage) => Promise<GeneratedImage>;
  /** The session behind this hook, to hand to other hooks or components. */
  session: ImageSession;
}

const HOOK_NAMES: Record<ImageOperation, string> = {
  generate: 'useImageGeneration',
  edit: 'useImageEdit',
  variation: 'useImageVariation',
};

const useIsomorphicLayoutEffect = typeof document !== 'undefined' ? useLayoutEffect : useEffect;

/** Sessions named by `id`, per storage: hooks with the same id share one. */
const named = new WeakMap<object, Map<string, ImageSession>>();
const noStorage = {};
let browserStorage: ChatStorage | undefined;
/** One default storage object, so hooks with the same `id` and no storage find one session. */
const defaultStorage = () => (browserStorage ??= createLocalStorage());

function namedSession(id: string, options: ImageSessionOptions): ImageSession {
  // A server render keeps nothing between requests: every render gets its own session.
  if (typeof window === 'undefined') return createImageSession(options);
  const scope = options.storage ?? noStorage;
  let sessions = named.get(scope);
  if (!sessions) named.set(scope, (sessions = new Map()));
  let session = sessions.get(id);
  if (!session) sessions.set(id, (session = createImageSession(options)));
  return session;
}

/**
 * The machinery of the three image hooks: finds or creates the session, pushes the latest
 * configuration into it, subscribes to it, and sends each request through a React Query
 * mutation (keyed `['parlance', 'images', operation]`), so the app's `QueryClient` sees image
 * requests (`useIsMutating`, devtools). The state itself lives in the session.
 */
export function useImageSessionRequest<TInput extends { model?: string }>(
  options: UseImageOptions,
  operation: ImageOperation,
) {
  const {
    session: given,
    id,
    model,
    pacer,
    historyLimit,
    onSuccess,
    onError,
    storage,
    ...configOverrides
  } = options;
  const config = useParlanceConfig(configOverrides);
  if (!given) requireBaseUrl(config.baseUrl, HOOK_NAMES[operation]);
  const queryClient = useParlanceQueryClient();
  const resolve = (): ImageSessionOptions => ({
    ...(id !== undefined ? { id } : {}),
    storage: id === undefined ? null : (storage ?? config.storage ?? defaultStorage()),
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    headers: config.headers,
    fetch: config.fetch,
    ...(pacer !== undefined ? { pacer } : {}),
    ...(historyLimit !== undefined ? { historyLimit } : {}),
    // Storage failures reach the app like request failures (a ChatStorageError).
    onStorageError: (error) => latest.current.onError?.(error),
  });
  const latest = useLatest({ resolve, model, onSuccess, onError });

  // Created once per mount (and when `id` changes), never per render: an inline `storage` object
  // must not make a new session each time.
  const pick = () => (id !== undefined ? namedSession(id, resolve()) : createImageSession(resolve()));
  const [holder, setHolder] = useState(() => ({ id, session: given ? null : pick() }));
  let session: ImageSession;
  if (given) session = given;
  else if (holder.session && holder.id === id) session = holder.session;
  else {
    session = pick();
    setHolder({ id, session });
  }

  useIsomorphicLayoutEffect(() => {
    if (!given) session.setOptions(latest.current.resolve());
  });
  useEffect(() => session.mount(), [session]);

  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getServerSnapshot);
  const state = snapshot.requests[operation];

  const { mutateAsync, reset: resetMutation } = useMutation(
    {
      mutationKey: ['parlance', 'images', operation],
      mutationFn: (input: TInput) => {
        const defaultModel = latest.current.model;
        const withModel =
          input.model === undefined && defaultModel ? { ...input, model: defaultModel } : input;
        return session.run(operation, withModel as never);
      },
    },
    queryClient,
  );

  const start = useCallback(
    async (input: TInput): Promise<ImageBatch> => {
      try {
        const batch = await mutateAsync(input);
        latest.current.onSuccess?.(batch);
        return batch;
      } catch (error) {
        if (!isAbort(error)) latest.current.onError?.(error);
        throw error;
      }
    },
    [mutateAsync, latest],
  );

  const reset = useCallback(() => {
    session.reset(operation);
    resetMutation();
  }, [session, operation, resetMutation]);
  const cancel = useCallback(() => {
    session.cancel(operation);
    resetMutation();
  }, [session, operation, resetMutation]);

  const result = useMemo<UseImageRequestResult>(
    () => ({
      status: state.status,
      data: state.data,
      error: state.error,
      isPending: state.status === 'queued' || state.status === 'pending',
      reset,
      cancel,
      history: snapshot.history,
      clearHistory: session.clearHistory,
      queue: state.queue,
      pausedUntil: snapshot.pausedUntil,
      keep: session.keep,
      session,
    }),
    [state, snapshot.history, snapshot.pausedUntil, reset, cancel, session],
  );
  return { result, start };
}

/** Cancellations are not failures: `onError` never hears of them. */
function isAbort(error: unknown): boolean {
  return AbortError.isInstance(error) || (error as { name?: unknown } | null)?.name === 'AbortError';
}
