/** The outcome of {@link RateLimiter.take}. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Token buckets per client: `perMinute` tokens, refilled continuously. Memory stays bounded: full
 * buckets are forgotten when the table grows past `maxClients`.
 */
export class RateLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #maxClients: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(perMinute: number, maxClients = 10_000) {
    this.#capacity = perMinute;
    this.#perMs = perMinute / 60_000;
    this.#maxClients = maxClients;
  }

  /** Takes `cost` tokens from `client`'s bucket, or says how long until it could. */
  take(client: string, cost = 1, now = Date.now()): RateDecision {
    let bucket = this.#buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) * this.#perMs);
      bucket.at = now;
    } else {
      if (this.#buckets.size >= this.#maxClients) this.#sweep(now);
      bucket = { tokens: this.#capacity, at: now };
      this.#buckets.set(client, bucket);
    }
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    const missing = Math.min(cost, this.#capacity) - bucket.tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.#perMs / 1000)) };
  }

  #sweep(now: number): void {
    for (const [client, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.#capacity) this.#buckets.delete(client);
    }
    // Still full of active clients: drop the oldest half rather than grow without bound.
    if (this.#buckets.size >= this.#maxClients) {
      let drop = this.#buckets.size >> 1;
      for (const client of this.#buckets.keys()) {
        if (drop-- <= 0) break;
        this.#buckets.delete(client);
      }
    }
  }
}
