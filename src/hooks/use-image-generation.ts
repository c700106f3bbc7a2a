import { useMutation } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';

import { createClient } from '../core/client/create-client';
import { AbortError } from '../core/errors';
import type { ImageOperation } from '../core/images/models';
import { getSharedImagePacer, type ImagePacer, type ImagePacerTicket } from '../core/images/pacer';
import {
  generateImages,
  type GenerateImagesInput,
  type ImageBatch,
  type ImageRequestContext,
} from '../core/images/requests';
import { keepImage, type GeneratedImage } from '../core/images/results';
import { requireBaseUrl } from './internal/require-base-url';
import { useLatest } from './internal/use-latest';
import { useParlanceConfig, useParlanceQueryClient, type ParlanceConfig } from './parlance-provider';

/**
 * The state of an image hook's latest request. `queued` waits for the pacer, `pending` is on
 * the wire. A cancelled request returns to `idle`.
 */
export type ImageRequestStatus = 'idle' | 'queued' | 'pending' | 'success' | 'error';

/** One request in a hook's history, newest first; what `ImageGallery` shows. */
export interface ImageHistoryEntry {
  /** Stable key. */
  id: string;
  operation: ImageOperation;
  /** The prompt, for generations and edits. */
  prompt?: string;
  /** How many images were asked for: the gallery shows one placeholder per image while waiting. */
  n: number;
  size?: string;
  status: 'queued' | 'pending' | 'success' | 'error' | 'cancelled';
  /** The results; empty until `success`. */
  images: GeneratedImage[];
  /** Set when `status` is `error`. */
  error: unknown;
  /** When the request was made (`Date.now()` time). */
  createdAt: number;
  /** Set when the input image was scaled down to stay under 4 MB. */
  reduced: ImageBatch['reduced'];
}

/** Options of every image hook: the provider's fields plus these. */
export interface UseImageOptions extends ParlanceConfig {
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
  /** Called with each failure (not with cancellations). */
  onError?: (error: unknown) => void;
}

/** What every image hook returns besides its action. */
export interface UseImageRequestResult {
  status: ImageRequestStatus;
  /** The latest successful batch. */
  data: ImageBatch | undefined;
  /** The latest failure, `null` unless `status` is `error`. */
  error: unknown;
  /** Derived from `status`. */
  isPending: boolean;
  /** Forgets the latest result or error (history stays). */
  reset: () => void;
  /** Aborts every request of this hook, queued or on the wire; they end as `cancelled`. */
  cancel: () => void;
  /** Past and current requests, newest first. */
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
}

/** What {@link useImageGeneration} returns. */
export interface UseImageGenerationResult extends UseImageRequestResult {
  /** Sends `POST /images/generations`; resolves with the batch, rejects with a typed error (`AbortError` when cancelled). */
  generate: (input: GenerateImagesInput) => Promise<ImageBatch>;
}

interface Described {
  prompt?: string;
  n?: number;
  size?: string;
}

const HOOK_NAMES: Record<ImageOperation, string> = {
  generate: 'useImageGeneration',
  edit: 'useImageEdit',
  variation: 'useImageVariation',
};

const noSubscribe = () => () => {};
const noSnapshot = () => null;
let counter = 0;

/** @internal The shared machinery of the three image hooks: one React Query mutation, history, pacing. */
export function useImageRequest<TInput extends Described & { model?: string }>(
  options: UseImageOptions,
  operation: ImageOperation,
  run: (input: TInput, context: ImageRequestContext) => Promise<ImageBatch>,
) {
  const { model, pacer: pacerOption, historyLimit = 20, onSuccess, onError, ...configOverrides } = options;
  const config = useParlanceConfig(configOverrides);
  requireBaseUrl(config.baseUrl, HOOK_NAMES[operation]);
  const queryClient = useParlanceQueryClient();
  const pacer = pacerOption === undefined ? getSharedImagePacer() : pacerOption;
  const latest = useLatest({ config, model, pacer, onSuccess, onError, historyLimit });
  const [history, setHistory] = useState<ImageHistoryEntry[]>([]);
  const [ticketId, setTicketId] = useState<number | null>(null);
  const controllers = useRef(new Set<AbortController>());

  const snapshot = useSyncExternalStore(
    pacer ? pacer.subscribe.bind(pacer) : noSubscribe,
    pacer ? pacer.getSnapshot.bind(pacer) : noSnapshot,
    pacer ? pacer.getSnapshot.bind(pacer) : noSnapshot,
  );

  const update = useCallback((id: string, patch: Partial<ImageHistoryEntry>) => {
    setHistory((entries) => entries.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)));
  }, []);

  const mutation = useMutation(
    {
      mutationKey: ['parlance', 'images', operation],
      mutationFn: async ({ id, input, signal }: { id: string; input: TInput; signal: AbortSignal }) => {
        const { config: current, model: defaultModel, pacer: currentPacer } = latest.current;
        const client = createClient({
          baseUrl: requireBaseUrl(current.baseUrl, HOOK_NAMES[operation]),
          apiKey: current.apiKey,
          headers: current.headers,
          fetch: current.fetch,
        });
        return run(
          { ...input, model: input.model ?? defaultModel },
          {
            client,
            pacer: currentPacer,
            signal,
            fetch: current.fetch,
            onQueue: (ticket) => {
              setTicketId(ticket);
              update(id, { status: ticket === null ? 'pending' : 'queued' });
            },
          },
        );
      },
    },
    queryClient,
  );
  const { mutateAsync, reset: resetMutation } = mutation;

  const start = useCallback(
    async (input: TInput): Promise<ImageBatch> => {
      const id = `img-${Date.now().toString(36)}-${(counter++).toString(36)}`;
      const controller = new AbortController();
      controllers.current.add(controller);
      const entry: ImageHistoryEntry = {
        id,
        operation,
        ...(input.prompt !== undefined ? { prompt: input.prompt } : {}),
        n: input.n ?? 1,
        ...(input.size !== undefined ? { size: input.size } : {}),
        status: 'pending',
        images: [],
        error: null,
        createdAt: Date.now(),
        reduced: null,
      };
      setHistory((entries) => [entry, ...entries].slice(0, latest.current.historyLimit));
      try {
        const batch = await mutateAsync({ id, input, signal: controller.signal });
        update(id, { status: 'success', images: batch.images, reduced: batch.reduced });
        latest.current.onSuccess?.(batch);
        return batch;
      } catch (error) {
        if (AbortError.isInstance(error) || controller.signal.aborted) {
          update(id, { status: 'cancelled' });
        } else {
          update(id, { status: 'error', error });
          latest.current.onError?.(error);
        }
        throw error;
      } finally {
        controllers.current.delete(controller);
      }
    },
    [mutateAsync, operation, update, latest],
  );

  const cancel = useCallback(() => {
    for (const controller of controllers.current) controller.abort();
    controllers.current.clear();
    setTicketId(null);
    resetMutation();
  }, [resetMutation]);

  const keep = useCallback(
    async (image: GeneratedImage) => {
      const kept = await keepImage(image, { fetch: latest.current.config.fetch });
      const swap = (images: GeneratedImage[]) =>
        images.map((i) => (i === image || i.src === image.src ? kept : i));
      setHistory((entries) => entries.map((entry) => ({ ...entry, images: swap(entry.images) })));
      return kept;
    },
    [latest],
  );

  const clearHistory = useCallback(() => setHistory([]), []);

  const aborted = mutation.status === 'error' && AbortError.isInstance(mutation.error);
  const status: ImageRequestStatus = mutation.isPending
    ? ticketId !== null
      ? 'queued'
      : 'pending'
    : aborted
      ? 'idle'
      : mutation.status;
  const data = useMemo(() => {
    // `keep` swaps images in history; show the kept ones in `data` too.
    const batch = mutation.data;
    if (!batch) return undefined;
    const entry = history.find((e) => e.status === 'success' && e.images.length === batch.images.length);
    return entry ? { ...batch, images: entry.images } : batch;
  }, [mutation.data, history]);
  const queue = ticketId !== null ? (snapshot?.queue.find((t) => t.id === ticketId) ?? null) : null;

  const result: UseImageRequestResult = {
    status,
    data,
    error: status === 'error' ? mutation.error : null,
    isPending: status === 'queued' || status === 'pending',
    reset: resetMutation,
    cancel,
    history,
    clearHistory,
    queue,
    pausedUntil: snapshot?.pausedUntil ?? null,
    keep,
  };
  return { result, start };
}

/**
 * Generates images from a prompt (`POST /images/generations`) as a React Query mutation, paced
 * to the images rate limit, with a history for `ImageGallery`. Works without a provider when
 * given `baseUrl`; with neither, it throws a `ConfigurationError` while rendering.
 *
 * @example
 * ```tsx
 * import { useImageGeneration } from 'parlance';
 *
 * export function Poster() {
 *   const { generate, data, queue } = useImageGeneration({ baseUrl: '/api/v1', model: 'dall-e-3' });
 *   const paint = () => generate({ prompt: 'A lighthouse at dawn, watercolour', size: '1792x1024' });
 *   return (
 *     <>
 *       <button onClick={() => void paint()}>{queue ? `Queued (${queue.position})` : 'Paint'}</button>
 *       {data?.images.map((image) => <img key={image.src} src={image.src} alt={image.revisedPrompt ?? ''} />)}
 *     </>
 *   );
 * }
 * ```
 */
export function useImageGeneration(options: UseImageOptions = {}): UseImageGenerationResult {
  const { result, start } = useImageRequest<GenerateImagesInput>(options, 'generate', generateImages);
  return { ...result, generate: start };
}
