/** What an error body says, as far as it says it: OpenAI's `error` fields. */
export interface ErrorFields {
  message?: string;
  type?: string | null;
  code?: string | null;
  param?: string | null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** How many entries of a validation list the message names; the rest are counted. */
const LISTED_ENTRIES = 3;

/**
 * FastAPI's (pydantic's) validation list, `[{"loc": ["body", "messages"], "msg": "Field
 * required", "type": "missing"}, …]`, as a sentence: `messages: Field required`, the first few
 * entries joined by `; `. `param` is the first entry's field. `null` when it is not such a list.
 */
function readValidationList(detail: unknown[]): ErrorFields | null {
  const entries = detail.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { msg, loc } = entry as { msg?: unknown; loc?: unknown };
    if (typeof msg !== 'string') return [];
    // `body` (or `query`, `path`) says where, not which field: the field is what a reader needs.
    const path = Array.isArray(loc) ? loc.map(str).filter((part) => part !== null) : [];
    const field = (
      path.length > 1 && /^(?:body|query|path|header)$/.test(path[0]!) ? path.slice(1) : path
    ).join('.');
    return [{ field, text: field ? `${field}: ${msg}` : msg }];
  });
  if (entries.length === 0) return null;
  const listed = entries.slice(0, LISTED_ENTRIES).map((entry) => entry.text);
  const more = entries.length - listed.length;
  return {
    message: listed.join('; ') + (more > 0 ? ` (and ${more} more)` : ''),
    type: 'invalid_request_error',
    param: entries[0]!.field || null,
  };
}

/**
 * The error fields of a parsed error body, whichever server wrote it. OpenAI sends
 * `{"error": {...}}`; Ollama and others `{"error": "text"}`; FastAPI servers `{"detail": "text"}`
 * or, for a request that fails validation, `{"detail": [{"loc", "msg", …}]}`; vLLM
 * `{"object": "error", "message", "type", "param", "code"}`; Portkey `{"status": "failure",
 * "message"}`. Nothing readable: `{}`. Shared by the core client and the server's proxy.
 */
export function readErrorFields(body: unknown): ErrorFields {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    return {
      message: str(e.message) ?? 'Unknown error',
      type: str(e.type),
      code: str(e.code),
      param: str(e.param),
    };
  }
  const text = str(error) ?? str(record.message) ?? str(record.detail);
  if (text === null) {
    if (Array.isArray(record.detail)) return readValidationList(record.detail) ?? {};
    return {};
  }
  if (str(record.message) !== text) return { message: text };
  return { message: text, type: str(record.type), code: str(record.code), param: str(record.param) };
}
