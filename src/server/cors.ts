import type { MiddlewareHandler } from 'hono';

import { HttpApiError, errorResponse } from './protocol/errors';

// The browser-origin guard of the API routes: which pages may call them, and the CORS headers
// their answers carry. The Host check against DNS rebinding is in hosts.ts.

/** `http(s)://localhost`, `127.0.0.1` or `[::1]`, with any port or none. */
const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;

/** Whether `origin` is a page served from this machine's loopback interface. */
export function isLoopbackOrigin(origin: string): boolean {
  return LOOPBACK_ORIGIN.test(origin);
}

/**
 * Whether the page that sent `request` (whose `Origin` is `origin`) is on the server's own origin.
 * The request's URL says so on the Node listener; behind a framework's route handler or a dev
 * proxy the URL may name another host (`next start` hands route handlers `http://localhost:…`,
 * a proxy with `changeOrigin` rewrites `Host`), so the browser's own word counts too:
 * `Sec-Fetch-Site: same-origin`, which no page can set, or an `Origin` whose host is the `Host`
 * the browser sent. None of these lets a page on another host through.
 */
export function isSameOrigin(request: Request, origin: string): boolean {
  if (origin === new URL(request.url).origin) return true;
  if (request.headers.get('sec-fetch-site') === 'same-origin') return true;
  const host = request.headers.get('host');
  if (host === null) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function corsHeaders(origin: string, allowAll: boolean, request: Request): Record<string, string> {
  return {
    'access-control-allow-origin': allowAll ? '*' : origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? 'content-type',
    'access-control-expose-headers': 'x-request-id, retry-after, retry-after-ms',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

/** Options of {@link createOriginGuard}. */
export interface OriginGuardOptions {
  /** Origins allowed besides the server's own; `'*'` allows any (`ServerOptions.allowedOrigins`). */
  allowedOrigins: readonly string[] | '*';
  /** Also allow loopback origins (offline mode, which holds no secret). */
  allowLoopback: boolean;
}

/**
 * The middleware in front of `/v1` and the tokenizer routes: a request from another origin that
 * is not allowed gets a 403 (`origin_not_allowed`, in OpenAI's envelope); an allowed one gets the
 * CORS headers, and its preflight a 204; a same-origin preflight a bare 204.
 */
export function createOriginGuard({ allowedOrigins, allowLoopback }: OriginGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !isSameOrigin(c.req.raw, origin)) {
      const allowAll = allowedOrigins === '*';
      if (!allowAll && !allowedOrigins.includes(origin) && !(allowLoopback && isLoopbackOrigin(origin))) {
        return errorResponse(
          new HttpApiError({
            status: 403,
            message: `Requests from origin ${origin} are not allowed. Add it to PARLANCE_ALLOWED_ORIGINS.`,
            type: 'invalid_request_error',
            code: 'origin_not_allowed',
          }),
        );
      }
      const headers = corsHeaders(origin, allowAll, c.req.raw);
      if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers });
      await next();
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
      return;
    }
    if (c.req.method === 'OPTIONS') return new Response(null, { status: 204 });
    await next();
  };
}
