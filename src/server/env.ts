import type { CostGuardOptions } from './guards';
import type { CreateServerOptions } from './node';
import { checkUpstream, type UpstreamOptions } from './proxy';
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

/** Names of the environment's upstream settings, for {@link checkUpstream}'s messages. */
const ENV_NAMES = {
  headers: 'PARLANCE_UPSTREAM_HEADERS',
  query: 'PARLANCE_UPSTREAM_QUERY',
  keyHeader: 'PARLANCE_UPSTREAM_KEY_HEADER',
};

/** A JSON object whose values are all strings, from `env[name]`, or a `TypeError` naming it. */
function stringRecord(text: string, name: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TypeError(`${name} must be a JSON object, such as {"X-Title": "My app"}; it is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`${name} must be a JSON object, such as {"X-Title": "My app"}`);
  const entries = Object.entries(value);
  for (const [key, item] of entries)
    if (typeof item !== 'string') throw new TypeError(`${name}: the value of ${key} must be a string`);
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * The extra upstream settings of the environment: `PARLANCE_UPSTREAM_HEADERS` (a JSON object),
 * `PARLANCE_UPSTREAM_QUERY` (a JSON object, or `a=b&c=d`) and `PARLANCE_UPSTREAM_KEY_HEADER`.
 */
export function upstreamExtrasFromEnv(
  env: Record<string, string | undefined>,
): Pick<UpstreamOptions, 'headers' | 'query' | 'keyHeader'> {
  const extras: Pick<UpstreamOptions, 'headers' | 'query' | 'keyHeader'> = {};
  const headers = env.PARLANCE_UPSTREAM_HEADERS?.trim();
  if (headers) extras.headers = stringRecord(headers, ENV_NAMES.headers);
  const query = env.PARLANCE_UPSTREAM_QUERY?.trim();
  if (query) {
    extras.query = query.startsWith('{')
      ? stringRecord(query, ENV_NAMES.query)
      : Object.fromEntries(new URLSearchParams(query.replace(/^\?/, '')));
  }
  const keyHeader = env.PARLANCE_UPSTREAM_KEY_HEADER?.trim();
  if (keyHeader) extras.keyHeader = keyHeader;
  return extras;
}

/**
 * Reads the server's configuration from environment variables:
 * `OPENAI_API_KEY` (+ `OPENAI_BASE_URL`) or `PARLANCE_UPSTREAM_URL` (+ `PARLANCE_UPSTREAM_KEY`)
 * for proxy mode, with `PARLANCE_UPSTREAM_HEADERS`, `PARLANCE_UPSTREAM_QUERY` and
 * `PARLANCE_UPSTREAM_KEY_HEADER` for gateways that want more, `PARLANCE_UPSTREAM_TIMEOUT_MS`, `PARLANCE_ALLOWED_ORIGINS` (comma-separated, or
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
  const extras = upstreamExtrasFromEnv(env);
  if (env.PARLANCE_UPSTREAM_URL) {
    options.upstream = {
      baseUrl: env.PARLANCE_UPSTREAM_URL,
      // Never OPENAI_API_KEY here: that key is for OpenAI, not for whatever this URL points at.
      apiKey: env.PARLANCE_UPSTREAM_KEY || undefined,
      timeoutMs,
      ...extras,
    };
  } else if (env.OPENAI_API_KEY) {
    options.upstream = {
      baseUrl: env.OPENAI_BASE_URL || 'https://api.openai.com/v1',
      apiKey: env.OPENAI_API_KEY,
      timeoutMs,
      ...extras,
    };
  }
  if (options.upstream) checkUpstream(options.upstream, ENV_NAMES);
  else if (Object.keys(extras).length > 0)
    throw new TypeError(
      `${Object.keys(extras)
        .map((key) => ENV_NAMES[key as keyof typeof ENV_NAMES])
        .join(', ')} need an upstream: set PARLANCE_UPSTREAM_URL (or OPENAI_API_KEY)`,
    );
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
  const { apiKey, keyHeader, headers, query } = options.upstream;
  const url = new URL(options.upstream.baseUrl);
  // Names only: a value may be a secret.
  const notes = [
    ...(apiKey ? [`key held by the server${keyHeader ? `, sent as ${keyHeader}` : ''}`] : []),
    ...(headers && Object.keys(headers).length > 0 ? [`headers ${Object.keys(headers).join(', ')}`] : []),
    ...(query && Object.keys(query).length > 0 ? [`query ${Object.keys(query).join(', ')}`] : []),
  ];
  return `proxy to ${url.origin}${url.pathname}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
