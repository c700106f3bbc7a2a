import type { Redis } from 'ioredis';

import {
  DEFAULT_MAX_BYTES_PER_IMAGE,
  StoreUnavailableError,
  checkImageSize,
  type RateDecision,
  type ServerStore,
} from './types';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Put in front of every key, so that several apps can share one Redis. Default `parlance:`. */
  prefix?: string;
  /** The largest generated image kept, in bytes. Default 16 MB. */
  maxBytesPerImage?: number;
  /**
   * How long one operation may take, waiting for the first connection included, before it fails
   * with a {@link StoreUnavailableError} (the server answers 503). Default 2000 ms.
   */
  timeoutMs?: number;
  /**
   * Told once when Redis cannot be reached (then the store keeps reconnecting, and each operation
   * fails at once with a 503) and once when it can again. Default: `console.warn`.
   */
  onStatus?: (line: string) => void;
}

// A token bucket, refilled continuously, in one atomic step on the Redis server's own clock, so
// that every instance sees the same bucket whatever its clock says. Memory store: same arithmetic.
// KEYS[1] the bucket; ARGV capacity, windowMs, cost. Returns {1} or {0, ms until `cost` is there}.
const TAKE = `
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * capacity / window)
local ok = 0
if tokens >= cost then
  tokens = tokens - cost
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * window / capacity) + 1000)
if ok == 1 then return {1} end
return {0, tostring((math.min(cost, capacity) - tokens) * window / capacity)}
`;

// A counter that starts at 0 and expires `ttl` ms after it was created. KEYS[1]; ARGV amount, ttl.
const INCREMENT = `
local total = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total
`;

type Scripted = Redis & {
  parlanceTake(key: string, capacity: number, windowMs: number, cost: number): Promise<[number, string?]>;
  parlanceIncrement(key: string, amount: number, ttlMs: number): Promise<string>;
};

/** `url` without its credentials: safe to print. */
function shown(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * A {@link ServerStore} in Redis, so that several server instances share rate limits, budgets and
 * generated images: any instance serves any request. Rate limits are token buckets kept by one
 * atomic script each (on Redis's clock); images are stored with their lifetime (`SET … PX`), so
 * Redis forgets them by itself. The client (`ioredis`) is loaded on first use, so a server without
 * Redis never loads it.
 *
 * When Redis cannot be reached, each operation fails with a {@link StoreUnavailableError} (the
 * server answers 503) while the client reconnects in the background; nothing crashes.
 *
 * @example
 * ```ts
 * import { createRedisStore, createServer } from 'parlance/server';
 *
 * const server = createServer({ store: createRedisStore({ url: 'redis://127.0.0.1:6379' }) });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): ServerStore {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new TypeError(
      'The Redis URL (PARLANCE_REDIS_URL, or createRedisStore({ url })) must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
    );
  }
  const where = shown(url);
  const prefix = options.prefix ?? 'parlance:';
  const maxBytesPerImage = options.maxBytesPerImage ?? DEFAULT_MAX_BYTES_PER_IMAGE;
  const timeoutMs = options.timeoutMs ?? 2000;
  const status = options.onStatus ?? ((line: string) => console.warn(line));

  let closed = false;
  /** Why Redis cannot be reached now; `null` while connected or still connecting the first time. */
  let down: Error | null = null;
  let client: Promise<Scripted> | undefined;
  const connect = () =>
    (client ??= import('ioredis').then(({ Redis }) => {
      const redis = new Redis(options.url, {
        keyPrefix: prefix,
        // Fail at once while disconnected rather than queue: the caller answers 503 and the
        // client may retry; a rate-limit step replayed after a reconnect would count twice.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: timeoutMs,
        connectTimeout: timeoutMs,
        retryStrategy: (times) => Math.min(100 * times, 2000),
      }) as Scripted;
      redis.defineCommand('parlanceTake', { numberOfKeys: 1, lua: TAKE });
      redis.defineCommand('parlanceIncrement', { numberOfKeys: 1, lua: INCREMENT });
      redis.on('error', (error: Error) => {
        if (down === null && !closed)
          status(`Redis store: cannot reach ${where} (${error.message}); reconnecting`);
        down = error;
      });
      redis.on('close', () => {
        if (down === null && !closed) {
          down = new Error('connection closed');
          status(`Redis store: lost the connection to ${where}; reconnecting`);
        }
      });
      redis.on('ready', () => {
        if (down !== null) status(`Redis store: connected to ${where} again`);
        down = null;
      });
      return redis;
    }));

  const unavailable = (reason: string, cause?: unknown) =>
    new StoreUnavailableError(`The store at ${where} is unavailable: ${reason}`, { cause });

  /** The connected client, or a {@link StoreUnavailableError}. */
  const ready = async (): Promise<Scripted> => {
    if (closed) throw unavailable('the store is closed');
    const redis = await connect();
    if (redis.status === 'ready') return redis;
    if (down !== null) throw unavailable(down.message, down);
    // Still making the first connection: wait for it, a little.
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        redis.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const onError = (error: Error) => done(unavailable(error.message, error));
      const timer = setTimeout(() => done(unavailable(`no connection within ${timeoutMs} ms`)), timeoutMs);
      redis.once('ready', onReady);
      redis.once('error', onError);
    });
    return redis;
  };

  /** Runs `operation` on the connected client; a connection failure becomes a {@link StoreUnavailableError}. */
  const run = async <T>(operation: (redis: Scripted) => Promise<T>): Promise<T> => {
    const redis = await ready();
    try {
      return await operation(redis);
    } catch (error) {
      // Redis answered, with an error of its own (a bug here, not an outage): let it through.
      if (error instanceof Error && error.name === 'ReplyError') throw error;
      throw unavailable(error instanceof Error ? error.message : String(error), error);
    }
  };

  const ttl = (ms: number) => Math.max(1, Math.ceil(ms));

  return {
    async take(key, cost, rule): Promise<RateDecision> {
      const [ok, waitMs] = await run((redis) =>
        redis.parlanceTake(`bucket:${key}`, rule.capacity, rule.windowMs, cost),
      );
      if (ok === 1) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(waitMs) / 1000)) };
    },
    async increment(key, amount, ttlMs) {
      return Number(await run((redis) => redis.parlanceIncrement(`count:${key}`, amount, ttl(ttlMs))));
    },
    async count(key) {
      const total = await run((redis) => redis.get(`count:${key}`));
      return total === null ? 0 : Number(total);
    },
    async putImage(id, png, ttlMs) {
      checkImageSize(png, maxBytesPerImage);
      const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
      await run((redis) => redis.set(`image:${id}`, bytes, 'PX', ttl(ttlMs)));
    },
    async getImage(id) {
      const bytes = await run((redis) => redis.getBuffer(`image:${id}`));
      return bytes === null ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async close() {
      closed = true;
      if (!client) return;
      const redis = await client;
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
