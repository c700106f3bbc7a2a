import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

import { createOriginGuard } from './cors';
import { checkHost, listenerOf, normalizeAllowedHosts } from './hosts';
import { createIdentity, type Authorize, type TrustProxy } from './identity';
import { createCostGuards, type ChatAdmission, type CostGuardOptions } from './guards';
import { API_ROUTES, createOfflineEngine, readForm, resolveRoute } from './offline/engine';
import type { RunImageTask } from './offline/image-tasks';
import type { OfflineDocument } from './offline/retrieval';
import { HttpApiError, errorResponse } from './protocol/errors';
import {
  parseJsonObject,
  readImageForm,
  validateChatRequest,
  validateImageGeneration,
} from './protocol/validate';
import { TOKENIZE_MAX_CHARS, validateTokenizeRequest } from './protocol/tokenize';
import { checkUpstream, forward, redact, upstreamSecrets, type UpstreamOptions } from './proxy';
import { StoreUnavailableError, createMemoryStore, type BucketRule, type ServerStore } from './store/index';

/** Options of `createServer`. Every field is optional; {@link optionsFromEnv} reads them from the environment. */
export interface ServerOptions {
  /** Proxy mode: where to forward. Absent (or `null`): offline mode. */
  upstream?: UpstreamOptions | null;
  /**
   * The path the whole server is mounted under, such as `'/api/parlance'` for a Next.js route
   * handler at `app/api/parlance/[...path]/route.ts`: the API is then at `/api/parlance/v1`, and
   * every path outside the prefix is a 404. Default `''` (the API at `/v1`).
   */
  basePath?: string;
  /**
   * Origins a browser may call `/v1` from, besides the server's own; `'*'` allows any. Requests
   * from any other origin are refused with 403. Default: none. Offline mode, which holds no
   * secret, also allows loopback origins (`http://localhost:*`, `http://127.0.0.1:*`,
   * `http://[::1]:*`, any port, and the same over `https`); proxy mode allows only these.
   */
  allowedOrigins?: readonly string[] | '*';
  /**
   * Host names the server answers besides loopback ones (`localhost`, `*.localhost`,
   * `127.0.0.1`, `[::1]`, any port): such as `chat.example.com`, `.example.com` for it and its
   * subdomains, or `'*'` for any. Other `Host` headers get a 403, which stops DNS rebinding (a
   * page on `attacker.example` that points its name at this machine). Default: when `listen`
   * binds to loopback, loopback names only; bound beyond loopback, or `fetch` called with no
   * listener (a framework's route handler, whose framework checks its own hosts), any host,
   * unless this option is given.
   */
  allowedHosts?: readonly string[] | '*';
  /**
   * Who is calling: resolves to the caller's user id (rate limits and budgets then count per
   * user), or to a `Response` that refuses the request as it is, such as a 401. Throwing refuses
   * with a 401 in OpenAI's error envelope. Runs for every API request (not for preflights, static
   * files or generated images, whose URLs are unguessable). For example, verify a session cookie
   * or a JWT. Default: none, and callers are told apart by address.
   */
  authorize?: Authorize;
  /**
   * Proxies in front of this server whose `X-Forwarded-For` is believed: addresses, CIDR ranges
   * (`'10.0.0.0/8'`), or `loopback`, `linklocal`, `uniquelocal`. When the socket's peer is one of
   * them, the client is the right-most address in `X-Forwarded-For` that is not; otherwise the
   * header is ignored. Default: none (the socket's address counts).
   */
  trustProxy?: TrustProxy;
  /**
   * Per-client limits; `false` turns them off. Default: 60 chat requests, 50 images and 600
   * tokenizer requests (`/tokenize`, `/apply-template`: a meter asks once per pause in typing) a
   * minute, each in its own bucket.
   */
  rateLimits?: { chatPerMinute?: number; imagesPerMinute?: number; tokenizePerMinute?: number } | false;
  /**
   * Largest request bodies, in bytes: JSON 4 MB, multipart 10 MB (two 4 MB images) by default.
   * `tokenizeChars` caps the characters one tokenizer request counts (default 200,000; past it, 413).
   */
  bodyLimits?: { json?: number; multipart?: number; tokenizeChars?: number };
  /** Offline mode's documents. Default: none (`createServer` from the package reads README and docs/). */
  documents?: readonly OfflineDocument[];
  /** Offline streaming pace: pause before each word, in ms. Default 15. */
  chunkDelayMs?: number;
  /**
   * Serves `GET` requests outside `/v1` (the playground), given the path below `basePath`
   * (`/` for the prefix itself). Return `undefined` for a 404.
   * Default: nothing is served there.
   */
  serveStatic?: (path: string, request: Request) => Promise<Response | undefined>;
  /** One line per request (method, path, status, time), and the startup lines. Default: no logging. */
  log?: (line: string) => void;
  /**
   * Names the client for rate limits when there is no `authorize` hook. Default: the socket's
   * remote address when the Node listener serves the request (behind a proxy named in
   * `trustProxy`, the forwarded address); with no socket (`fetch` called by a framework's route
   * handler), every request shares one client, `local`, so the limits apply to the whole server.
   * Behind a platform that sets a trusted header, name clients by it.
   */
  clientId?: (request: Request, context: Context) => string;
  /**
   * Where rate-limit buckets, budgets and generated images live. Default: this process's memory
   * ({@link createMemoryStore}); share one Redis between instances with `createRedisStore`.
   */
  store?: ServerStore;
  /**
   * Proxy mode's limits on what one request may cost: `n`, `max_tokens`, models, image sizes and
   * a per-user daily token budget (see {@link CostGuardOptions}). `false` turns them off.
   * Default: `n` ≤ 4, `max_tokens` ≤ 16,384, image sizes each model takes, any model, no budget.
   */
  costGuards?: CostGuardOptions | false;
  /** Runs offline image work (drawing, PNG decode and encode). `createServer` passes a worker-thread pool; default: this thread. */
  runImageTask?: RunImageTask;
}

/** The server's web handler, before it listens anywhere. */
export interface ParlanceApp {
  /** `offline` or `proxy`. */
  readonly mode: 'offline' | 'proxy';
  /** The prefix the server is mounted under (`''`, or such as `/api/parlance`). */
  readonly basePath: string;
  /** A standard web handler: deploy it wherever `Request`/`Response` run. */
  fetch(request: Request): Promise<Response>;
  /** The Hono app, for adapters that pass their own bindings (the Node listener does). */
  readonly hono: Hono;
}

const JSON_LIMIT = 4 * 1024 * 1024;
const MULTIPART_LIMIT = 10 * 1024 * 1024;
const IMAGE_LIFETIME_MS = 60 * 60 * 1000;

/**
 * The URL as the client addressed it, for links back to this server (offline images): behind a
 * framework's route handler the request's URL may name another host (`next start` passes
 * `http://localhost:…`), while `Host` and `X-Forwarded-Proto` carry what the client used. Either
 * only shapes the answer to the client that sent them.
 */
function publicUrl(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('host');
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const scheme = proto === 'http' || proto === 'https' ? `${proto}:` : url.protocol;
  const authority = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : url.host;
  try {
    return new URL(`${url.pathname}${url.search}`, `${scheme}//${authority}`).href;
  } catch {
    return url.href;
  }
}

/**
 * `basePath` as a prefix to join: `''`, or `/segment[/segment…]` without a trailing slash.
 * Throws a `TypeError` for anything else (no query, no dot segments, no encoded characters).
 */
export function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  const trimmed = basePath.replace(/\/+$/, '');
  const segments = trimmed.split('/').slice(1);
  if (
    !trimmed.startsWith('/') ||
    segments.some((segment) => !/^[A-Za-z0-9._~-]+$/.test(segment) || segment === '.' || segment === '..')
  ) {
    throw new TypeError(
      `basePath must be a path such as '/api/parlance' (letters, digits, '-', '_', '.', '~' between slashes); got ${JSON.stringify(basePath)}`,
    );
  }
  return trimmed;
}

/** The API's tokenizer routes, beside `/v1` at the root, as llama.cpp and vLLM serve them. */
const TOKENIZER_ROUTES = ['/tokenize', '/apply-template'] as const;

/** Encoded dots, slashes or backslashes anywhere, or a `.` or `..` segment. */
const PATH_TRICK = /%2e|%2f|%5c|\\|(?:^|\/)\.\.?(?:\/|$)/i;

/**
 * The path as the client sent it, when the Node listener serves the request (its raw request
 * target, query left out), before the URL parser resolved dot segments; `undefined` otherwise
 * (a framework's route handler hands over a parsed URL, and its own router resolves them).
 */
function sentPath(c: Context): string | undefined {
  const target = (c.env as { incoming?: { url?: unknown } } | undefined)?.incoming?.url;
  if (typeof target !== 'string') return undefined;
  const path = target.split(/[?#]/, 1)[0]!;
  // The absolute form (`GET http://host/v1/models`): the path after the authority.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') : path;
}

/**
 * The methods `path` (below the prefix) answers, for the `Allow` header of a 405; `undefined`
 * for a path that is not a route.
 */
function allowedMethods(path: string): string | undefined {
  if ((TOKENIZER_ROUTES as readonly string[]).includes(path)) return 'POST, OPTIONS';
  const route = path.startsWith('/v1/') ? path.slice('/v1'.length) : '';
  if (!Object.hasOwn(API_ROUTES, route)) return undefined;
  return API_ROUTES[route as keyof typeof API_ROUTES] === 'GET' ? 'GET, HEAD, OPTIONS' : 'POST, OPTIONS';
}

/** A new request id, as OpenAI writes them: `req_` and 32 hex digits. */
function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `req_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * What every answer gets on its way out: an `x-request-id` (the upstream's, passed through by
 * the proxy, or a new one), `Allow` on a 405, and for `HEAD` the `content-length` its `GET`
 * would have had (Hono answers `HEAD` with the `GET` route's headers and no body).
 */
async function finishResponse(c: Context, path: string): Promise<void> {
  const set: Record<string, string> = {};
  if (!c.res.headers.has('x-request-id')) set['x-request-id'] = newRequestId();
  if (c.res.status === 405 && !c.res.headers.has('allow')) {
    const allow = allowedMethods(path);
    if (allow) set.allow = allow;
  }
  if (c.req.method === 'HEAD' && c.res.body !== null && !c.res.headers.has('content-length')) {
    const bytes = await c.res.arrayBuffer();
    c.res = new Response(bytes, c.res);
    set['content-length'] = String(bytes.byteLength);
  }
  if (Object.keys(set).length === 0) return;
  try {
    for (const [name, value] of Object.entries(set)) c.res.headers.set(name, value);
  } catch {
    // Immutable headers (a response from `fetch`): a copy takes them.
    c.res = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(set)) c.res.headers.set(name, value);
  }
}

function rateLimited(retryAfterSeconds: number, what: string): HttpApiError {
  return new HttpApiError({
    status: 429,
    message: `Rate limit reached for ${what}. Please try again in ${retryAfterSeconds}s.`,
    type: 'requests',
    code: 'rate_limit_exceeded',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}

/**
 * Builds the server's web handler (Hono): CORS allowlist, path hygiene, body limits, rate limits and
 * validation in front of either the offline engine or the upstream proxy.
 */
export function createApp(options: ServerOptions = {}): ParlanceApp {
  const upstream = options.upstream ?? null;
  if (upstream) checkUpstream(upstream);
  const secrets = upstream ? upstreamSecrets(upstream) : undefined;
  const log = options.log;
  const say = (line: string) => log?.(redact(line, secrets));
  const base = normalizeBasePath(options.basePath);
  const allowed = options.allowedOrigins ?? [];
  // Offline mode holds no secret: a dev server on this machine may call it from any port.
  const allowLoopback = !upstream;
  const limits = options.rateLimits === false ? null : options.rateLimits;
  const store = options.store ?? createMemoryStore();
  const perMinute = (capacity: number): BucketRule => ({ capacity, windowMs: 60_000 });
  const rules =
    limits === null
      ? null
      : {
          chat: perMinute(limits?.chatPerMinute ?? 60),
          images: perMinute(limits?.imagesPerMinute ?? 50),
          tokenize: perMinute(limits?.tokenizePerMinute ?? 600),
        };
  /** Takes `cost` from `client`'s bucket of `kind`, or throws the 429. */
  const limit = async (kind: 'chat' | 'images' | 'tokenize', client: string, cost: number, what: string) => {
    if (rules === null) return;
    const decision = await store.take(`rate:${kind}:${client}`, cost, rules[kind]);
    if (!decision.ok) throw rateLimited(decision.retryAfterSeconds, what);
  };
  const maxTokenizeChars = options.bodyLimits?.tokenizeChars ?? TOKENIZE_MAX_CHARS;
  const allowedHosts =
    options.allowedHosts === undefined ? undefined : normalizeAllowedHosts(options.allowedHosts);
  const identity = createIdentity({
    authorize: options.authorize,
    clientId: options.clientId,
    trustProxy: options.trustProxy,
    say,
  });
  const newImageId = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  const guards =
    upstream && options.costGuards !== false ? createCostGuards(options.costGuards ?? {}, store) : null;
  const engine = upstream
    ? null
    : createOfflineEngine({
        documents: options.documents ?? [],
        chunkDelayMs: options.chunkDelayMs ?? 15,
        basePath: `${base}/v1`,
        maxTokenizeChars,
        runImageTask: options.runImageTask,
        publishImage: async (png, request) => {
          const id = newImageId();
          await store.putImage(id, png, IMAGE_LIFETIME_MS);
          return `${new URL(request.url).origin}${base}/generated/${id}.png`;
        },
      });

  const app = new Hono();
  app.notFound((c) => c.text('Not found', 404));

  app.onError((error, c) => {
    if (HttpApiError.isInstance(error)) return errorResponse(error);
    if (StoreUnavailableError.isInstance(error)) {
      say(`error ${c.req.method} ${c.req.path}: ${error.message}`);
      return errorResponse(
        new HttpApiError({
          status: 503,
          message: 'The server cannot reach its shared store right now. Please try again shortly.',
          type: 'server_error',
          code: 'store_unavailable',
          headers: { 'retry-after': '1' },
        }),
      );
    }
    say(`error ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.name : 'unknown'}`);
    return errorResponse(
      new HttpApiError({
        status: 500,
        message: 'The server had an error while processing your request.',
        type: 'server_error',
      }),
    );
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    // Encoded dots, slashes and backslashes, and dot segments, have no business in an API path:
    // refuse them outright. The path is checked as sent, before the URL parser resolves
    // `/v1/chat/%2e%2e/models` into `/v1/models`.
    const pathname = new URL(c.req.url).pathname;
    const raw = sentPath(c) ?? pathname;
    if (PATH_TRICK.test(raw) || PATH_TRICK.test(pathname)) {
      c.res = errorResponse(
        new HttpApiError({ status: 400, message: 'Invalid request path.', code: 'invalid_path' }),
      );
    } else {
      await next();
    }
    await finishResponse(c, pathname.slice(base.length));
    say(`${c.req.method} ${raw} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  });

  // DNS rebinding: a `Host` this server does not answer is refused before anything else.
  app.use('*', async (c, next) => checkHost(c.req.raw, listenerOf(c), allowedHosts) ?? next());

  // Everything below lives under the prefix; a path outside it reaches no route (404).
  const api = base ? app.basePath(base) : app;

  const guardOrigin = createOriginGuard({ allowedOrigins: allowed, allowLoopback });
  // Who is calling, before any body is read; a refusal still carries the CORS headers.
  const identify: MiddlewareHandler = async (c, next) => {
    const refusal = await identity.identify(c.req.raw, c);
    if (!refusal) return next();
    // A copy: the hook's own Response may have immutable headers.
    return new Response(refusal.body, refusal);
  };
  api.use('/v1/*', guardOrigin, identify);
  for (const route of TOKENIZER_ROUTES) api.use(route, guardOrigin, identify);

  const tooLarge = () =>
    errorResponse(
      new HttpApiError({ status: 413, message: 'The request body is too large.', code: 'request_too_large' }),
    );
  const jsonLimit = bodyLimit({ maxSize: options.bodyLimits?.json ?? JSON_LIMIT, onError: tooLarge });
  const multipartLimit = bodyLimit({
    maxSize: options.bodyLimits?.multipart ?? MULTIPART_LIMIT,
    onError: tooLarge,
  });
  // The limit follows the route, not the content type the request claims: only edits and
  // variations take multipart forms; everything else is JSON.
  api.use('/v1/*', (c, next) =>
    /\/images\/(?:edits|variations)\/*$/.test(c.req.path) ? multipartLimit(c, next) : jsonLimit(c, next),
  );
  for (const route of TOKENIZER_ROUTES) api.use(route, jsonLimit);

  // Proxy mode passes both through to the upstream's root; offline mode answers `/tokenize` itself
  // (vLLM's shape, the kit's own count) and has no chat template for `/apply-template`.
  for (const route of TOKENIZER_ROUTES) {
    api.all(route, async (c) => {
      const request = c.req.raw;
      if (request.method !== 'POST') {
        throw new HttpApiError({
          status: 405,
          message: `Method ${request.method} is not allowed for ${c.req.path}`,
          code: 'method_not_allowed',
        });
      }
      if (!upstream && route === '/apply-template') {
        throw new HttpApiError({
          status: 404,
          message: `Invalid URL (POST ${c.req.path}): offline mode has no chat template.`,
          code: 'unknown_url',
        });
      }
      const bytes = new Uint8Array(await request.arrayBuffer());
      validateTokenizeRequest(parseJsonObject(new TextDecoder().decode(bytes)), route, maxTokenizeChars);
      await limit('tokenize', identity.of(c), 1, 'tokenizer requests');
      if (!upstream) {
        return engine!.fetch(
          new Request(request.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: bytes,
            signal: request.signal,
          }),
        );
      }
      return forward(upstream, {
        route,
        atRoot: true,
        method: 'POST',
        body: bytes,
        contentType: 'application/json',
        signal: request.signal,
        stream: false,
      });
    });
  }

  api.all('/v1/*', async (c) => {
    // `HEAD` is answered wherever `GET` is: as a `GET`, whose body Hono leaves out.
    const request = c.req.raw.method === 'HEAD' ? new Request(c.req.raw, { method: 'GET' }) : c.req.raw;
    const route = resolveRoute(request, `${base}/v1`);
    const client = identity.of(c);
    if (route === '/models')
      return upstream
        ? forward(upstream, { route, method: 'GET', signal: request.signal, stream: false })
        : engine!.fetch(request);

    // Read once: the body is checked here, then handed to the engine or forwarded byte for byte.
    const bytes = new Uint8Array(await request.arrayBuffer());
    const contentType = request.headers.get('content-type') ?? '';
    const copy = () =>
      new Request(publicUrl(request), {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: bytes,
        signal: request.signal,
      });
    let stream = false;
    let admission: ChatAdmission | undefined;
    if (route === '/chat/completions') {
      const parsed = parseJsonObject(new TextDecoder().decode(bytes));
      const body = validateChatRequest(parsed);
      stream = body.stream === true;
      await limit('chat', client, 1, 'chat completions');
      admission = await guards?.admitChat(parsed, client);
    } else {
      const rules = upstream ? 'generic' : 'default';
      let raw: { model: unknown; size: unknown };
      let fields;
      if (route === '/images/generations') {
        const parsed = parseJsonObject(new TextDecoder().decode(bytes));
        fields = validateImageGeneration(parsed, rules);
        raw = { model: parsed.model, size: parsed.size };
      } else {
        const form = await readForm(copy());
        fields = await readImageForm(form, route === '/images/edits' ? 'edit' : 'variation', rules);
        raw = { model: form.get('model') ?? undefined, size: form.get('size') ?? undefined };
      }
      const operation =
        route === '/images/generations' ? 'generate' : route === '/images/edits' ? 'edit' : 'variation';
      guards?.checkImage(operation, { model: raw.model, n: fields.n, size: raw.size });
      await limit('images', client, fields.n, 'images');
    }
    if (!upstream) return engine!.fetch(copy());
    return forward(upstream, {
      route,
      method: 'POST',
      body: admission?.body ?? bytes,
      contentType,
      signal: request.signal,
      stream,
      captureUsage: admission?.captureUsage,
      onSettled: admission?.onSettled,
    });
  });

  api.get('/generated/:file{[0-9a-f]{24}\\.png}', async (c) => {
    const png = await store.getImage(c.req.param('file').slice(0, 24));
    if (!png) return c.text('This image has expired or never existed.', 404);
    return new Response(png as BodyInit, {
      headers: {
        'content-type': 'image/png',
        'cache-control': 'private, max-age=3600',
        'access-control-allow-origin': '*',
      },
    });
  });

  api.get('*', async (c) => {
    const pathname = new URL(c.req.url).pathname;
    // Only `${base}` itself or `${base}/…` reach here; the static files see the path below it.
    const below = pathname.slice(base.length);
    if (below !== '' && !below.startsWith('/')) return c.text('Not found', 404);
    const response = await options.serveStatic?.(below || '/', c.req.raw);
    return response ?? c.text('Not found', 404);
  });

  return {
    mode: upstream ? 'proxy' : 'offline',
    basePath: base,
    fetch: async (request) => app.fetch(request),
    hono: app,
  };
}
