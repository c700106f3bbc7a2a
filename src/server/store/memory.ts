import type { BucketRule, RateDecision, ServerStore } from './types';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Buckets kept before full ones are forgotten. Default 10,000. */
  maxClients?: number;
  /** Generated images kept at most. Default 200. */
  maxImages?: number;
}

/**
 * The default {@link ServerStore}: everything in this process. Fine for one instance; run several
 * behind a load balancer with `createRedisStore` instead.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ServerStore {
  const maxClients = options.maxClients ?? 10_000;
  const maxImages = options.maxImages ?? 200;
  const buckets = new Map<string, { tokens: number; at: number; rule: BucketRule }>();
  const counters = new Map<string, { total: number; expires: number }>();
  const images = new Map<string, { png: Uint8Array; expires: number }>();

  const refill = (bucket: { tokens: number; at: number; rule: BucketRule }, now: number) =>
    Math.min(
      bucket.rule.capacity,
      bucket.tokens + ((now - bucket.at) * bucket.rule.capacity) / bucket.rule.windowMs,
    );

  const sweepBuckets = (now: number) => {
    for (const [key, bucket] of buckets) {
      if (refill(bucket, now) >= bucket.rule.capacity) buckets.delete(key);
    }
    // Still full of active clients: drop the oldest half rather than grow without bound.
    if (buckets.size >= maxClients) {
      let drop = buckets.size >> 1;
      for (const key of buckets.keys()) {
        if (drop-- <= 0) break;
        buckets.delete(key);
      }
    }
  };

  return {
    async take(key, cost, rule): Promise<RateDecision> {
      const now = Date.now();
      let bucket = buckets.get(key);
      if (bucket) {
        bucket.tokens = refill(bucket, now);
        bucket.at = now;
        bucket.rule = rule;
      } else {
        if (buckets.size >= maxClients) sweepBuckets(now);
        bucket = { tokens: rule.capacity, at: now, rule };
        buckets.set(key, bucket);
      }
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { ok: true };
      }
      const missing = Math.min(cost, rule.capacity) - bucket.tokens;
      const perMs = rule.capacity / rule.windowMs;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / perMs / 1000)) };
    },
    async increment(key, amount, ttlMs) {
      const now = Date.now();
      let counter = counters.get(key);
      if (!counter || counter.expires <= now) {
        if (counters.size >= maxClients) {
          for (const [k, c] of counters) if (c.expires <= now) counters.delete(k);
        }
        counter = { total: 0, expires: now + ttlMs };
        counters.set(key, counter);
      }
      counter.total += amount;
      return counter.total;
    },
    async count(key) {
      const counter = counters.get(key);
      return counter && counter.expires > Date.now() ? counter.total : 0;
    },
    async putImage(id, png, ttlMs) {
      images.set(id, { png, expires: Date.now() + ttlMs });
      while (images.size > maxImages) images.delete(images.keys().next().value!);
    },
    async getImage(id) {
      const entry = images.get(id);
      if (entry && entry.expires < Date.now()) images.delete(id);
      return entry && entry.expires >= Date.now() ? entry.png : undefined;
    },
    async close() {
      buckets.clear();
      counters.clear();
      images.clear();
    },
  };
}
