import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';

import { createParser } from 'eventsource-parser';

import { readErrorFields } from '../core/internal/error-fields';
import { htmlToText } from '../core/internal/text';
import { encodeSSE } from '../core/stream/encode-sse';
import type { ErrorEnvelope } from '../core/wire/error';
import { tokenizerRootUrl } from '../core/tokens/remote';
import { HttpApiError, errorResponse } from './protocol/errors';
import { concatBytes } from './protocol/bytes';

/** Where proxy mode forwards to. */
export interface UpstreamOptions {
  /** The upstream's OpenAI-style base URL, such as `https://api.openai.com/v1`. */
  baseUrl: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>` (or in {@link keyHeader}); never to a client.
   * Optional for local servers.
   */
  apiKey?: string;
  /**
   * Sends the key as this header, as is, instead of `Authorization: Bearer <key>`: Azure OpenAI
   * wants `api-key`. Default: `Authorization`.
   */
  keyHeader?: string;
  /**
   * Headers sent with every upstream request, such as OpenRouter's `HTTP-Referer` and `X-Title`
   * or Portkey's `x-portkey-provider`. Names are HTTP tokens, values strings. The values of
   * headers named as credentials (a `key`, `token`, `secret`, `auth`, `authorization`, `cookie`,
   * `password`, `session` or `signature` word in the name: `x-portkey-api-key`) are secrets like
   * the key: taken out of everything the proxy passes on and logs. May not name the headers the
   * proxy sets (`content-type`, `accept`, hop-by-hop ones), nor, when a key is set, the header
   * the key goes in.
   */
  headers?: Record<string, string>;
  /**
   * Query parameters added to every upstream URL, such as Azure OpenAI's
   * `{ 'api-version': '2024-10-21' }`. A query in `baseUrl` counts too. Values of parameters
   * named as credentials (`key`, `api_key`, `token`, `sig`…) are secrets like the key.
   */
  query?: Record<string, string>;
  /**
   * How long the upstream may stay silent while the proxy waits on it (for its headers, then for
   * each body read), in ms. A client that is slow to read does not count. Default 60,000.
   */
  timeoutMs?: number;
  /** The `fetch` used to reach the upstream. Default: the global one. */
  fetch?: typeof globalThis.fetch;
}

/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value Node and fetch both send: no CR, LF or NUL, nothing past Latin-1. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the proxy sets itself, or that belong to one connection. */
const RESERVED_HEADERS = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'expect',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
/** Words in a header or parameter name that make its value a credential. */
const CREDENTIAL_WORDS = new Set([
  'apikey',
  'auth',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'key',
  'pass',
  'password',
  'secret',
  'session',
  'sig',
  'signature',
  'token',
]);

/** Whether a header or query parameter named `name` carries a credential (`x-portkey-api-key`). */
export function isCredentialName(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => CREDENTIAL_WORDS.has(word));
}

/** What {@link checkUpstream} calls each setting in its messages. */
export interface UpstreamSettingNames {
  headers: string;
  query: string;
  keyHeader: string;
}

const OPTION_NAMES: UpstreamSettingNames = {
  headers: 'upstream.headers',
  query: 'upstream.query',
  keyHeader: 'upstream.keyHeader',
};

/**
 * Checks the headers, query and key header of `upstream`, throwing a `TypeError` that names the
 * setting (as `names` calls it: `PARLANCE_UPSTREAM_HEADERS` from the environment).
 */
export function checkUpstream(upstream: UpstreamOptions, names: UpstreamSettingNames = OPTION_NAMES): void {
  const { keyHeader } = upstream;
  if (keyHeader !== undefined && (!TOKEN.test(keyHeader) || RESERVED_HEADERS.has(keyHeader.toLowerCase())))
    throw new TypeError(
      `${names.keyHeader} must be a header name such as api-key; got ${JSON.stringify(keyHeader)}`,
    );
  const keyGoesIn = upstream.apiKey ? (keyHeader ?? 'authorization').toLowerCase() : undefined;
  const headers = upstream.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    throw new TypeError(`${names.headers} must be an object of header names and values`);
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name))
      throw new TypeError(`${names.headers}: ${JSON.stringify(name)} is not a header name`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value))
      throw new TypeError(
        `${names.headers}: the value of ${name} must be a string without line breaks or characters beyond Latin-1`,
      );
    if (RESERVED_HEADERS.has(lower))
      throw new TypeError(`${names.headers}: ${name} is set by the proxy itself and cannot be added`);
    if (lower === keyGoesIn)
      throw new TypeError(
        `${names.headers}: ${name} carries the key; set the key alone (PARLANCE_UPSTREAM_KEY or upstream.apiKey)`,
      );
    if (seen.has(lower)) throw new TypeError(`${names.headers}: ${name} is given twice`);
    seen.add(lower);
  }
  const query = upstream.query ?? {};
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    throw new TypeError(`${names.query} must be an object of parameter names and values`);
  for (const [name, value] of Object.entries(query)) {
    if (name === '' || typeof value !== 'string')
      throw new TypeError(`${names.query}: ${JSON.stringify(name)} needs a name and a string value`);
  }
}

/** What must never leave the server: the key, and the values of credential headers and parameters. */
export function upstreamSecrets(upstream: UpstreamOptions): string[] {
  const secrets = upstream.apiKey ? [upstream.apiKey] : [];
  for (const [name, value] of Object.entries(upstream.headers ?? {}))
    if (isCredentialName(name)) secrets.push(value);
  for (const [name, value] of queryOf(upstream)) if (isCredentialName(name)) secrets.push(value);
  return secrets;
}

/** The query of `baseUrl` and `upstream.query` (which wins), in order. */
function queryOf(upstream: UpstreamOptions): URLSearchParams {
  const at = upstream.baseUrl.indexOf('?');
  const params = new URLSearchParams(at === -1 ? '' : upstream.baseUrl.slice(at + 1));
  for (const [name, value] of Object.entries(upstream.query ?? {})) params.set(name, value);
  return params;
}

/** The upstream URL of `route`: under the base URL (or at its root), with the query added. */
export function upstreamUrl(upstream: UpstreamOptions, route: string, atRoot: boolean): string {
  const base = upstream.baseUrl.split(/[?#]/, 1)[0]!;
  const query = queryOf(upstream).toString();
  return (atRoot ? tokenizerRootUrl(base) : base.replace(/\/+$/, '')) + route + (query ? `?${query}` : '');
}

/** Upstream response headers a client may see; everything else (cookies…) stays here. */
const PASSED_HEADERS = [
  'content-type',
  'retry-after',
  'retry-after-ms',
  'x-request-id',
  'openai-processing-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens',
];

const MAX_ERROR_BODY = 64 * 1024;
/** The largest 2xx answer (not a stream) the proxy holds to redact: ten large b64 images fit. */
const MAX_BUFFERED_BODY = 128 * 1024 * 1024;
/** The largest single SSE event the proxy holds while it waits for the event's end. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
const REDACTED = '[redacted]';

/** One secret or several: the key, and the values of credential headers and query parameters. */
export type Secrets = string | readonly string[] | undefined;

/** The secrets worth looking for (4 characters or more), longest first. */
function secretList(secret: Secrets): string[] {
  const list = typeof secret === 'string' ? [secret] : (secret ?? []);
  return list.filter((item) => item.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of `secret` (or of each one) in `text`. */
export function redact(text: string, secret: Secrets): string {
  let out = text;
  for (const item of secretList(secret)) if (out.includes(item)) out = out.split(item).join(REDACTED);
  return out;
}

/** Every string in `value` (object keys included) with `secret` replaced, recursively. */
export function redactDeep(value: unknown, secret: Secrets): unknown {
  if (typeof value === 'string') return redact(value, secret);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secret));
  if (typeof value === 'object' && value !== null) {
    // No prototype: a `__proto__` key the upstream sent stays a plain key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) out[redact(key, secret)] = redactDeep(item, secret);
    return out;
  }
  return value;
}

/** Every string in a parsed JSON value, object keys included. */
function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      strings(item, into);
    }
  }
  return into;
}

/** A secret prepared for the byte-level checks of {@link Redactor}. */
export interface Redactor {
  /**
   * Whether `bytes` may carry the secret as a client would read it: literally, or inside a JSON
   * string under escapes. `false` proves it cannot, so the bytes pass untouched.
   */
  mayContain(bytes: Uint8Array): boolean;
  /** Text with the secret removed: parsed as JSON when it is JSON (every escape decoded). */
  redactText(text: string): string;
}

const BACKSLASH = 0x5c;
const ESCAPE_U = new Uint8Array([BACKSLASH, 0x75]);

/** Where `needle` first occurs in `bytes` at or after `from`, or -1 (no `Buffer`: any runtime). */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  const last = bytes.length - needle.length;
  for (let at = bytes.indexOf(first, from); at !== -1 && at <= last; at = bytes.indexOf(first, at + 1)) {
    let i = 1;
    while (i < needle.length && bytes[at + i] === needle[i]) i++;
    if (i === needle.length) return at;
  }
  return -1;
}

/**
 * Prepares `secret`, or each of several (at least 4 characters; shorter ones are not redacted).
 *
 * Why the pre-check of {@link Redactor.mayContain} is exact enough: a JSON string decodes each
 * character either from itself (unescaped) or from an escape. `\\uXXXX` can stand for any character;
 * the short escapes stand only for `"`, `\\`, `/`, backspace, form feed, LF, CR and tab. So when
 * the secret holds none of those eight characters (API keys are letters, digits, `-` and `_`), a
 * decoded string can contain it only if the raw text contains it literally or contains `\\u`
 * somewhere; when the secret does hold one, any backslash counts. Text that is not JSON is read
 * as is, so the literal check covers it. Bytes that pass neither check cannot show the secret.
 */
export function createRedactor(secret: Secrets): Redactor | null {
  const secrets = secretList(secret);
  if (secrets.length === 0) return null;
  const literals = secrets.map((item) => new TextEncoder().encode(item));
  const anyBackslash = secrets.some((item) => /["\\/\b\f\n\r\t]/.test(item));
  return {
    mayContain(bytes) {
      for (const literal of literals) if (indexOfBytes(bytes, literal) !== -1) return true;
      return anyBackslash ? bytes.indexOf(BACKSLASH) !== -1 : indexOfBytes(bytes, ESCAPE_U) !== -1;
    },
    redactText(text) {
      // No backslash: no escapes, so what JSON decodes is what is written: replace it in place.
      if (!text.includes('\\')) return redact(text, secret);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return redact(text, secret);
      }
      // Written again only when a string held the key: otherwise the upstream's own text stays.
      return strings(value).some((item) => secrets.some((one) => item.includes(one)))
        ? JSON.stringify(redactDeep(value, secrets))
        : text;
    },
  };
}

/** Token counts from an upstream's `usage`, as far as they were given. */
export interface UpstreamUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** A `usage` object with numbers in a parsed response or chunk, if any. */
function usageOf(value: unknown): UpstreamUsage | undefined {
  const usage = (value as { usage?: unknown } | null)?.usage;
  if (typeof usage !== 'object' || usage === null) return undefined;
  const { completion_tokens, total_tokens } = usage as Record<string, unknown>;
  if (typeof completion_tokens !== 'number' && typeof total_tokens !== 'number') return undefined;
  return usage as UpstreamUsage;
}

function upstreamError(status: number, message: string, code: string): HttpApiError {
  return new HttpApiError({ status, message, type: 'upstream_error', code });
}

/** The longest message the proxy passes on from an upstream's error; type and code get 200. */
export const MAX_ERROR_MESSAGE = 1_000;
const MAX_ERROR_FIELD = 200;

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `text` with its whitespace collapsed (no length cap: capping comes after redaction). */
function flatten(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The client's answer to an upstream error (status and body text): OpenAI's envelope, whatever
 * the upstream wrote. An envelope passes as it came; the error bodies of FastAPI, Portkey, Ollama,
 * vLLM and any JSON with a `message`, `detail` or `error` string give their message, type, code
 * and param (see {@link readErrorFields}); anything else a snippet of its text after the status.
 * The secret is taken out of every string once decoded (JSON escapes, HTML entities), before
 * the message is capped at {@link MAX_ERROR_MESSAGE} characters. A status that is not an error
 * (a redirect, which the proxy never follows) becomes a 502.
 */
function upstreamErrorBody(
  status: number,
  statusText: string,
  text: string,
  secret: Secrets,
): { status: number; body: ErrorEnvelope } {
  const clean = (value: string) => redact(value, secret);
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    isJson = false;
  }
  const error = (parsed as { error?: { message?: unknown } } | null)?.error;
  if (status >= 400 && typeof error === 'object' && error !== null && typeof error.message === 'string') {
    // OpenAI's own envelope: passed on as it came (every field), redacted, its message capped.
    const body = redactDeep(parsed, secret) as ErrorEnvelope;
    body.error.message = cap(body.error.message, MAX_ERROR_MESSAGE);
    return { status, body };
  }
  const fields = isJson ? readErrorFields(parsed) : {};
  const line = `The upstream server answered ${status} ${statusText}`.trim();
  let message = fields.message;
  if (message === undefined) {
    // Escapes decoded (JSON) or entities and tags gone (HTML) before the secret is looked for.
    const decoded = isJson ? JSON.stringify(redactDeep(parsed, secret)) : text;
    const excerpt = clean(flatten(isJson ? decoded : htmlToText(clean(text))));
    message = excerpt ? `${line}: ${excerpt}` : line;
  }
  const field = (value: string | null | undefined) =>
    value === null || value === undefined ? null : cap(clean(value), MAX_ERROR_FIELD);
  return {
    status: status >= 400 ? status : 502,
    body: {
      error: {
        message: cap(clean(message), MAX_ERROR_MESSAGE),
        type: field(fields.type) ?? 'upstream_error',
        param: field(fields.param),
        code: field(fields.code) ?? 'upstream_error',
      },
    },
  };
}

/** What {@link ForwardRequest.onSettled} learns once the exchange is over. */
export interface ForwardOutcome {
  /** Whether the upstream answered 2xx (a stream that broke off later still counts). */
  ok: boolean;
  /** The upstream's `usage`: from a JSON body, or the last stream event that carried one. */
  usage: UpstreamUsage | undefined;
}

/** The request going upstream: a fixed route, the checked body, and the content type. */
export interface ForwardRequest {
  /** One of the API's routes, such as `/chat/completions`; never taken from the client's URL. */
  route: string;
  /**
   * The route is at the upstream's root rather than under its base URL (`/tokenize`, which
   * llama.cpp and vLLM serve beside `/v1`): `https://host/v1` + `/tokenize` → `https://host/tokenize`.
   */
  atRoot?: boolean;
  method: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** Whether the client asked for a stream (errors mid-stream become an SSE `error` event). */
  stream: boolean;
  /** Look for `usage` in the answer (a JSON body or the stream's events) for {@link onSettled}. */
  captureUsage?: boolean;
  /** Called once when the exchange is over: answered, failed, or cancelled by the client. */
  onSettled?: (outcome: ForwardOutcome) => void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Where the last complete SSE event in `bytes` ends (just after its blank line), or 0. `bytes`
 * starts at an event boundary. Lines end with LF, CR or CRLF; a CR as the very last byte may be
 * the first half of a CRLF, so it does not end anything yet.
 */
export function eventsEnd(bytes: Uint8Array): number {
  let end = 0;
  let lineStart = 0;
  if (bytes.indexOf(CR) === -1) {
    for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
      if (i === lineStart) end = i + 1;
      lineStart = i + 1;
    }
    return end;
  }
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== LF && c !== CR) continue;
    let next = i + 1;
    if (c === CR) {
      if (next === bytes.length) break;
      if (bytes[next] === LF) next++;
    }
    if (i === lineStart) end = next;
    lineStart = next;
    i = next - 1;
  }
  return end;
}

const USAGE_KEY = new TextEncoder().encode('"usage"');

/** Whether `bytes` holds `"usage"` followed by `:` and an object (not `null`): a cheap pre-check. */
function hasUsageObject(bytes: Uint8Array): boolean {
  for (let at = indexOfBytes(bytes, USAGE_KEY); at !== -1; at = indexOfBytes(bytes, USAGE_KEY, at + 1)) {
    let i = at + USAGE_KEY.length;
    while (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === LF || bytes[i] === CR) i++;
    if (bytes[i++] !== 0x3a) continue;
    while (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === LF || bytes[i] === CR) i++;
    if (bytes[i] === 0x7b) return true;
  }
  return false;
}

/**
 * Frames an upstream SSE body into whole events, so that the secret is looked for in each event
 * however the network split it, and anything the proxy adds starts on a fresh line. Whole events
 * pass as the upstream's own bytes unless they may carry the secret (then each is parsed once,
 * redacted and re-encoded) or a usage object is wanted.
 */
export class SSEFramer {
  #pending: Uint8Array | null = null;
  readonly #redactor: Redactor | null;
  readonly #captureUsage: boolean;
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  /** The last `usage` object seen in an event, when asked to look. */
  usage: UpstreamUsage | undefined;

  constructor(redactor: Redactor | null, captureUsage = false) {
    this.#redactor = redactor;
    this.#captureUsage = captureUsage;
  }

  /** Whether bytes of an unfinished event are held (the upstream stopped mid-event). */
  get hasPartial(): boolean {
    const pending = this.#pending;
    if (!pending) return false;
    for (const byte of pending) if (byte !== LF && byte !== CR && byte !== 0x20) return true;
    return false;
  }

  /** Bytes held for an event not finished yet. */
  get pendingBytes(): number {
    return this.#pending?.byteLength ?? 0;
  }

  /** Takes the next network chunk; returns the whole events it completes (or `null`: none yet). */
  push(chunk: Uint8Array): Uint8Array | null {
    const bytes = this.#pending ? concatBytes([this.#pending, chunk]) : chunk;
    const end = eventsEnd(bytes);
    if (end === 0) {
      this.#pending = bytes;
      return null;
    }
    this.#pending = end < bytes.byteLength ? bytes.subarray(end) : null;
    const ready = end < bytes.byteLength ? bytes.subarray(0, end) : bytes;
    const redact = this.#redactor?.mayContain(ready) ?? false;
    const lookForUsage = this.#captureUsage && hasUsageObject(ready);
    if (!redact && !lookForUsage) return ready;
    const text = this.#decoder.decode(ready);
    let out = '';
    const parser = createParser({
      onEvent: (event) => {
        if (lookForUsage) {
          try {
            this.usage = usageOf(JSON.parse(event.data)) ?? this.usage;
          } catch {
            // Not JSON (such as `[DONE]`): no usage in it.
          }
        }
        if (!redact) return;
        const redactor = this.#redactor!;
        if (event.event !== undefined) out += `event: ${redactor.redactText(event.event)}\n`;
        if (event.id !== undefined) out += `id: ${redactor.redactText(event.id)}\n`;
        for (const line of redactor.redactText(event.data).split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
        out += '\n';
      },
    });
    parser.feed(text);
    return redact ? this.#encoder.encode(out) : ready;
  }
}

/**
 * Forwards one request: the server's key replaces any client credential, the body is streamed back
 * as it arrives, a client that disconnects aborts the upstream request, and errors keep OpenAI's
 * envelope. The key is redacted from every header, body and stream event, whatever JSON escapes
 * the upstream used.
 */
export async function forward(upstream: UpstreamOptions, request: ForwardRequest): Promise<Response> {
  const timeoutMs = upstream.timeoutMs ?? 60_000;
  const secrets = upstreamSecrets(upstream);
  const redactor = createRedactor(secrets);
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The timer runs only while the proxy waits on the upstream (headers, then each body read), so
  // a client that is slow to read never makes it fire.
  const arm = () => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const disarm = () => clearTimeout(timer);
  const onClientAbort = () => controller.abort();
  if (request.signal.aborted) controller.abort();
  request.signal.addEventListener('abort', onClientAbort, { once: true });
  let settled = false;
  const settle = (ok: boolean, usage?: UpstreamUsage) => {
    disarm();
    if (settled) return;
    settled = true;
    request.signal.removeEventListener('abort', onClientAbort);
    request.onSettled?.({ ok, usage });
  };

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstream.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.accept = request.stream ? 'text/event-stream' : 'application/json';
  if (request.contentType) headers['content-type'] = request.contentType;
  if (upstream.apiKey) {
    if (upstream.keyHeader) headers[upstream.keyHeader.toLowerCase()] = upstream.apiKey;
    else headers.authorization = `Bearer ${upstream.apiKey}`;
  }
  const url = upstreamUrl(upstream, request.route, request.atRoot ?? false);

  let response: UpstreamAnswer;
  arm();
  try {
    response = await requestUpstream(upstream.fetch, url, {
      method: request.method,
      headers,
      body: request.body,
      signal: controller.signal,
    });
  } catch {
    settle(false);
    if (timedOut)
      return errorResponse(
        upstreamError(504, 'The upstream server did not answer in time.', 'upstream_timeout'),
      );
    if (request.signal.aborted)
      return errorResponse(upstreamError(499, 'The client closed the request.', 'client_closed'));
    return errorResponse(
      upstreamError(502, 'The upstream server could not be reached.', 'upstream_unreachable'),
    );
  }
  disarm();

  const out = new Headers();
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) out.set(name, redact(value, secrets));
  }
  const reader = response.reader;
  const timedRead = async () => {
    arm();
    try {
      return await reader!.read();
    } finally {
      disarm();
    }
  };

  if (!response.ok || !reader) {
    let text = '';
    try {
      text = new TextDecoder().decode(await readLimited(timedRead, () => reader?.cancel(), MAX_ERROR_BODY));
    } catch {
      // A body that breaks off is reported as the bare status below.
    }
    settle(response.ok);
    if (response.ok) {
      // 204, 205 and 304 may carry no body at all.
      const empty = text === '' && [204, 205, 304].includes(response.status);
      return new Response(empty ? null : (redactor?.redactText(text) ?? text), {
        status: response.status,
        headers: out,
      });
    }
    const error = upstreamErrorBody(response.status, response.statusText, text, secrets);
    out.set('content-type', 'application/json');
    return new Response(JSON.stringify(error.body), { status: error.status, headers: out });
  }

  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    // A whole answer (JSON, most often): held, so that the key is looked for in all of it at once.
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(timedRead, () => reader.cancel(), MAX_BUFFERED_BODY, true);
    } catch (error) {
      settle(true);
      if (request.signal.aborted)
        return errorResponse(upstreamError(499, 'The client closed the request.', 'client_closed'));
      if (error instanceof RangeError)
        return errorResponse(
          upstreamError(502, 'The upstream answer is larger than the proxy passes on.', 'upstream_too_large'),
        );
      return errorResponse(
        timedOut
          ? upstreamError(504, 'The upstream server stopped sending in time.', 'upstream_timeout')
          : upstreamError(502, 'The upstream answer broke off.', 'upstream_interrupted'),
      );
    }
    const isText = /json|^text\//i.test(contentType);
    let usage: UpstreamUsage | undefined;
    if (request.captureUsage && isText && hasUsageObject(bytes)) {
      try {
        usage = usageOf(JSON.parse(new TextDecoder().decode(bytes)));
      } catch {
        usage = undefined;
      }
    }
    if (redactor?.mayContain(bytes)) {
      const text = isText ? new TextDecoder().decode(bytes) : '';
      const clean = isText ? redactor.redactText(text) : '';
      if (clean !== text) bytes = new TextEncoder().encode(clean);
      else if (!isText)
        for (const secret of secretList(secrets))
          bytes = replaceBytes(bytes, new TextEncoder().encode(secret), new TextEncoder().encode(REDACTED));
    }
    settle(true, usage);
    return new Response(bytes as BodyInit, { status: response.status, headers: out });
  }

  const framer = new SSEFramer(redactor, request.captureUsage);
  const encoder = new TextEncoder();
  const interruption = (error: HttpApiError) => encoder.encode(encodeSSE(error.toEnvelope()));
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        for (;;) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await timedRead();
          } catch {
            settle(true, framer.usage);
            if (request.signal.aborted) return stream.close();
            // Whatever the upstream left unfinished is dropped: the error event starts on a fresh line.
            stream.enqueue(
              interruption(
                timedOut
                  ? upstreamError(504, 'The upstream server stopped sending in time.', 'upstream_timeout')
                  : upstreamError(502, 'The upstream stream broke off.', 'upstream_interrupted'),
              ),
            );
            return stream.close();
          }
          if (result.done) {
            settle(true, framer.usage);
            if (framer.hasPartial)
              stream.enqueue(
                interruption(
                  upstreamError(502, 'The upstream stream broke off mid-event.', 'upstream_interrupted'),
                ),
              );
            return stream.close();
          }
          const ready = framer.push(result.value);
          if (framer.pendingBytes > MAX_EVENT_BYTES) {
            settle(true, framer.usage);
            controller.abort();
            reader.cancel().catch(() => undefined);
            stream.enqueue(
              interruption(
                upstreamError(502, 'An upstream stream event is too large.', 'upstream_too_large'),
              ),
            );
            return stream.close();
          }
          if (ready) return stream.enqueue(ready);
        }
      },
      cancel() {
        settle(true, framer.usage);
        controller.abort();
        reader.cancel().catch(() => undefined);
      },
    },
    // One chunk read ahead: a chunk waits in the queue while the client drains the previous one.
    { highWaterMark: 1 },
  );
  out.set('cache-control', 'no-cache');
  out.set('x-accel-buffering', 'no');
  return new Response(body, { status: response.status, headers: out });
}

/** What the proxy reads of the upstream's answer. */
interface UpstreamAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  /** The body, read a chunk at a time; `undefined` when there is none. */
  reader: { read(): Promise<ReadableStreamReadResult<Uint8Array>>; cancel(): Promise<void> } | undefined;
}

interface UpstreamInit {
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal;
}

/** `node:http` and `node:https` with agents that keep up to 1,024 idle connections each for reuse. */
let nodeHttp:
  | Promise<{
      http: typeof NodeHttp;
      https: typeof NodeHttps;
      agents: { http: NodeHttp.Agent; https: NodeHttps.Agent };
    }>
  | undefined;

/** Whether this is Node itself (Bun and Deno answer `process.versions.node` too). */
const isNode = () =>
  typeof process !== 'undefined' &&
  typeof process.versions?.node === 'string' &&
  !('bun' in process.versions) &&
  !('Deno' in globalThis);

/**
 * Sends the request upstream. On Node, with no `fetch` of the caller's, through `node:http`: its
 * body arrives as plain buffers, without the web-stream layers `fetch` puts around each chunk
 * (about a third of the proxy's work per chunk). Elsewhere, or with `upstream.fetch`, `fetch`.
 * Neither follows redirects.
 */
async function requestUpstream(
  customFetch: typeof globalThis.fetch | undefined,
  url: string,
  init: UpstreamInit,
): Promise<UpstreamAnswer> {
  if (customFetch || !isNode()) {
    const response = await (customFetch ?? fetch)(url, {
      method: init.method,
      headers: init.headers,
      body: init.body as BodyInit | undefined,
      signal: init.signal,
      redirect: 'manual',
    });
    return {
      ok: response.ok,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      reader: response.body?.getReader(),
    };
  }
  // Node's global agents keep 256 idle connections: past that, a burst of streams would open (and,
  // over TLS, handshake) its connections again each time. As theirs, an idle connection is closed
  // after 5 s (before a server's own keep-alive timeout does, mid-request); busy ones are not.
  nodeHttp ??= Promise.all([import('node:http'), import('node:https')]).then(([http, https]) => ({
    http,
    https,
    agents: {
      http: new http.Agent({ keepAlive: true, maxFreeSockets: 1_024, timeout: 5_000 }),
      https: new https.Agent({ keepAlive: true, maxFreeSockets: 1_024, timeout: 5_000 }),
    },
  }));
  const { http, https, agents } = await nodeHttp;
  const secure = url.startsWith('https:');
  const client = secure ? https : http;
  return new Promise((resolve, reject) => {
    // A length, as fetch sends it: some servers refuse a chunked request body.
    const headers =
      init.body === undefined
        ? init.headers
        : { ...init.headers, 'content-length': String(init.body.byteLength) };
    const outgoing = client.request(url, {
      method: init.method,
      headers,
      signal: init.signal,
      agent: secure ? agents.https : agents.http,
    });
    outgoing.on('error', reject);
    outgoing.on('response', (incoming) => {
      const status = incoming.statusCode ?? 502;
      resolve({
        ok: status >= 200 && status < 300,
        status,
        statusText: incoming.statusMessage ?? '',
        headers: {
          get: (name) => {
            const value = incoming.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
        },
        reader: nodeReader(incoming),
      });
    });
    outgoing.end(init.body);
  });
}

/** Reads a Node response a chunk at a time; a connection that closes before the end is an error. */
function nodeReader(incoming: NodeHttp.IncomingMessage): NonNullable<UpstreamAnswer['reader']> {
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  incoming.on('readable', notify);
  incoming.on('end', () => {
    ended = true;
    notify();
  });
  incoming.on('error', (error) => {
    failure ??= error;
    notify();
  });
  incoming.on('close', () => {
    if (!ended) failure ??= new Error('The upstream connection closed before the end of the body.');
    notify();
  });
  const read = (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    const chunk = incoming.read() as Uint8Array | null;
    if (chunk !== null) return Promise.resolve({ done: false, value: chunk });
    if (ended) return Promise.resolve({ done: true, value: undefined });
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise<void>((resolve) => (wake = resolve)).then(read);
  };
  return {
    read,
    cancel: async () => {
      incoming.destroy();
    },
  };
}

/** `bytes` with each `needle` replaced by `replacement`. */
function replaceBytes(bytes: Uint8Array, needle: Uint8Array, replacement: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let at = indexOfBytes(bytes, needle); at !== -1; at = indexOfBytes(bytes, needle, from)) {
    parts.push(bytes.subarray(from, at), replacement);
    from = at + needle.length;
  }
  parts.push(bytes.subarray(from));
  return concatBytes(parts);
}

/**
 * Reads a body through `read` up to `limit` bytes. Past it: cancels and returns the first `limit`
 * bytes, or throws a `RangeError` when `strict`.
 */
async function readLimited(
  read: () => Promise<ReadableStreamReadResult<Uint8Array>>,
  cancel: () => Promise<void> | undefined,
  limit: number,
  strict = false,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      await cancel()?.catch(() => undefined);
      if (strict) throw new RangeError('body too large');
      break;
    }
  }
  return concatBytes(chunks).subarray(0, Math.min(size, limit));
}
