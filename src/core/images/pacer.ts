import { AbortError } from '../errors';

/** Options of {@link ImagePacer}. */
export interface ImagePacerOptions {
  /** The sustained rate. Default `50`, the images API's default limit. */
  imagesPerMinute?: number;
  /** How many images may go at once from a full bucket. Default: `imagesPerMinute`. */
  burst?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/** One request waiting for its turn. */
export interface ImagePacerTicket {
  /** Stable for the life of the ticket. */
  readonly id: number;
  /** Images the request will produce. */
  readonly images: number;
  /** 1 for the next to go. */
  readonly position: number;
  /** Estimated wait from `at`, in ms. */
  readonly waitMs: number;
  /** The estimated start, as a `Date.now()` time (for a countdown). */
  readonly readyAt: number;
}

/** What the pacer shows a UI. */
export interface ImagePacerSnapshot {
  /** Waiting requests in order. */
  readonly queue: readonly ImagePacerTicket[];
  /** Set while a 429's `Retry-After` holds every request back. */
  readonly pausedUntil: number | null;
  /** When the snapshot was taken; `0` before the pacer was first used. */
  readonly at: number;
}

interface Waiter {
  id: number;
  images: number;
  resolve(): void;
  reject(error: unknown): void;
  signal: AbortSignal | null | undefined;
  onAbort: () => void;
}

/**
 * A client-side token bucket for image requests: each request takes one token per image; the
 * bucket refills at `imagesPerMinute`. Requests queue in order instead of provoking 429s, and a
 * 429's `Retry-After` pauses the whole queue ({@link ImagePacer.pause}). Subscribe to show the
 * queue position and the wait.
 *
 * @example
 * ```ts
 * const pacer = new ImagePacer({ imagesPerMinute: 50 });
 * await pacer.acquire(4, { signal });  // resolves when 4 images may be requested
 * ```
 */
export class ImagePacer {
  readonly imagesPerMinute: number;
  readonly burst: number;
  #now: () => number;
  #tokens: number;
  /** `null` until first used: creating a pacer reads no clock (hooks create the shared one while rendering). */
  #refilledAt: number | null = null;
  #pausedUntil = 0;
  #queue: Waiter[] = [];
  #nextId = 1;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #listeners = new Set<() => void>();
  #snapshot: ImagePacerSnapshot;

  constructor(options: ImagePacerOptions = {}) {
    this.imagesPerMinute = Math.max(1e-3, options.imagesPerMinute ?? 50);
    this.burst = Math.max(1, options.burst ?? Math.ceil(this.imagesPerMinute));
    this.#now = options.now ?? Date.now;
    this.#tokens = this.burst;
    this.#snapshot = { queue: [], pausedUntil: null, at: 0 };
  }

  get #msPerToken(): number {
    return 60_000 / this.imagesPerMinute;
  }

  #refill(now: number): void {
    const since = this.#refilledAt === null ? 0 : now - this.#refilledAt;
    this.#tokens = Math.min(this.burst, this.#tokens + since / this.#msPerToken);
    this.#refilledAt = now;
  }

  /**
   * Resolves when `images` images may be requested (a request larger than `burst` waits for a
   * full bucket). `onTicket` receives the ticket id to look up with {@link ImagePacer.ticket}. Rejects with `AbortError` if `signal` fires while waiting; the ticket leaves the
   * queue.
   */
  acquire(
    images = 1,
    options: { signal?: AbortSignal | null; onTicket?: (id: number) => void } = {},
  ): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        id: this.#nextId++,
        images: Math.min(this.burst, Math.max(1, images)),
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#queue = this.#queue.filter((w) => w !== waiter);
          reject(new AbortError(undefined, { cause: signal?.reason }));
          this.#pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      options.onTicket?.(waiter.id);
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** Holds every request back for `ms` (a 429's `Retry-After`); a shorter pause never shortens a longer one. */
  pause(ms: number): void {
    const until = this.#now() + Math.max(0, ms);
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    // A 429 means the server's bucket is empty, whatever ours says.
    this.#tokens = Math.min(this.#tokens, 0);
    this.#pump();
  }

  #pump(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const now = this.#now();
    this.#refill(now);
    if (now >= this.#pausedUntil) {
      while (this.#queue.length > 0 && this.#tokens >= this.#queue[0]!.images - 1e-9) {
        const waiter = this.#queue.shift()!;
        this.#tokens -= waiter.images;
        waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
      }
    }
    this.#publish(now);
    const head = this.#queue[0];
    if (head) {
      const wait = this.#snapshot.queue[0]!.readyAt - now;
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, Math.ceil(wait)));
    }
  }

  #publish(now: number): void {
    let start = Math.max(now, this.#pausedUntil);
    let tokens = this.#tokens;
    // Tokens that accrue during a pause count once it ends.
    if (start > now) tokens = Math.min(this.burst, tokens + (start - now) / this.#msPerToken);
    const queue = this.#queue.map((waiter, index): ImagePacerTicket => {
      const deficit = waiter.images - tokens;
      const readyAt = deficit > 0 ? start + deficit * this.#msPerToken : start;
      tokens = deficit > 0 ? 0 : tokens - waiter.images;
      start = readyAt;
      return { id: waiter.id, images: waiter.images, position: index + 1, waitMs: readyAt - now, readyAt };
    });
    const previous = this.#snapshot;
    const pausedUntil = this.#pausedUntil > now ? this.#pausedUntil : null;
    if (previous.queue.length === 0 && queue.length === 0 && previous.pausedUntil === pausedUntil) return;
    this.#snapshot = { queue, pausedUntil, at: now };
    for (const listener of this.#listeners) listener();
  }

  /** The ticket of a waiting request, by the id {@link ImagePacer.getSnapshot} lists. */
  ticket(id: number): ImagePacerTicket | undefined {
    return this.#snapshot.queue.find((t) => t.id === id);
  }

  /** Calls `listener` whenever the queue or the pause changes. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current queue; the same object until something changes (for `useSyncExternalStore`). */
  getSnapshot(): ImagePacerSnapshot {
    return this.#snapshot;
  }
}

let shared: ImagePacer | undefined;

/**
 * The pacer every image hook shares unless given its own, so the 50-a-minute budget covers the
 * whole page. Created on first use.
 */
export function getSharedImagePacer(): ImagePacer {
  shared ??= new ImagePacer();
  return shared;
}
