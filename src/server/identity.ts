// Who is calling: the key that rate limits and budgets count under. A user id from the app's
// `authorize` hook when there is one; otherwise the client's address, read from
// `X-Forwarded-For` only when the request came through a proxy the server was told to trust.
import type { IncomingMessage } from 'node:http';

import type { Context } from 'hono';
import proxyAddr from 'proxy-addr';

import { HttpApiError, errorResponse } from './protocol/errors';

/**
 * The app's authorisation hook: resolves to the caller's user id (a non-empty string of at most
 * 256 characters), or to a `Response` that refuses the request as is. Throwing refuses with a 401
 * in OpenAI's error envelope (an {@link HttpApiError} is answered as it is).
 */
export type Authorize = (request: Request) => string | Response | Promise<string | Response>;

/** Proxies whose `X-Forwarded-For` is believed: addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`. */
export type TrustProxy = string | readonly string[];

/** The socket's remote address the Node listener (`@hono/node-server`) passes in its bindings, if any. */
export function socketAddress(context: Context): string | undefined {
  type Bindings = { incoming?: { socket?: { remoteAddress?: string } } };
  const env = context.env as (Bindings & { server?: Bindings }) | undefined;
  return (env?.server ?? env)?.incoming?.socket?.remoteAddress;
}

/**
 * Reads `trustProxy` into a function from a request's socket address and `X-Forwarded-For` to the
 * client's address: the right-most address in the chain that is not a trusted proxy (what
 * Express's `trust proxy` does, with the same library). Throws a `TypeError` for an entry that is
 * not an address or a range.
 */
export function compileTrustProxy(
  trustProxy: TrustProxy,
): (socket: string, forwardedFor: string | null) => string {
  const entries = (typeof trustProxy === 'string' ? trustProxy.split(',') : [...trustProxy])
    .map((entry) => entry.trim())
    .filter(Boolean);
  let trust: (address: string, index: number) => boolean;
  try {
    trust = proxyAddr.compile(entries);
  } catch (error) {
    throw new TypeError(
      `trustProxy (PARLANCE_TRUST_PROXY) takes addresses and ranges such as '127.0.0.1', '10.0.0.0/8' or 'loopback': ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (socket, forwardedFor) => {
    const request = {
      headers: forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor },
      socket: { remoteAddress: socket },
      connection: { remoteAddress: socket },
    } as unknown as IncomingMessage;
    return proxyAddr(request, trust);
  };
}

/** Options of {@link createIdentity}. */
export interface IdentityOptions {
  authorize?: Authorize;
  clientId?: (request: Request, context: Context) => string;
  trustProxy?: TrustProxy;
  /** Where refusals and hook failures are reported (never a token or the hook's message). */
  say?: (line: string) => void;
}

const unauthorized = () =>
  errorResponse(
    new HttpApiError({
      status: 401,
      message: 'This request is not authorised: sign in, or send the credentials this server expects.',
      type: 'invalid_request_error',
      code: 'unauthorized',
    }),
  );

/**
 * Names the caller of each request, once: `user:<id>` from `authorize`, else `clientId`'s answer,
 * else `ip:<address>` (the socket's, or the forwarded one behind a trusted proxy), or `local` where
 * `fetch` is called with no socket (every request then shares one limit).
 */
export function createIdentity(options: IdentityOptions) {
  const { authorize, clientId, say } = options;
  const forwarded = options.trustProxy === undefined ? null : compileTrustProxy(options.trustProxy);
  // By context: a body-limit middleware may replace the request object on the way.
  const callers = new WeakMap<Context, string>();

  /** The client's address, or `local` with no socket. */
  const address = (request: Request, context: Context): string => {
    const socket = socketAddress(context);
    if (socket === undefined) return 'local';
    return forwarded ? forwarded(socket, request.headers.get('x-forwarded-for')) : socket;
  };

  return {
    /**
     * Decides who sent `request` and remembers it for {@link of}; resolves to a `Response` when
     * the request is refused.
     */
    async identify(request: Request, context: Context): Promise<Response | undefined> {
      let caller: string;
      if (authorize) {
        let result: string | Response;
        try {
          result = await authorize(request);
        } catch (error) {
          if (HttpApiError.isInstance(error)) return errorResponse(error);
          say?.(
            `authorize refused ${context.req.method} ${context.req.path}: ${error instanceof Error ? error.name : 'error'}`,
          );
          return unauthorized();
        }
        if (result instanceof Response) return result;
        if (typeof result !== 'string' || result === '' || result.length > 256) {
          throw new TypeError(
            `authorize must resolve to a user id (a non-empty string of at most 256 characters) or a Response; got ${typeof result === 'string' ? `a string of ${result.length} characters` : typeof result}`,
          );
        }
        caller = `user:${result}`;
      } else if (clientId) {
        caller = clientId(request, context);
      } else {
        const ip = address(request, context);
        caller = ip === 'local' ? ip : `ip:${ip}`;
      }
      callers.set(context, caller);
      return undefined;
    },
    /** Who sent the request of `context`, as {@link identify} decided (`local` if it was never asked). */
    of(context: Context): string {
      return callers.get(context) ?? 'local';
    },
  };
}
