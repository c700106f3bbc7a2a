// The core client reads at most 64 KB of an error body: a server on 127.0.0.1 that answers 500
// with a body that never ends (and never pauses long enough for the idle timeout) still gives the
// caller an ApiError, promptly, and the connection is dropped. Uncapped, the client read until its
// text passed the longest string the engine allows (about 512 MB), or forever.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApiError, createClient, createTokenizerEndpoint } from 'parlance/core';
import { keepImage } from '../../../src/core/images/results';
import { afterAll, beforeAll, expect, test } from 'vitest';

let server: http.Server;
let baseUrl: string;
/** Bytes the endless responses wrote in all, and how many were dropped by the client. */
let written = 0;
let dropped = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    const html = request.url?.includes('html');
    response.writeHead(500, { 'content-type': html ? 'text/html' : 'application/json' });
    const chunk = Buffer.from(
      html
        ? `<!doctype html><h1>Internal error</h1>${'<p>stack frame</p>'.repeat(900)}`
        : `{"error":{"message":"Upstream broke","type":"server_error","param":null,"code":null},"pad":"${'x'.repeat(16_000)}`,
    );
    let open = true;
    response.on('close', () => {
      if (open) dropped++;
      open = false;
    });
    const more = () => {
      if (!open) return;
      written += chunk.length;
      // Endless: as fast as the client reads, never idle.
      if (response.write(chunk)) setImmediate(more);
      else response.once('drain', more);
    };
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('an endless 500 body settles as an ApiError within seconds, having read about 64 KB', async () => {
  const client = createClient({ baseUrl: `${baseUrl}/v1`, retry: false, timeoutMs: 5_000 });
  const before = written;
  const started = performance.now();
  const error = await client.chat.completions
    .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    .catch((e: unknown) => e);
  expect(ApiError.isInstance(error)).toBe(true);
  expect((error as ApiError).status).toBe(500);
  expect(performance.now() - started).toBeLessThan(5_000);
  // The client stopped reading: the server could write little more than the cap plus socket buffers.
  await expect.poll(() => dropped).toBeGreaterThanOrEqual(1);
  expect(written - before).toBeLessThan(16 * 1024 * 1024);
});

test('an endless HTML error page settles too, its message naming the status', async () => {
  const client = createClient({ baseUrl: `${baseUrl}/html/v1`, retry: false, timeoutMs: 5_000 });
  const before = written;
  const error = await client.chat.completions
    .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    .catch((e: unknown) => e);
  expect(ApiError.isInstance(error)).toBe(true);
  expect((error as ApiError).message).toContain('500');
  // Uncapped, the client read until its text hit the engine's longest string (hundreds of MB).
  expect(written - before).toBeLessThan(16 * 1024 * 1024);
});

test('keepImage and the tokenizer endpoint cap an endless error body the same way', async () => {
  const kept = await keepImage({ src: `${baseUrl}/image.png` } as Parameters<typeof keepImage>[0]).catch(
    (e: unknown) => e,
  );
  expect(ApiError.isInstance(kept)).toBe(true);
  expect((kept as ApiError).status).toBe(500);

  const endpoint = createTokenizerEndpoint({ baseUrl: `${baseUrl}/v1`, timeoutMs: 60_000 });
  const started = performance.now();
  const counted = await endpoint.count('hello', { model: 'gpt-4o' }).catch((e: unknown) => e);
  expect(ApiError.isInstance(counted)).toBe(true);
  expect(performance.now() - started).toBeLessThan(10_000);
});
