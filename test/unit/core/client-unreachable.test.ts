// When fetch itself rejects (connection refused, a page origin the server does not allow,
// offline), the NetworkError says which base URL could not be reached and what usually fixes it,
// instead of the browser's bare "Failed to fetch"; the original error stays as `cause`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, test, vi } from 'vitest';

import { NetworkError, createChatStore, createClient, createClientTransport } from 'parlance/core';

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fetch that rejects like a browser's on a CORS refusal or a refused connection. */
const failedToFetch = (calls: string[] = []) =>
  (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a request that gets no response', () => {
  test('in Node, against a port nothing listens on: the URL, the reason and the fix', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const client = createClient({ baseUrl, retry: false });
    const error = await caught(client.chat.completions.create(body));
    expect(NetworkError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`Could not reach ${baseUrl} (`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('Check that the server is running there.');
    // No page, so no origin to allow.
    expect(message).not.toContain('PARLANCE_ALLOWED_ORIGINS');
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  test('on a page of another origin: names both, and the ways to allow or avoid it', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:5173' });
    const cause = new TypeError('Failed to fetch');
    const client = createClient({
      baseUrl: 'http://127.0.0.1:8787/v1',
      retry: false,
      fetch: async () => {
        throw cause;
      },
    });
    const error = await caught(client.chat.completions.create(body));
    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as Error).name).toBe('NetworkError');
    expect((error as Error).message).toBe(
      'Could not reach http://127.0.0.1:8787/v1 (Failed to fetch). Check that the server is running there.' +
        ' This page (http://localhost:5173) is on another origin, so the server must also allow it: add it' +
        ' to PARLANCE_ALLOWED_ORIGINS (or allowedOrigins) on the Parlance server, or serve the API from' +
        " this page's origin (a route handler, or a dev-server proxy) and set baseUrl to that path.",
    );
    expect((error as Error).cause).toBe(cause);
  });

  test.each(['/api/parlance/v1', 'http://localhost:5173/v1'])(
    'on a page of the same origin (%s), no word of origins',
    async (baseUrl) => {
      vi.stubGlobal('location', { origin: 'http://localhost:5173' });
      const client = createClient({ baseUrl, retry: false, fetch: failedToFetch() });
      const message = ((await caught(client.models.list())) as Error).message;
      expect(message).toBe(
        `Could not reach ${baseUrl} (Failed to fetch). Check that the server is running there.`,
      );
    },
  );

  test('retried per the policy, it fails once with the message once', async () => {
    const calls: string[] = [];
    const retries: unknown[] = [];
    const client = createClient({
      baseUrl: 'http://127.0.0.1:8787/v1',
      fetch: failedToFetch(calls),
      retry: { baseDelayMs: 1, jitter: false },
      onRetry: (event) => retries.push(event),
    });
    const error = (await caught(client.chat.completions.create(body))) as Error;
    expect(calls).toHaveLength(3);
    expect(retries).toHaveLength(2);
    expect(error.message.match(/Could not reach/g)).toHaveLength(1);
  });

  test('a chat shows the error once, after its retries', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:5173' });
    const calls: string[] = [];
    const store = createChatStore({
      id: 'unreachable',
      model: 'gpt-4o-mini',
      transport: createClientTransport({ baseUrl: 'http://127.0.0.1:8787/v1', fetch: failedToFetch(calls) }),
      retry: { baseDelayMs: 1, jitter: false },
      throttle: 0,
    });
    const errors: string[] = [];
    store.subscribe(() => {
      const { status, error } = store.getSnapshot();
      if (status === 'error' && error && errors.at(-1) !== error.message) errors.push(error.message);
    });
    await store.send('Hi');
    expect(calls).toHaveLength(3);
    const snapshot = store.getSnapshot();
    expect(snapshot.status).toBe('error');
    expect(NetworkError.isInstance(snapshot.error)).toBe(true);
    expect(snapshot.error!.message).toContain('Could not reach http://127.0.0.1:8787/v1');
    expect(snapshot.error!.message).toContain('PARLANCE_ALLOWED_ORIGINS');
    expect(errors).toEqual([snapshot.error!.message]);
  });
});
