import type { ErrorEnvelope } from '../../core/wire/error';

/** Fields of an {@link HttpApiError}: OpenAI's error object plus the HTTP status. */
export interface HttpApiErrorInit {
  status: number;
  message: string;
  /** OpenAI's `error.type`. Default `invalid_request_error`. */
  type?: string;
  /** The request field at fault. Default `null`. */
  param?: string | null;
  /** OpenAI's `error.code`. Default `null`. */
  code?: string | null;
  /** Extra response headers, such as `Retry-After`. */
  headers?: Record<string, string>;
}

/**
 * An error the server answers with, in OpenAI's envelope: thrown by validation and the offline
 * engine, turned into a response by {@link errorResponse}.
 *
 * @example
 * throw new HttpApiError({ status: 400, message: "'n' must be at most 10", param: 'n' });
 */
export class HttpApiError extends Error {
  override readonly name = 'HttpApiError';
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  readonly headers: Record<string, string>;

  constructor(init: HttpApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.type = init.type ?? 'invalid_request_error';
    this.param = init.param ?? null;
    this.code = init.code ?? null;
    this.headers = init.headers ?? {};
  }

  /** The body OpenAI sends for this error. */
  toEnvelope(): ErrorEnvelope {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  /** True for an {@link HttpApiError} from any copy of this module. */
  static isInstance(error: unknown): error is HttpApiError {
    return error instanceof Error && error.name === 'HttpApiError' && 'toEnvelope' in error;
  }
}

/** A 400 `invalid_request_error` naming `param`. */
export function invalidRequest(
  message: string,
  param: string | null,
  code: string | null = null,
): HttpApiError {
  return new HttpApiError({ status: 400, message, param, code });
}

/** A JSON response in OpenAI's error envelope. */
export function errorResponse(error: HttpApiError): Response {
  return new Response(JSON.stringify(error.toEnvelope()), {
    status: error.status,
    headers: { 'content-type': 'application/json', ...error.headers },
  });
}

/** A JSON response with `status` (default 200). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
