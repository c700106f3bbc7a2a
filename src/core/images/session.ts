import { checkStoredFormat } from '../chat/persisted';
import { ChatStorageError, type ChatStorage } from '../chat/storage';
import { createClient, type Client } from '../client/create-client';
import { AbortError, ApiError, ConfigurationError } from '../errors';
import type { ImageOperation } from './models';
import {
  getSharedImagePacer,
  type ImagePacer,
  type ImagePacerSnapshot,
  type ImagePacerTicket,
} from './pacer';
import {
  editImage,
  generateImages,
  varyImage,
  type EditImageInput,
  type GenerateImagesInput,
  type ImageBatch,
  type ImageRequestContext,
  type VaryImageInput,
} from './requests';
import { isImageExpired, keepImage, type GeneratedImage } from './results';

/**
 * The state of an operation's latest request. `queued` waits for the pacer, `pending` is on the
 * wire. A cancelled request returns to `idle`.
 */
export type ImageRequestStatus = 'idle' | 'queued' | 'pending' | 'success' | 'error';

/** One request in a session's history, newest first; what `ImageGallery` shows. */
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

/** The latest request of one operation (`generate`, `edit`, `variation`). */
export interface ImageOperationState {
  status: ImageRequestStatus;
  /** The latest successful batch; cleared when a new request starts. */
  data: ImageBatch | undefined;
  /** The latest failure, `null` unless `status` is `error`. */
  error: unknown;
  /** While the latest request waits for the pacer: its position and estimated wait. */
  queue: ImagePacerTicket | null;
}

/** What an {@link ImageSession} holds; immutable, the same object until something changes. */
export interface ImageSessionSnapshot {
  /** The session id (the storage key's suffix). */
  id: string;
  /** Every request of every operation, newest first. */
  history: ImageHistoryEntry[];
  /** The latest request per operation. */
  requests: Record<ImageOperation, ImageOperationState>;
  /** While a 429 holds every request back: until when (`Date.now()` time). */
  pausedUntil: number | null;
  /** `none` without storage; `loading` until `mount` has read it; `failed` if it could not be read. */
  restore: 'none' | 'loading' | 'ready' | 'failed';
}

/** Options of {@link createImageSession}. */
export interface ImageSessionOptions {
  /** Names the session; with `storage`, its history is kept under `parlance:images:<id>`. */
  id?: string;
  /**
   * Where the history is kept between reloads (the chat storage interface). Images held as
   * Blobs survive in IndexedDB; in `localStorage` only URLs survive, and an image whose bytes
   * were lost comes back expired. Without it, nothing is stored.
   */
  storage?: ChatStorage | null;
  /** OpenAI-style base URL ending in `/v1`; needed unless `client` is given. */
  baseUrl?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
  /** A client to send with instead of one built from `baseUrl`. */
  client?: Client;
  /** The image model when a request names none. Default `dall-e-2`. */
  model?: string;
  /**
   * Paces requests (default: one pacer shared by the page, 50 images a minute). `null` sends
   * without pacing.
   */
  pacer?: ImagePacer | null;
  /** Requests kept in `history`. Default `20`. */
  historyLimit?: number;
  /** Called when the history cannot be read or written (a {@link ChatStorageError}). */
  onStorageError?: (error: ChatStorageError) => void;
}

/** The marker and version written with every stored image history. */
const IMAGE_HISTORY_FORMAT = 'parlance.images';
const IMAGE_HISTORY_FORMAT_VERSION = 1;

/** The storage key of image session `id`. */
function imageHistoryStorageKey(id: string): string {
  return `parlance:images:${id}`;
}

const OPERATIONS: readonly ImageOperation[] = ['generate', 'edit', 'variation'];
const IDLE: ImageOperationState = { status: 'idle', data: undefined, error: null, queue: null };
const STATUSES = new Set(['queued', 'pending', 'success', 'error', 'cancelled']);
const RUNNERS: {
  [K in ImageOperation]: (input: never, context: ImageRequestContext) => Promise<ImageBatch>;
} = { generate: generateImages, edit: editImage, variation: varyImage };

type Described = { prompt?: string; n?: number; size?: string; model?: string };

interface Latest {
  entryId: string | null;
  ticketId: number | null;
  state: ImageOperationState;
}

let counter = 0;

/**
 * One image workspace, independent of any UI framework: requests of all three operations, their
 * statuses, abort, pacing and one history across generate/edit/vary, persisted through the chat
 * storage interface, behind `subscribe` and `getSnapshot` (the `useSyncExternalStore` contract).
 * The image hooks are thin subscribers: hooks given the same session share its history.
 *
 * @example
 * ```ts
 * const images = createImageSession({ id: 'studio', baseUrl: '/v1', storage: createIndexedDBStorage() });
 * const unmount = images.mount(); // restore the history
 * images.subscribe(() => console.log(images.getSnapshot().history.length));
 * await images.generate({ prompt: 'A lighthouse at dawn' });
 * ```
 */
export class ImageSession {
  #options: ImageSessionOptions;
  readonly #id: string;
  #state: ImageSessionSnapshot;
  readonly #initial: ImageSessionSnapshot;
  #latest: Record<ImageOperation, Latest>;
  #controllers: Record<ImageOperation, Set<AbortController>> = {
    generate: new Set(),
    edit: new Set(),
    variation: new Set(),
  };
  #listeners = new Set<() => void>();
  #pacerUnsubscribe: (() => void) | null = null;
  #pacerSeen: ImagePacer | null = null;
  #restoreStarted = false;
  #restoring: Promise<void> | null = null;
  #dirty = false;

  constructor(options: ImageSessionOptions = {}) {
    this.#options = options;
    this.#id = options.id ?? 'anonymous';
    this.#latest = {
      generate: { entryId: null, ticketId: null, state: IDLE },
      edit: { entryId: null, ticketId: null, state: IDLE },
      variation: { entryId: null, ticketId: null, state: IDLE },
    };
    this.#state = this.#initial = {
      id: this.#id,
      history: [],
      requests: { generate: IDLE, edit: IDLE, variation: IDLE },
      pausedUntil: null,
      restore: options.storage ? 'loading' : 'none',
    };
  }

  /** The session id. */
  get id(): string {
    return this.#id;
  }

  /** The pacer requests wait for (`null` when unpaced). */
  get pacer(): ImagePacer | null {
    return this.#options.pacer === undefined ? getSharedImagePacer() : this.#options.pacer;
  }

  /** Replaces the options (the React binding pushes its latest props here). `id` and `storage` are fixed. */
  setOptions(options: ImageSessionOptions): void {
    this.#options = { ...options, id: this.#id, storage: this.#options.storage };
    if (this.#listeners.size > 0 && this.pacer !== this.#pacerSeen) {
      this.#unwatchPacer();
      this.#watchPacer();
    }
  }

  /** Registers a listener called after every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#watchPacer();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#unwatchPacer();
    };
  };

  /** The current state (the same object until something changes). */
  getSnapshot = (): ImageSessionSnapshot => this.#state;

  /** The state as it was at creation: what a server render shows. */
  getServerSnapshot = (): ImageSessionSnapshot => this.#initial;

  /**
   * Starts persistence: restores the history stored under `id` (once per session). Requests
   * that were running when the page closed come back `cancelled`; images whose URL expired, or
   * whose bytes the storage could not keep, come back marked `expired`. Returns the cleanup.
   */
  mount(): () => void {
    this.#restore();
    return () => {};
  }

  /** Sends `POST /images/generations`; resolves with the batch, rejects with a typed error (`AbortError` when cancelled). */
  generate = (input: GenerateImagesInput): Promise<ImageBatch> => this.run('generate', input);

  /** Prepares `image` and `mask` and sends `POST /images/edits`. */
  edit = (input: EditImageInput): Promise<ImageBatch> => this.run('edit', input);

  /** Prepares `image` and sends `POST /images/variations`. */
  vary = (input: VaryImageInput): Promise<ImageBatch> => this.run('variation', input);

  /** Sends one request of `operation`, recorded in the history. */
  run<O extends ImageOperation>(
    operation: O,
    input: O extends 'generate' ? GenerateImagesInput : O extends 'edit' ? EditImageInput : VaryImageInput,
  ): Promise<ImageBatch> {
    const described = input as Described;
    const id = `img-${Date.now().toString(36)}-${(counter++).toString(36)}`;
    const controller = new AbortController();
    this.#controllers[operation].add(controller);
    const entry: ImageHistoryEntry = {
      id,
      operation,
      ...(described.prompt !== undefined ? { prompt: described.prompt } : {}),
      n: described.n ?? 1,
      ...(described.size !== undefined ? { size: described.size } : {}),
      status: 'pending',
      images: [],
      error: null,
      createdAt: Date.now(),
      reduced: null,
    };
    const latest = this.#latest[operation];
    latest.entryId = id;
    latest.ticketId = null;
    latest.state = { status: 'pending', data: undefined, error: null, queue: null };
    const limit = this.#options.historyLimit ?? 20;
    this.#commit({ history: [entry, ...this.#state.history].slice(0, limit) }, true);

    const isLatest = () => this.#latest[operation].entryId === id;
    const send = async (): Promise<ImageBatch> => {
      const client = this.#client(operation);
      const context: ImageRequestContext = {
        client,
        pacer: this.pacer,
        signal: controller.signal,
        fetch: this.#options.fetch,
        onQueue: (ticket) => {
          if (isLatest()) {
            this.#latest[operation].ticketId = ticket;
            this.#setLatest(operation, { status: ticket === null ? 'pending' : 'queued' });
          }
          this.#update(id, { status: ticket === null ? 'pending' : 'queued' });
        },
      };
      const model = described.model ?? this.#options.model;
      return RUNNERS[operation]((model ? { ...input, model } : input) as never, context);
    };

    return send().then(
      (batch) => {
        this.#controllers[operation].delete(controller);
        this.#update(id, { status: 'success', images: batch.images, reduced: batch.reduced });
        if (isLatest()) this.#setLatest(operation, { status: 'success', data: batch, error: null });
        return batch;
      },
      (error: unknown) => {
        this.#controllers[operation].delete(controller);
        if (AbortError.isInstance(error) || controller.signal.aborted) {
          this.#update(id, { status: 'cancelled' });
          if (isLatest()) this.#setLatest(operation, IDLE);
        } else {
          this.#update(id, { status: 'error', error });
          if (isLatest()) this.#setLatest(operation, { status: 'error', data: undefined, error });
        }
        throw error;
      },
    );
  }

  /** Aborts every request of `operation` (default: all), queued or on the wire; they end as `cancelled`. */
  cancel = (operation?: ImageOperation): void => {
    for (const op of operation ? [operation] : OPERATIONS) {
      for (const controller of this.#controllers[op]) controller.abort();
      this.#controllers[op].clear();
      this.#forget(op);
    }
  };

  /** Forgets the latest result or error of `operation` (default: all); the history stays. */
  reset = (operation?: ImageOperation): void => {
    for (const op of operation ? [operation] : OPERATIONS) this.#forget(op);
  };

  /**
   * Keeps an image past its URL's one-hour expiry by fetching it to a Blob; the history and the
   * latest batch then hold the kept image.
   */
  keep = async (image: GeneratedImage): Promise<GeneratedImage> => {
    const kept = await keepImage(image, { fetch: this.#options.fetch });
    const swap = (images: GeneratedImage[]) =>
      images.map((i) => (i === image || i.src === image.src ? kept : i));
    for (const op of OPERATIONS) {
      const data = this.#latest[op].state.data;
      if (data && data.images.some((i) => i === image || i.src === image.src))
        this.#latest[op].state = { ...this.#latest[op].state, data: { ...data, images: swap(data.images) } };
    }
    this.#commit({ history: this.#state.history.map((e) => ({ ...e, images: swap(e.images) })) }, true);
    return kept;
  };

  /** Empties the history (and the stored copy). */
  clearHistory = (): void => {
    this.#commit({ history: [] }, true);
  };

  /** Resolves once the stored history has been read (at once without storage). */
  async ready(): Promise<void> {
    await this.#restoring;
  }

  // ——— state ———

  #client(operation: ImageOperation): Client {
    const options = this.#options;
    if (options.client) return options.client;
    if (options.baseUrl === undefined || options.baseUrl.trim() === '') {
      throw new ConfigurationError(
        `The image session "${this.#id}" cannot ${operation === 'variation' ? 'vary' : operation}: ` +
          'give it a baseUrl (an OpenAI-style base URL ending in /v1) or a client.',
        { option: 'baseUrl' },
      );
    }
    return createClient({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      headers: options.headers,
      fetch: options.fetch,
    });
  }

  #forget(operation: ImageOperation): void {
    const latest = this.#latest[operation];
    latest.entryId = null;
    latest.ticketId = null;
    this.#setLatest(operation, IDLE);
  }

  #setLatest(operation: ImageOperation, patch: Partial<ImageOperationState>): void {
    const latest = this.#latest[operation];
    latest.state = patch === IDLE ? IDLE : { ...latest.state, ...patch };
    this.#commit({});
  }

  #update(id: string, patch: Partial<ImageHistoryEntry>): void {
    const history = this.#state.history;
    if (!history.some((entry) => entry.id === id)) return;
    this.#commit(
      { history: history.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)) },
      true,
    );
  }

  #requests(pacer: ImagePacerSnapshot | null): Record<ImageOperation, ImageOperationState> {
    const previous = this.#state?.requests;
    const next = {} as Record<ImageOperation, ImageOperationState>;
    for (const op of OPERATIONS) {
      const { state, ticketId } = this.#latest[op];
      const queue = ticketId === null ? null : (pacer?.queue.find((t) => t.id === ticketId) ?? null);
      const candidate = queue === state.queue ? state : { ...state, queue };
      const old = previous?.[op];
      next[op] =
        old &&
        old.status === candidate.status &&
        old.data === candidate.data &&
        old.error === candidate.error &&
        old.queue === candidate.queue
          ? old
          : candidate;
    }
    return next;
  }

  #commit(patch: Partial<ImageSessionSnapshot>, historyChanged = false): void {
    const pacer = this.pacer?.getSnapshot() ?? null;
    this.#state = {
      ...this.#state,
      ...patch,
      requests: this.#requests(pacer),
      pausedUntil: pacer?.pausedUntil ?? null,
    };
    for (const listener of this.#listeners) listener();
    if (historyChanged) this.#persist();
  }

  #watchPacer(): void {
    const pacer = this.pacer;
    this.#pacerSeen = pacer;
    this.#pacerUnsubscribe = pacer?.subscribe(() => this.#commit({})) ?? null;
  }

  #unwatchPacer(): void {
    this.#pacerUnsubscribe?.();
    this.#pacerUnsubscribe = null;
    this.#pacerSeen = null;
  }

  // ——— persistence ———

  get #key(): string {
    return imageHistoryStorageKey(this.#id);
  }

  #report(error: unknown, fallback: string): void {
    const reported = ChatStorageError.isInstance(error)
      ? error
      : new ChatStorageError('io', this.#key, fallback, { cause: error });
    this.#options.onStorageError?.(reported);
  }

  #restore(): void {
    const storage = this.#options.storage;
    if (!storage || this.#restoreStarted) return;
    this.#restoreStarted = true;
    const apply = (value: unknown) => {
      const stored = fromPersistedImages(this.#key, value, Date.now());
      // Requests made before the stored history was read stay on top.
      const history = [...this.#state.history, ...(stored ?? [])].slice(0, this.#options.historyLimit ?? 20);
      this.#commit({ history, restore: 'ready' });
      if (this.#dirty || stored) this.#persist();
    };
    const fail = (error: unknown) => {
      // Never overwrite what could not be read.
      this.#report(error, `Could not read "${this.#key}"`);
      this.#commit({ restore: 'failed' });
    };
    try {
      const value = storage.get(this.#key);
      if (value instanceof Promise) this.#restoring = value.then(apply).catch(fail);
      else apply(value);
    } catch (error) {
      fail(error);
    }
  }

  #persist(): void {
    const storage = this.#options.storage;
    if (!storage) return;
    if (this.#state.restore !== 'ready') {
      this.#dirty = true;
      return;
    }
    this.#dirty = false;
    const onFail = (error: unknown) => this.#report(error, `Could not save "${this.#key}"`);
    try {
      const done = storage.set(this.#key, toPersistedImages(this.#id, this.#state.history));
      if (done instanceof Promise) done.catch(onFail);
    } catch (error) {
      onFail(error);
    }
  }
}

/** An image history as it is stored (version 1). */
interface PersistedImageHistory {
  format: typeof IMAGE_HISTORY_FORMAT;
  version: typeof IMAGE_HISTORY_FORMAT_VERSION;
  id: string;
  history: PersistedImageEntry[];
  /** When it was written, in ms since the epoch. */
  savedAt: number;
}

type PersistedImageEntry = Omit<ImageHistoryEntry, 'error'> & {
  error: { name: string; message: string; status?: number; code?: string | null } | null;
};

function toPersistedImages(id: string, history: ImageHistoryEntry[]): PersistedImageHistory {
  return {
    format: IMAGE_HISTORY_FORMAT,
    version: IMAGE_HISTORY_FORMAT_VERSION,
    id,
    savedAt: Date.now(),
    history: history.map((entry) => ({
      ...entry,
      images: entry.images.map(({ src, blob, revisedPrompt, expiresAt, expired }) => ({
        src,
        ...(blob ? { blob } : {}),
        ...(revisedPrompt !== undefined ? { revisedPrompt } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(expired ? { expired } : {}),
      })),
      error: describeError(entry.error),
    })),
  };
}

function describeError(error: unknown): PersistedImageEntry['error'] {
  if (error === null || error === undefined) return null;
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const info: NonNullable<PersistedImageEntry['error']> = { name: error.name, message: error.message };
  if (ApiError.isInstance(error)) {
    if (error.status !== undefined) info.status = error.status;
    info.code = error.code;
  }
  return info;
}

function reviveError(info: unknown): Error | null {
  if (typeof info !== 'object' || info === null) return null;
  const { name, message } = info as { name?: unknown; message?: unknown };
  const error = new Error(typeof message === 'string' ? message : 'The request failed');
  if (typeof name === 'string') error.name = name;
  return error;
}

function reviveImage(value: unknown, savedAt: number, now: number): GeneratedImage | null {
  if (typeof value !== 'object' || value === null) return null;
  const image = value as Partial<GeneratedImage>;
  if (typeof image.src !== 'string') return null;
  const base = {
    ...(typeof image.revisedPrompt === 'string' ? { revisedPrompt: image.revisedPrompt } : {}),
  };
  const blob = (image as { blob?: unknown }).blob;
  if (typeof Blob !== 'undefined' && blob instanceof Blob) {
    // The old object URL died with the page; the bytes survived.
    const src = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : image.src;
    return { ...base, src, blob };
  }
  // A `blob:` URL without its bytes (a storage that keeps no Blobs) stopped working when the
  // page closed.
  const expiresAt = image.src.startsWith('blob:')
    ? Math.min(typeof image.expiresAt === 'number' ? image.expiresAt : savedAt, savedAt)
    : image.expiresAt;
  const revived: GeneratedImage = {
    ...base,
    src: image.src,
    ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
  };
  return image.expired === true || isImageExpired(revived, now) ? { ...revived, expired: true } : revived;
}

/**
 * Reads a stored history: `undefined` when nothing is stored, the entries when it is ours, and a
 * {@link ChatStorageError} (`foreign`, `version`, `corrupt`) for anything else.
 */
function fromPersistedImages(key: string, value: unknown, now: number): ImageHistoryEntry[] | undefined {
  if (value === undefined || value === null) return undefined;
  const stored = checkStoredFormat<PersistedImageHistory>(
    key,
    value,
    IMAGE_HISTORY_FORMAT,
    IMAGE_HISTORY_FORMAT_VERSION,
    'image history',
  );
  if (!Array.isArray(stored.history)) {
    throw new ChatStorageError('corrupt', key, `The entry "${key}" has no readable history`);
  }
  const savedAt = typeof stored.savedAt === 'number' ? stored.savedAt : now;
  const entries: ImageHistoryEntry[] = [];
  for (const raw of stored.history as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const entry = raw as Partial<PersistedImageEntry>;
    if (
      typeof entry.id !== 'string' ||
      !OPERATIONS.includes(entry.operation as ImageOperation) ||
      !STATUSES.has(entry.status as string)
    )
      continue;
    const images = Array.isArray(entry.images)
      ? entry.images.flatMap((image) => reviveImage(image, savedAt, now) ?? [])
      : [];
    // A request that was running when the page closed can never finish.
    const status = entry.status === 'queued' || entry.status === 'pending' ? 'cancelled' : entry.status!;
    entries.push({
      id: entry.id,
      operation: entry.operation!,
      ...(typeof entry.prompt === 'string' ? { prompt: entry.prompt } : {}),
      n: typeof entry.n === 'number' ? entry.n : Math.max(1, images.length),
      ...(typeof entry.size === 'string' ? { size: entry.size } : {}),
      status,
      images,
      error: status === 'error' ? reviveError(entry.error) : null,
      createdAt: typeof entry.createdAt === 'number' ? entry.createdAt : 0,
      reduced: entry.reduced ?? null,
    });
  }
  return entries;
}

/**
 * Creates an {@link ImageSession}: the framework-agnostic engine behind the image hooks.
 *
 * @example
 * ```ts
 * const images = createImageSession({ baseUrl: '/v1', model: 'dall-e-3' });
 * const batch = await images.generate({ prompt: 'A lighthouse at dawn' });
 * images.getSnapshot().history[0]?.status; // 'success'
 * ```
 */
export function createImageSession(options: ImageSessionOptions = {}): ImageSession {
  return new ImageSession(options);
}
