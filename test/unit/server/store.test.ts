// The two ServerStores behave alike: token buckets, counters and images, checked against each.
// The Redis one runs against a real redis-server; then what it does when Redis goes away.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  createMemoryStore,
  createRedisStore,
  optionsFromEnv,
  StoreUnavailableError,
  type ServerStore,
} from '../../../src/server/index';
import { envelope, offlineServer, postJson } from './helpers';
import { startRedis, type RedisServer } from './redis-server';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.kill());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);
let prefixes = 0;

const stores: [string, () => ServerStore][] = [
  ['memory', () => createMemoryStore()],
  // A prefix per store, so that the tests share one redis-server and not their keys.
  [
    'redis',
    () => createRedisStore({ url: redis.url, prefix: `test${++prefixes}:`, onStatus: () => undefined }),
  ],
];

describe.each(stores)('%s store', (_name, make) => {
  let store: ServerStore;
  beforeAll(() => {
    store = make();
  });
  afterAll(() => store.close());

  test('a bucket gives its capacity, then says when to come back', async () => {
    const rule = { capacity: 3, windowMs: 60_000 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await store.take('bucket-a', 1, rule));
    expect(decisions.slice(0, 3)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(decisions[3]).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(await store.take('bucket-b', 1, rule)).toEqual({ ok: true });
  });

  test('a cost larger than what is left is refused whole; the bucket refills continuously', async () => {
    // 2.5 tokens a second: 2 left, the next 3 take 1.2 s (generous on a busy machine).
    const rule = { capacity: 10, windowMs: 4000 };
    expect(await store.take('refill', 8, rule)).toEqual({ ok: true });
    const refused = await store.take('refill', 5, rule);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeOneOf([1, 2]);
    await sleep(1300);
    expect(await store.take('refill', 5, rule)).toEqual({ ok: true });
  });

  test('concurrent takes never give more than the capacity', async () => {
    const rule = { capacity: 25, windowMs: 3_600_000 };
    const decisions = await Promise.all(Array.from({ length: 60 }, () => store.take('race', 1, rule)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(25);
  });

  test('counters add up, start at 0 and expire', async () => {
    expect(await store.count('tokens')).toBe(0);
    expect(await store.increment('tokens', 120, 60_000)).toBe(120);
    expect(await store.increment('tokens', 30, 60_000)).toBe(150);
    expect(await store.count('tokens')).toBe(150);
    await store.increment('short', 5, 50);
    await sleep(120);
    expect(await store.count('short')).toBe(0);
    expect(await store.increment('short', 1, 50)).toBe(1);
  });

  test('images come back byte for byte, until their lifetime ends', async () => {
    const png = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    await store.putImage('aaaaaaaaaaaaaaaaaaaaaaaa', png, 60_000);
    expect(await store.getImage('aaaaaaaaaaaaaaaaaaaaaaaa')).toEqual(png);
    expect(await store.getImage('bbbbbbbbbbbbbbbbbbbbbbbb')).toBeUndefined();
    await store.putImage('cccccccccccccccccccccccc', png, 50);
    await sleep(120);
    expect(await store.getImage('cccccccccccccccccccccccc')).toBeUndefined();
  });
});

describe('image limits', () => {
  test('the memory store holds images up to a byte budget, dropping the least recently used', async () => {
    const store = createMemoryStore({ maxImageBytes: 1000 });
    await store.putImage('one', bytes(400, 1), 60_000);
    await store.putImage('two', bytes(400, 2), 60_000);
    await store.getImage('one'); // used: now `two` is the oldest
    await store.putImage('three', bytes(400, 3), 60_000);
    expect(await store.getImage('one')).toEqual(bytes(400, 1));
    expect(await store.getImage('two')).toBeUndefined();
    expect(await store.getImage('three')).toEqual(bytes(400, 3));
  });

  test('the default budget is 256 MB: many large images do not pile up past it', async () => {
    const store = createMemoryStore();
    const image = bytes(16 * 1024 * 1024);
    for (let i = 0; i < 20; i++) await store.putImage(`image${i}`, image, 60_000);
    let kept = 0;
    for (let i = 0; i < 20; i++) if (await store.getImage(`image${i}`)) kept++;
    expect(kept).toBe(16);
    expect(await store.getImage('image19')).toBeDefined();
  });

  test.each(stores)(
    'the %s store refuses an image over its per-image cap with a RangeError',
    async (name) => {
      const store =
        name === 'memory'
          ? createMemoryStore({ maxBytesPerImage: 1000 })
          : createRedisStore({
              url: redis.url,
              prefix: 'cap:',
              maxBytesPerImage: 1000,
              onStatus: () => undefined,
            });
      try {
        await expect(store.putImage('big', bytes(1001), 60_000)).rejects.toThrow(RangeError);
        await expect(store.putImage('big', bytes(1001), 60_000)).rejects.toThrow(/1001 bytes.*1000 bytes/);
        await store.putImage('fits', bytes(1000), 60_000);
        expect(await store.getImage('fits')).toHaveLength(1000);
      } finally {
        await store.close();
      }
    },
  );
});

describe('createRedisStore', () => {
  test('a URL that is not redis:// or rediss:// is a TypeError naming the variable', () => {
    expect(() => createRedisStore({ url: 'http://127.0.0.1:6379' })).toThrow(/PARLANCE_REDIS_URL/);
    expect(() => optionsFromEnv({ PARLANCE_REDIS_URL: 'not a url' })).toThrow(TypeError);
  });

  test('PARLANCE_REDIS_URL chooses it: two servers from the same environment share their limits', async () => {
    const env = { PARLANCE_REDIS_URL: redis.url, PARLANCE_CHAT_RPM: '2' };
    const a = optionsFromEnv(env);
    const b = optionsFromEnv(env);
    const chat = { model: 'parlance-offline', messages: [{ role: 'user', content: 'hi' }] };
    try {
      const one = offlineServer({ ...a, documents: [], rateLimits: a.rateLimits });
      const two = offlineServer({ ...b, documents: [], rateLimits: b.rateLimits });
      // No socket: both name the caller `local`, so both count in the same Redis bucket.
      const statuses = [];
      for (const server of [one, two, one, two]) {
        statuses.push((await postJson(server, '/v1/chat/completions', chat)).status);
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await a.store?.close();
      await b.store?.close();
      // The next test run starts a new redis-server; this one forgets the bucket with it.
    }
  });

  test('Redis down: 503 in the envelope at once, no crash, one status line; back up: served again', async () => {
    const lines: string[] = [];
    const store = createRedisStore({ url: redis.url, prefix: 'down:', onStatus: (line) => lines.push(line) });
    const server = offlineServer({ documents: [], store, rateLimits: { chatPerMinute: 100 } });
    const chat = { model: 'parlance-offline', messages: [{ role: 'user', content: 'hi' }] };
    try {
      expect((await postJson(server, '/v1/chat/completions', chat)).status).toBe(200);
      await redis.kill();
      await sleep(100);
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const response = await postJson(server, '/v1/chat/completions', chat);
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        const error = await envelope(response);
        expect(error).toMatchObject({ type: 'server_error', code: 'store_unavailable' });
        expect(error.message).not.toContain('127.0.0.1');
        expect(performance.now() - started).toBeLessThan(2500);
      }
      await expect(store.getImage('x')).rejects.toSatisfy(StoreUnavailableError.isInstance);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^Redis store: (cannot reach|lost the connection to) redis:\/\/127\.0\.0\.1:\d+/,
      );

      await redis.restart();
      let status = 0;
      for (let tries = 0; tries < 100 && status !== 200; tries++) {
        await sleep(100);
        status = (await postJson(server, '/v1/chat/completions', chat)).status;
      }
      expect(status).toBe(200);
      expect(lines.at(-1)).toMatch(/connected to redis:\/\/127\.0\.0\.1:\d+ again/);
    } finally {
      await store.close();
    }
  });

  test('closing lets the process go: no open handles left by the client', async () => {
    const store = createRedisStore({ url: redis.url, prefix: 'close:', onStatus: () => undefined });
    await store.increment('n', 1, 1000);
    await store.close();
    await expect(store.count('n')).rejects.toSatisfy(StoreUnavailableError.isInstance);
  });
});
