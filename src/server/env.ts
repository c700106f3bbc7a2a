import type { CostGuardOptions } from './guards';
import type { CreateServerOptions } from './node';
import { createRedisStore } from './store/redis';

/** A comma-separated list, trimmed, without empty entries. */
const list = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** A positive whole number from `env[name]`, `undefined` when unset, or a `TypeError` naming it. */
function positiveInteger(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`${name} must be a positive whole number; got ${JSON.stringify(env[name])}`);
  return value;
}

/**
 * Reads the server's configuration from environment variables:
 * `OPENAI_API_KEY` (+ `OPENAI_BASE_URL`) or `PARLANCE_UPSTREAM_URL` (+ `PARLANCE_UPSTREAM_KEY`)
 * for proxy mode, `PARLANCE_UPSTREAM_TIMEOUT_MS`, `PARLANCE_ALLOWED_ORIGINS` (comma-separated, or
 * `*`), `PARLANCE_ALLOWED_HOSTS` (comma-separated, or `*`), `PARLANCE_TRUST_PROXY`
 * (comma-separated addresses and ranges), `PARLANCE_REDIS_URL` (a Redis store, shared by every
 * instance that names it), `PARLANCE_CHAT_RPM` and `PARLANCE_IMAGES_PER_MINUTE`. Nothing set:
 * offline mode, in memory. Proxy mode's cost guards: `PARLANCE_MAX_N`, `PARLANCE_MAX_TOKENS`,
 * `PARLANCE_ALLOWED_MODELS` (comma-separated ids or globs), `PARLANCE_DAILY_TOKEN_BUDGET` and
 * `PARLANCE_MAX_IMAGE_PIXELS`. Throws a `TypeError` for a value it cannot use (naming the variable).
 *
 * @example createServer(optionsFromEnv(process.env))
 */
export function optionsFromEnv(env: Record<string, string | undefined>): CreateServerOptions {
  const options: CreateServerOptions = {};
  const timeoutMs = Number(env.PARLANCE_UPSTREAM_TIMEOUT_MS) || undefined;
  if (env.PARLANCE_UPSTREAM_URL) {
    options.upstream = {
      baseUrl: env.PARLANCE_UPSTREAM_URL,
      // Never OPENAI_API_KEY here: that key is for OpenAI, not for whatever this URL points at.
      apiKey: env.PARLANCE_UPSTREAM_KEY || undefined,
      timeoutMs,
    };
  } else if (env.OPENAI_API_KEY) {
    options.upstream = {
      baseUrl: env.OPENAI_BASE_URL || 'https://api.openai.com/v1',
      apiKey: env.OPENAI_API_KEY,
      timeoutMs,
    };
  }
  const origins = env.PARLANCE_ALLOWED_ORIGINS?.trim();
  if (origins) {
    options.allowedOrigins =
      origins === '*'
        ? '*'
        : origins
            .split(',')
            .map((o) => o.trim().replace(/\/+$/, ''))
            .filter(Boolean);
  }
  const hosts = env.PARLANCE_ALLOWED_HOSTS?.trim();
  if (hosts) options.allowedHosts = hosts === '*' ? '*' : list(hosts);
  const proxies = env.PARLANCE_TRUST_PROXY?.trim();
  if (proxies) options.trustProxy = list(proxies);
  const redis = env.PARLANCE_REDIS_URL?.trim();
  if (redis) options.store = createRedisStore({ url: redis });
  const chat = Number(env.PARLANCE_CHAT_RPM);
  const images = Number(env.PARLANCE_IMAGES_PER_MINUTE);
  if (chat > 0 || images > 0) {
    options.rateLimits = {
      ...(chat > 0 ? { chatPerMinute: chat } : {}),
      ...(images > 0 ? { imagesPerMinute: images } : {}),
    };
  }
  const guards: CostGuardOptions = {};
  const maxN = positiveInteger(env, 'PARLANCE_MAX_N');
  const maxTokens = positiveInteger(env, 'PARLANCE_MAX_TOKENS');
  const budget = positiveInteger(env, 'PARLANCE_DAILY_TOKEN_BUDGET');
  const pixels = positiveInteger(env, 'PARLANCE_MAX_IMAGE_PIXELS');
  const models = env.PARLANCE_ALLOWED_MODELS?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (maxN !== undefined) guards.maxN = maxN;
  if (maxTokens !== undefined) guards.maxTokens = maxTokens;
  if (budget !== undefined) guards.dailyTokenBudget = budget;
  if (pixels !== undefined) guards.maxImagePixels = pixels;
  if (models?.length) guards.allowedModels = models;
  if (Object.keys(guards).length > 0) options.costGuards = guards;
  return options;
}

/** Where the server forwards to, without the key: safe to print. */
export function describeMode(options: CreateServerOptions): string {
  if (!options.upstream) return 'offline (no upstream configured: answers come from the documentation)';
  const url = new URL(options.upstream.baseUrl);
  return `proxy to ${url.origin}${url.pathname}${options.upstream.apiKey ? ' (key held by the server)' : ''}`;
}
