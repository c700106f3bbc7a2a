import { useMemo } from 'react';

/** What a markdown renderer may link to and load. */
export interface UrlPolicy {
  /**
   * Origins (`https://images.example.com`) whose images may load. Images from anywhere else are
   * shown as a link the user can choose to open, so a prompt-injected image cannot leak the
   * conversation. Default: none.
   */
  allowedImageOrigins?: readonly string[];
  /** Allow relative links (`/docs`, `#part`), resolved against the page. Default: false. */
  allowRelativeLinks?: boolean;
}

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const PROBE_BASE = 'https://parlance.invalid/';

/**
 * The href to put on a link, or `null` when the link must not be followed. Only http(s) and
 * mailto survive (plus relative links when allowed); `javascript:`, `vbscript:`, `data:` and every
 * other scheme are refused. Parsing goes through `URL`, which strips the tabs, newlines and
 * control characters a browser would also strip, so `java\tscript:` is seen as what it is.
 *
 * @example
 * safeHref('javascript:alert(1)') // null
 * safeHref('https://example.com/a b') // 'https://example.com/a%20b'
 */
export function safeHref(href: string, policy: UrlPolicy = {}): string | null {
  const trimmed = href.trim();
  if (!trimmed) return null;
  const absolute = parseAbsolute(trimmed);
  if (absolute) return LINK_PROTOCOLS.has(absolute.protocol) ? absolute.href : null;
  if (!policy.allowRelativeLinks) return null;
  let relative: URL;
  try {
    relative = new URL(trimmed, PROBE_BASE);
  } catch {
    return null;
  }
  // A relative reference resolves onto the probe base; anything else carried its own scheme.
  return relative.protocol === 'https:' ? trimmed : null;
}

/**
 * Whether an image URL may be loaded: http(s) and its origin listed in `allowedImageOrigins`.
 * `base` resolves relative and protocol-relative URLs the way the page would.
 */
export function isImageAllowed(src: string, policy: UrlPolicy = {}, base?: string): boolean {
  const allowed = policy.allowedImageOrigins;
  if (!allowed?.length) return false;
  let url: URL;
  try {
    url = new URL(src.trim(), base);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  return allowed.some((origin) => normalizeOrigin(origin) === url.origin);
}

function normalizeOrigin(origin: string): string | null {
  try {
    return new URL(origin).origin;
  } catch {
    return null;
  }
}

function parseAbsolute(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** A URL policy that keeps its identity while the origins are the same, even as a new array. */
export function usePolicy(
  allowedImageOrigins: readonly string[] | undefined,
  allowRelativeLinks: boolean | undefined,
): UrlPolicy {
  const origins = allowedImageOrigins?.join('\n');
  return useMemo(
    () => ({ allowedImageOrigins: origins ? origins.split('\n') : undefined, allowRelativeLinks }),
    [origins, allowRelativeLinks],
  );
}
