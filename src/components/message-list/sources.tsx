import { useId } from 'react';

import type { ChatUrlCitation } from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { safeHref, type UrlPolicy } from '../markdown/safe-url';

interface Source {
  url: string;
  title: string;
  href: string | null;
}

/**
 * The distinct sources of a reply's `url_citation` annotations, in the order first cited. The
 * wire nests the fields in `url_citation`; a flat `{ url, title }` (as some servers write it) is
 * read too. Links pass the same policy as the markdown's.
 */
function citedSources(annotations: readonly unknown[] | undefined, policy: UrlPolicy): Source[] {
  const seen = new Set<string>();
  const sources: Source[] = [];
  for (const annotation of annotations ?? []) {
    if (!annotation || typeof annotation !== 'object') continue;
    const a = annotation as Partial<ChatUrlCitation> & { url?: unknown; title?: unknown };
    if (a.type !== 'url_citation') continue;
    const fields: { url?: unknown; title?: unknown } = a.url_citation ?? a;
    if (typeof fields.url !== 'string' || !fields.url.trim() || seen.has(fields.url)) continue;
    seen.add(fields.url);
    const title = typeof fields.title === 'string' && fields.title.trim() ? fields.title : fields.url;
    sources.push({ url: fields.url, title, href: safeHref(fields.url, policy) });
  }
  return sources;
}

function hostOf(href: string): string | null {
  try {
    const { protocol, hostname } = new URL(href);
    return protocol === 'http:' || protocol === 'https:' ? hostname.replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}

/** A reply's cited sources, as a list of links under it. */
export function Sources({
  annotations,
  policy,
  strings,
}: {
  annotations: readonly unknown[] | undefined;
  policy: UrlPolicy;
  strings: ChatStrings;
}) {
  const labelId = useId();
  const sources = citedSources(annotations, policy);
  if (!sources.length) return null;
  return (
    <div className="parlance-sources" data-slot="message-sources">
      <p className="parlance-sources-label" id={labelId}>
        {strings.sources}
      </p>
      <ol className="parlance-sources-list" aria-labelledby={labelId}>
        {sources.map((source) => {
          const host = source.href ? hostOf(source.href) : null;
          return (
            <li key={source.url}>
              {source.href ? (
                <a href={source.href} target="_blank" rel="noopener noreferrer nofollow">
                  {source.title}
                </a>
              ) : (
                <span className="parlance-md-blocked-link" title={strings.blockedLink}>
                  {source.title}
                </span>
              )}
              {host && host !== source.title && <span className="parlance-sources-host">{host}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
