/** The outcome of {@link ServerStore.take}. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A token bucket: `capacity` tokens, refilled continuously at `capacity` per `windowMs`. */
export interface BucketRule {
  capacity: number;
  windowMs: number;
}

/**
 * What several server instances must share: rate-limit buckets, counters (token budgets) and
 * generated images. In memory by default ({@link createMemoryStore}); `createRedisStore({ url })`
 * keeps them in Redis so that any instance serves any request. Every method may be called
 * concurrently; each is atomic on its own key. A store that cannot be reached rejects with a
 * {@link StoreUnavailableError}, which the server answers with a 503.
 */
export interface ServerStore {
  /** Takes `cost` tokens from the bucket `key`, or says how long until it could. */
  take(key: string, cost: number, rule: BucketRule): Promise<RateDecision>;
  /**
   * Adds `amount` to the counter `key` and resolves to its new total. A counter starts at 0 and
   * is forgotten `ttlMs` after it was created (a budget per day: the day's key and one day).
   */
  increment(key: string, amount: number, ttlMs: number): Promise<number>;
  /** The counter's total (0 when it does not exist or has expired). */
  count(key: string): Promise<number>;
  /**
   * Keeps a generated image for `ttlMs`; the store may drop older images first to stay in its
   * byte budget. An image larger than the store takes per image is refused with a `RangeError`.
   */
  putImage(id: string, png: Uint8Array, ttlMs: number): Promise<void>;
  /** The image, or `undefined` when it expired, was dropped or never existed. */
  getImage(id: string): Promise<Uint8Array | undefined>;
  /** Lets go of connections and timers. */
  close(): Promise<void>;
}

/** The largest generated image a store keeps by default: 16 MB (an offline 1792×1792 PNG is under 13 MB). */
export const DEFAULT_MAX_BYTES_PER_IMAGE = 16 * 1024 * 1024;

/**
 * The store (Redis) cannot be reached or did not answer in time. The server answers 503 in
 * OpenAI's error envelope; the store keeps reconnecting, and the next request may succeed.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  /** True for a {@link StoreUnavailableError} from any copy of this module. */
  static isInstance(error: unknown): error is StoreUnavailableError {
    return error instanceof Error && error.name === 'StoreUnavailableError';
  }
}

/** Refuses an image over `maxBytes` with a `RangeError` naming both sizes. */
export function checkImageSize(png: Uint8Array, maxBytes: number): void {
  if (png.byteLength > maxBytes) {
    throw new RangeError(
      `A generated image of ${png.byteLength} bytes exceeds the store's limit of ${maxBytes} bytes per image (maxBytesPerImage).`,
    );
  }
}
