// Which `Host` names the server answers: the defence against DNS rebinding, where a page on
// `attacker.example` points its own name at 127.0.0.1 and so reads a server on this machine with
// the browser's blessing (same origin, as far as the browser knows). The page's requests still say
// `Host: attacker.example`, so a server bound to loopback answers only loopback names.
import type { Context } from 'hono';

import { HttpApiError, errorResponse } from './protocol/errors';

/**
 * What the Node listener tells the app about the socket it listens on, in its bindings
 * (`c.env`). Absent when `fetch` is called with no listener (a framework's route handler).
 */
export interface ListenerInfo {
  /** Whether the listening address is a loopback one (`127.0.0.0/8`, `::1`). */
  loopback: boolean;
}

/** The key of {@link ListenerInfo} in the Node listener's bindings. */
export const LISTENER = 'parlanceListener';

/** The listener's {@link ListenerInfo}, or `undefined` when `fetch` was called without `listen`. */
export function listenerOf(context: Context): ListenerInfo | undefined {
  const env = context.env as Record<string, unknown> | undefined;
  return env?.[LISTENER] as ListenerInfo | undefined;
}

/** Whether `address` (as a socket reports it) is on a loopback interface. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    /^127(?:\.\d{1,3}){3}$/.test(a) ||
    /^::ffff:127(?:\.\d{1,3}){3}$/.test(a) ||
    a === '::1' ||
    a === 'localhost'
  );
}

/**
 * The host name of a `Host` header, lowercased, without its port or a final dot: `[::1]` stays
 * bracketed. `null` for anything that is not a host name or an IP literal.
 */
export function hostName(header: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::\d{1,5})?$/i.exec(header.trim());
  if (!match) return null;
  return match[1]!.toLowerCase().replace(/\.$/, '');
}

/** `localhost` (and its subdomains, which browsers resolve to loopback), `127.0.0.1` and `[::1]`. */
export function isLoopbackHost(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || name === '127.0.0.1' || name === '[::1]';
}

/**
 * Reads `allowedHosts` entries: host names such as `chat.example.com` (a port, if given, is
 * ignored), `.example.com` for the name and all its subdomains, or `*` for any host.
 */
export function normalizeAllowedHosts(hosts: readonly string[] | '*'): readonly string[] | '*' {
  if (hosts === '*' || hosts.includes('*')) return '*';
  return hosts.map((entry) => {
    const dot = entry.trim().startsWith('.');
    const name = hostName(dot ? entry.trim().slice(1) : entry);
    if (name === null || name === '') {
      throw new TypeError(
        `allowedHosts (PARLANCE_ALLOWED_HOSTS) takes host names such as 'chat.example.com' or '.example.com'; got ${JSON.stringify(entry)}`,
      );
    }
    return dot ? `.${name}` : name;
  });
}

/**
 * Decides whether a request's `Host` may be served:
 * - `allowedHosts: '*'`: any.
 * - `allowedHosts` given: loopback names and those listed.
 * - not given, bound to loopback by `listen`: loopback names only.
 * - not given, bound beyond loopback, or `fetch` called with no listener (a framework in front
 *   has its own host rules): any.
 *
 * Returns the 403 to answer with, or `undefined` to go on.
 */
export function checkHost(
  request: Request,
  listener: ListenerInfo | undefined,
  allowedHosts: readonly string[] | '*' | undefined,
): Response | undefined {
  if (allowedHosts === '*') return undefined;
  if (allowedHosts === undefined && !listener?.loopback) return undefined;
  const header = request.headers.get('host') ?? new URL(request.url).host;
  const name = hostName(header);
  if (name !== null) {
    if (isLoopbackHost(name)) return undefined;
    for (const allowed of allowedHosts ?? []) {
      if (
        allowed === name ||
        (allowed.startsWith('.') && (name === allowed.slice(1) || name.endsWith(allowed)))
      ) {
        return undefined;
      }
    }
  }
  const named = name ?? (header.length > 100 ? `${header.slice(0, 100)}…` : header);
  return errorResponse(
    new HttpApiError({
      status: 403,
      message: `Requests for host ${JSON.stringify(named)} are not allowed: this server answers only the host names it is configured for. Add it to PARLANCE_ALLOWED_HOSTS (or the allowedHosts option).`,
      type: 'invalid_request_error',
      code: 'host_not_allowed',
    }),
  );
}
