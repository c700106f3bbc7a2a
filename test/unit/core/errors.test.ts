import { describe, expect, test } from 'vitest';

import {
  AbortError,
  ApiError,
  MalformedResponseError,
  NetworkError,
  ParlanceError,
  StreamInterruptedError,
  TimeoutError,
} from 'parlance/core';

import { readResponseText } from '../../support/fixtures';

function fail(status: number, body: string, headers: Record<string, string> = {}, statusText = '') {
  const response = new Response(body, { status, statusText, headers });
  return ApiError.fromResponse(response, body);
}

describe('ApiError.fromResponse with OpenAI envelopes', () => {
  test.each([
    [400, 'error-400.json', 'invalid_request_error', 'invalid_value', 'temperature', false],
    [401, 'error-401.json', 'invalid_request_error', 'invalid_api_key', null, false],
    [404, 'error-404-model.json', 'invalid_request_error', 'model_not_found', null, false],
    [429, 'error-429.json', 'requests', 'rate_limit_exceeded', null, true],
  ] as const)('%i reads type, code, param and message', (status, file, type, code, param, retryable) => {
    const text = readResponseText(file);
    const error = fail(status, text, { 'x-request-id': 'req_abc123' });
    const envelope = JSON.parse(text) as { error: { message: string } };
    expect(error).toMatchObject({ name: 'ApiError', status, type, code, param, requestId: 'req_abc123' });
    expect(error.message).toBe(envelope.error.message);
    expect(error.isRetryable).toBe(retryable);
    expect(error.body).toEqual(envelope);
  });

  test.each([500, 503])('%i is retryable and keeps the server message', (status) => {
    const body = JSON.stringify({
      error: { message: 'The server had an error', type: 'server_error', param: null, code: null },
    });
    const error = fail(status, body);
    expect(error.status).toBe(status);
    expect(error.type).toBe('server_error');
    expect(error.message).toBe('The server had an error');
    expect(error.isRetryable).toBe(true);
  });

  test('408 and 409 are retryable; 403 and 422 are not', () => {
    expect([408, 409, 403, 422].map((s) => fail(s, '').isRetryable)).toEqual([true, true, false, false]);
  });
});

describe('ApiError.fromResponse with other bodies', () => {
  test('an HTML page from a proxy gives its text, without tags or scripts, and the status', () => {
    const error = fail(502, readResponseText('bad-gateway.html'), {}, 'Bad Gateway');
    expect(error.message).toMatch(/^HTTP 502 Bad Gateway: /);
    expect(error.message).toContain('cloudflare');
    expect(error.message).not.toMatch(/[<>]|__cf|ray/);
    expect(error.type).toBeNull();
    expect(error.body).toBe(readResponseText('bad-gateway.html'));
  });

  test('a long HTML page is capped', () => {
    const error = fail(500, `<html><body><p>${'lorem ipsum '.repeat(500)}</p></body></html>`);
    expect(error.message.length).toBeLessThan(260);
    expect(error.message).toMatch(/^HTTP 500 Internal Server Error: lorem ipsum/);
    expect(error.message.endsWith('…')).toBe(true);
  });

  test('an empty body names the status even without a status text (HTTP/2)', () => {
    expect(fail(503, '').message).toBe('HTTP 503 Service Unavailable');
    expect(fail(599, '').message).toBe('HTTP 599');
  });

  test('JSON without the envelope: common shapes give their message, others a snippet', () => {
    expect(fail(404, '{"error":"model \\"llama9\\" not found, try pulling it first"}').message).toBe(
      'model "llama9" not found, try pulling it first',
    );
    expect(fail(422, '{"detail":"Field required"}').message).toBe('Field required');
    expect(fail(500, '{"status":"down"}').message).toBe('HTTP 500 Internal Server Error: {"status":"down"}');
    expect(fail(500, '{"status":"down"}').body).toEqual({ status: 'down' });
  });

  test('a top-level message keeps its type, code and param (vLLM), or none (Portkey)', () => {
    const vllm =
      '{"object":"error","message":"No such model","type":"NotFoundError","param":null,"code":404}';
    expect(fail(404, vllm)).toMatchObject({
      message: 'No such model',
      type: 'NotFoundError',
      code: '404',
      param: null,
    });
    expect(fail(400, '{"status":"failure","message":"Header missing"}')).toMatchObject({
      message: 'Header missing',
      type: null,
      code: null,
    });
  });

  test('retryAfterMs reads retry-after-ms, then Retry-After seconds or HTTP date', () => {
    expect(fail(429, '', { 'retry-after-ms': '1500', 'retry-after': '9' }).retryAfterMs).toBe(1500);
    expect(fail(429, '', { 'retry-after': '20' }).retryAfterMs).toBe(20_000);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const fromDate = fail(429, '', { 'retry-after': date }).retryAfterMs!;
    expect(fromDate).toBeGreaterThan(28_000);
    expect(fromDate).toBeLessThanOrEqual(30_000);
    expect(fail(429, '', { 'retry-after': 'soon' }).retryAfterMs).toBeNull();
    expect(fail(429, '').retryAfterMs).toBeNull();
  });
});

describe('ApiError.fromEvent', () => {
  test('a mid-stream error has no status and is not retryable', () => {
    const error = ApiError.fromEvent({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: null },
    });
    expect(error).toMatchObject({ status: undefined, type: 'server_error', message: 'Overloaded' });
    expect(error.isRetryable).toBe(false);
  });
});

describe('isInstance', () => {
  const all = [
    new ApiError({ status: 400, message: 'bad' }),
    new NetworkError(),
    new TimeoutError(1000),
    new AbortError(),
    new StreamInterruptedError([]),
    new MalformedResponseError('bad', 'x'),
  ];
  const classes = [
    ApiError,
    NetworkError,
    TimeoutError,
    AbortError,
    StreamInterruptedError,
    MalformedResponseError,
  ];

  test('each class recognises its own instances only, and the base recognises all', () => {
    const matrix = classes.map((cls) => all.map((error) => cls.isInstance(error)));
    expect(matrix).toEqual(classes.map((_, i) => all.map((_, j) => i === j)));
    expect(all.every((error) => ParlanceError.isInstance(error))).toBe(true);
  });

  test('stable names', () => {
    expect(all.map((error) => error.name)).toEqual([
      'ApiError',
      'NetworkError',
      'TimeoutError',
      'AbortError',
      'StreamInterruptedError',
      'MalformedResponseError',
    ]);
  });

  test('works across a second copy of the package (same Symbol.for brand, other class)', () => {
    class OtherCopyApiError extends Error {}
    Object.defineProperty(OtherCopyApiError.prototype, Symbol.for('parlance.error'), { value: true });
    Object.defineProperty(OtherCopyApiError.prototype, Symbol.for('parlance.error.ApiError'), {
      value: true,
    });
    const foreign = new OtherCopyApiError('from the widget bundle');
    expect(foreign instanceof ApiError).toBe(false);
    expect(ApiError.isInstance(foreign)).toBe(true);
    expect(ParlanceError.isInstance(foreign)).toBe(true);
    expect(NetworkError.isInstance(foreign)).toBe(false);
    expect(AbortError.isInstance({ [Symbol.for('parlance.error.AbortError')]: true })).toBe(true);
  });

  test('subclasses stay recognised; look-alikes do not', () => {
    class RateLimitError extends ApiError {}
    expect(ApiError.isInstance(new RateLimitError({ status: 429, message: 'slow down' }))).toBe(true);
    const lookalike = Object.assign(new Error('x'), { name: 'ApiError' });
    expect(ApiError.isInstance(lookalike)).toBe(false);
    expect(ParlanceError.isInstance(new DOMException('x', 'AbortError'))).toBe(false);
    expect([null, undefined, 'ApiError', 42].some((v) => ApiError.isInstance(v))).toBe(false);
  });

  test('MalformedResponseError keeps a capped snippet of the raw text', () => {
    const error = new MalformedResponseError('not JSON', `<html>${'x'.repeat(2000)}`);
    expect(error.text.startsWith('<html>xxx')).toBe(true);
    expect(error.text.length).toBeLessThanOrEqual(500);
  });
});
