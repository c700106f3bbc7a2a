import { LRUCache } from 'lru-cache';

import {
  DEFAULT_MAX_BYTES_PER_IMAGE,
  checkImageSize,
  type BucketRule,
  type RateDecision,
  type ServerStore,
} from './types';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Buckets kept before full ones are forgotten. Default 10,000. */
  maxClients?: number;
  /**
   * Bytes of generated images kept in all: past it, the least recently used images are dropped
   * first. Default 256 MB.
   */
  maxImageBytes?: number;
  /** The largest image kept, in bytes. Default 16 MB. */
  maxBytesPerImage?: number;
}

/**
 * The default {@link ServerStore}: everything in this process. Fine for one instance; run several
 * behind a load balancer with `createRedisStore` instead.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ServerStore {
  const maxClients = options.maxClients ?? 10_000;
  const maxImageBytes = options.maxImageBytes ?? 256 * 1024 * 1024;
  const maxBytesPerImage = Math.min(options.maxBytesPerImage ?? DEFAULT_MAX_BYTES_PER_IMAGE, maxImageBytes);
  const buckets = new Map<string, { tokens: number; at: number; rule: BucketRule }>();
  const counters = new Map<string, { total: number; expires: number }>();
  // Bounded by bytes, not by count: a few large images cannot hold gigabytes.
  const images = new LRUCache<string, Uint8Array>({
    maxSize: maxImageBytes,
    sizeCalculation: (png) => Math.max(1, png.byteLength),
  });

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
      checkImageSize(png, maxBytesPerImage);
      images.set(id, png, { ttl: ttlMs });
    },
    async getImage(id) {
      return images.get(id);
    },
    async close() {
      buckets.clear();
      counters.clear();
      images.clear();
    },
  };
}
