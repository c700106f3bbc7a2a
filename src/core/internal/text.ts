/** Trims and collapses whitespace, then caps the length with an ellipsis. */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The readable text of an HTML page: no scripts, styles or tags, common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|[a-z]+);/gi, (match, name: string) =>
      name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : (ENTITIES[name.toLowerCase()] ?? match),
    );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `HTTP 503 Service Unavailable`; HTTP/2 responses carry no status text, so fall back to a table. */
export function statusLine(response: Response): string {
  const statusText = response.statusText || STATUS_TEXT[response.status] || '';
  return `HTTP ${response.status}${statusText ? ` ${statusText}` : ''}`;
}

/**
 * A message for a failed response whose body is not JSON: the status line and the first words
 * of the page, if any.
 */
export function describeNonJsonBody(response: Response, bodyText: string): string {
  const head = statusLine(response);
  const text = snippet(htmlToText(bodyText));
  return text ? `${head}: ${text}` : head;
}
