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
 * concurrently; each is atomic on its own key.
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
  /** Keeps a generated image for `ttlMs`; the store may drop older images first to stay in its byte budget. */
  putImage(id: string, png: Uint8Array, ttlMs: number): Promise<void>;
  /** The image, or `undefined` when it expired, was dropped or never existed. */
  getImage(id: string): Promise<Uint8Array | undefined>;
  /** Lets go of connections and timers. */
  close(): Promise<void>;
}
