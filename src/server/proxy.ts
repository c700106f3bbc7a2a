import { encodeSSE } from '../core/stream/encode-sse';
import { tokenizerRootUrl } from '../core/tokens/remote';
import { HttpApiError, errorResponse } from './protocol/errors';

/** Where proxy mode forwards to. */
export interface UpstreamOptions {
  /** The upstream's OpenAI-style base URL, such as `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never to a client. Optional for local servers. */
  apiKey?: string;
  /** How long to wait for the upstream's headers, and between two body reads, in ms. Default 60,000. */
  timeoutMs?: number;
  /** The `fetch` used to reach the upstream. Default: the global one. */
  fetch?: typeof globalThis.fetch;
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

/** Replaces every occurrence of `secret` in `text`. */
export function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

function upstreamError(status: number, message: string, code: string): HttpApiError {
  return new HttpApiError({ status, message, type: 'upstream_error', code });
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
}

/**
 * Forwards one request: the server's key replaces any client credential, the body is streamed back
 * as it arrives, a client that disconnects aborts the upstream request, and errors keep OpenAI's
 * envelope with the key redacted.
 */
export async function forward(upstream: UpstreamOptions, request: ForwardRequest): Promise<Response> {
  const timeoutMs = upstream.timeoutMs ?? 60_000;
  const controller = new AbortController();
  let timedOut = false;
  const onClientAbort = () => controller.abort();
  if (request.signal.aborted) controller.abort();
  request.signal.addEventListener('abort', onClientAbort, { once: true });
  let timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const settle = () => {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', onClientAbort);
  };

  const headers: Record<string, string> = {
    accept: request.stream ? 'text/event-stream' : 'application/json',
  };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (upstream.apiKey) headers.authorization = `Bearer ${upstream.apiKey}`;
  const url =
    (request.atRoot ? tokenizerRootUrl(upstream.baseUrl) : upstream.baseUrl.replace(/\/+$/, '')) +
    request.route;

  let response: Response;
  try {
    response = await (upstream.fetch ?? fetch)(url, {
      method: request.method,
      headers,
      body: request.body as BodyInit | undefined,
      signal: controller.signal,
      redirect: 'manual',
    });
  } catch {
    settle();
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

  const out = new Headers();
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) out.set(name, redact(value, upstream.apiKey));
  }

  if (!response.ok || !response.body) {
    let text = '';
    try {
      text = redact(await readLimited(response, MAX_ERROR_BODY), upstream.apiKey);
    } catch {
      // A body that breaks off is reported as the bare status below.
    }
    settle();
    if (response.ok) return new Response(text, { status: response.status, headers: out });
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    const isEnvelope =
      typeof envelope === 'object' &&
      envelope !== null &&
      typeof (envelope as { error?: { message?: unknown } }).error?.message === 'string';
    if (isEnvelope) {
      out.set('content-type', 'application/json');
      return new Response(JSON.stringify(envelope), { status: response.status, headers: out });
    }
    const error = upstreamError(
      response.status >= 400 ? response.status : 502,
      `The upstream server answered ${response.status} ${response.statusText}`.trim(),
      'upstream_error',
    );
    return new Response(JSON.stringify(error.toEnvelope()), {
      status: error.status,
      headers: { ...Object.fromEntries(out), 'content-type': 'application/json' },
    });
  }

  const reader = response.body.getReader();
  const isSSE = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  const encoder = new TextEncoder();
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  rearm();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch {
          settle();
          if (request.signal.aborted) return stream.close();
          if (!isSSE) return stream.error(new Error('upstream body broke off'));
          const error = timedOut
            ? upstreamError(504, 'The upstream server stopped sending in time.', 'upstream_timeout')
            : upstreamError(502, 'The upstream stream broke off.', 'upstream_interrupted');
          stream.enqueue(encoder.encode(encodeSSE(error.toEnvelope())));
          return stream.close();
        }
        if (result.done) {
          settle();
          return stream.close();
        }
        rearm();
        stream.enqueue(result.value);
      },
      cancel() {
        settle();
        controller.abort();
        reader.cancel().catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
  if (isSSE) {
    out.set('cache-control', 'no-cache');
    out.set('x-accel-buffering', 'no');
  }
  return new Response(body, { status: response.status, headers: out });
}

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all.subarray(0, limit));
}
