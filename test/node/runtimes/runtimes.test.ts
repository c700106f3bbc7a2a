// parlance/server wherever `fetch` runs: the BUILT server (dist/server, which `npm test` builds
// before Vitest; run `npm run build` before running this file alone) served by Bun's and Deno's own
// servers through `createServer(...).fetch`, checked over real HTTP with the kit's client and raw
// fetch, and compared with the same requests to Node's listener wherever the answer is deterministic.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { decode } from 'fast-png';
import { createClient } from 'parlance/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { png } from '../../unit/server/helpers';
import { chunk, sse, startUpstream, type FakeUpstream } from '../../unit/server/upstream';
import { repoRoot, runtimeVersion, startCli, startServer, stopAll, type RunningServer } from './spawn';

const OFFLINE = { chunkDelayMs: 0, rateLimits: false };
const BASE = '/api/parlance';
const LOOPBACK_PAGE = 'http://localhost:5173';
const KEY = 'sk-runtime-test-0123456789abcdef';
const question = [{ role: 'user' as const, content: 'How do I count tokens before sending?' }];

/** Every request in this file gives up after 10 s. */
const send = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(10_000) });
const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A response's status, chosen headers and body, with what differs per request (ids, times) removed. */
async function answer(response: Response, headers: string[] = ['content-type']) {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: compared as text.
  }
  return {
    status: response.status,
    headers: Object.fromEntries(headers.map((name) => [name, response.headers.get(name)])),
    body: stable(body),
  };
}

/** Drops completion ids (random) and `created` (the clock) anywhere in a JSON value. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => key !== 'created' && !(key === 'id' && /^chatcmpl-/.test(String(v))))
      .map(([key, v]) => [key, stable(v)]),
  );
}

/** The SSE events of a body: each `data:` payload, in order. Throws on anything but `data:` events. */
function sseEvents(text: string): string[] {
  expect(text.endsWith('\n\n'), 'the stream ends with a complete event').toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((event) => {
      expect(event).toMatch(/^data: [^\n]+$/);
      return event.slice('data: '.length);
    });
}

const chatBody = { model: 'parlance-offline', messages: question, max_tokens: 60 };
/**
 * `chatBody` made distinct by `user`: offline mode answers a repeat of the same body as its next
 * attempt (a regenerate), so each comparison sends its own body once to each server.
 */
const chatFor = (user: string) => ({ ...chatBody, user });

let node: RunningServer;
let nodeMounted: RunningServer;

beforeAll(async () => {
  const built = path.join(repoRoot, 'dist/server/index.js');
  if (!existsSync(built))
    throw new Error('dist/server/index.js is missing: run `npm run build` first (npm test does).');
  [node, nodeMounted] = await Promise.all([
    startServer('node', OFFLINE),
    startServer('node', { ...OFFLINE, basePath: BASE }),
  ]);
}, 60_000);

// Every server this file started, whichever hook or test started it, even one whose start failed.
afterAll(stopAll);

describe.each(['bun', 'deno'] as const)('on %s', (name) => {
  let server: RunningServer;
  let mounted: RunningServer;

  beforeAll(async () => {
    console.log(`runtimes: ${name} ${runtimeVersion(name)}`);
    [server, mounted] = await Promise.all([
      startServer(name, OFFLINE),
      startServer(name, { ...OFFLINE, basePath: BASE }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), mounted?.stop()]);
  });

  /** The same request to this runtime and to Node's listener. */
  const both = async (request: (base: string) => Promise<Response>, headers?: string[]) => {
    const [here, there] = await Promise.all([request(server.url), request(node.url)]);
    return [await answer(here, headers), await answer(there, headers)] as const;
  };

  test('GET /v1/models answers as on Node', async () => {
    const [here, there] = await both((base) => send(`${base}/v1/models`));
    expect(here.status).toBe(200);
    expect((here.body as { data: Array<{ id: string }> }).data.map((m) => m.id)).toContain(
      'parlance-offline',
    );
    expect(here).toEqual(there);
  });

  test("a chat completion read with the kit's client matches Node's", async () => {
    const [here, there] = await Promise.all(
      [server, node].map((s) =>
        createClient({ baseUrl: `${s.url}/v1`, timeoutMs: 10_000, retry: false }).chat.completions.create(
          chatFor(`${name}-whole`),
        ),
      ),
    );
    expect(here!.object).toBe('chat.completion');
    expect(here!.choices[0]!.message.content).toMatch(/\w{3,}/);
    expect(here!.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(stable(here)).toEqual(stable(there));
  });

  test("a streamed chat completion read with the kit's client joins into the same reply", async () => {
    const client = createClient({ baseUrl: `${server.url}/v1`, timeoutMs: 10_000, retry: false });
    const whole = await client.chat.completions.create(chatFor(`${name}-joined`));
    const stream = await client.chat.completions.create({
      ...chatFor(`${name}-joined`),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: Array<string | null> = [];
    let usage: unknown;
    for await (const part of stream) {
      expect(part.object).toBe('chat.completion.chunk');
      text += part.choices[0]?.delta.content ?? '';
      if (part.choices[0]?.finish_reason) finishes.push(part.choices[0].finish_reason);
      if (part.usage) usage = part.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(finishes).toEqual([whole.choices[0]!.finish_reason]);
    expect(usage).toEqual(whole.usage);
  });

  test('raw fetch: SSE framing, one data line per event, ending with [DONE], the same events as Node', async () => {
    const [here, there] = await Promise.all(
      [server, node].map(async (s) => {
        const response = await postJson(`${s.url}/v1/chat/completions`, {
          ...chatFor(`${name}-raw`),
          stream: true,
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        return sseEvents(await response.text());
      }),
    );
    expect(here!.length).toBeGreaterThan(3);
    expect(here!.at(-1)).toBe('[DONE]');
    const parsed = (events: string[]) => events.slice(0, -1).map((event) => stable(JSON.parse(event)));
    expect(parsed(here!)).toEqual(parsed(there!));
  });

  test('an image generation in b64_json is a PNG of the size asked, the same as on Node; its URL form is served', async () => {
    const request = { prompt: 'a lighthouse at dusk', size: '256x256', response_format: 'b64_json' } as const;
    const [here, there] = await Promise.all(
      [server, node].map((s) =>
        createClient({ baseUrl: `${s.url}/v1`, timeoutMs: 20_000, retry: false }).images.generate(request),
      ),
    );
    const b64 = here!.data![0]!.b64_json!;
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const image = decode(bytes);
    expect([image.width, image.height]).toEqual([256, 256]);
    expect(b64).toBe(there!.data![0]!.b64_json);

    const byUrl = await postJson(`${server.url}/v1/images/generations`, {
      ...request,
      response_format: 'url',
    });
    const { data } = (await byUrl.json()) as { data: Array<{ url: string }> };
    expect(data[0]!.url.startsWith(`${server.url}/generated/`)).toBe(true);
    const served = await send(data[0]!.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  test('an image edit and a variation (multipart, parsed by the runtime) give the same PNGs as on Node', async () => {
    const image = png(64, 64, (x, y) => [x * 4, y * 4, 128, 255]);
    // Transparent on the left half: only there may the edit change pixels.
    const mask = png(64, 64, (x) => [0, 0, 0, x < 32 ? 0 : 255]);
    const results = await Promise.all(
      [server, node].map(async (s) => {
        const client = createClient({ baseUrl: `${s.url}/v1`, timeoutMs: 20_000, retry: false });
        const edit = await client.images.edit({
          image,
          mask,
          prompt: 'a red door',
          size: '256x256',
          response_format: 'b64_json',
        });
        const variation = await client.images.createVariation({
          image,
          size: '256x256',
          response_format: 'b64_json',
        });
        return [edit.data![0]!.b64_json!, variation.data![0]!.b64_json!];
      }),
    );
    const [[edit, variation], [editOnNode, variationOnNode]] = results as [string[], string[]];
    for (const b64 of [edit!, variation!]) {
      const decoded = decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      expect([decoded.width, decoded.height]).toEqual([256, 256]);
    }
    expect(edit).not.toBe(variation);
    expect(edit).toBe(editOnNode);
    expect(variation).toBe(variationOnNode);

    const broken = await send(`${server.url}/v1/images/edits`, {
      method: 'POST',
      body: (() => {
        const form = new FormData();
        form.append('prompt', 'no image');
        return form;
      })(),
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { param: string } }).error.param).toBe('image');
  });

  test('/tokenize counts a text and a conversation as on Node', async () => {
    for (const body of [{ prompt: 'Hello, wörld! 你好 🌍' }, { model: 'gpt-4o', messages: question }]) {
      const [here, there] = await both((base) => postJson(`${base}/tokenize`, body));
      expect(here.status).toBe(200);
      expect((here.body as { count: number }).count).toBeGreaterThan(3);
      expect(here).toEqual(there);
    }
  });

  test.each([
    ['no model', { messages: question }],
    ['messages not an array', { model: 'parlance-offline', messages: 'hi' }],
    ['temperature out of range', { ...chatBody, temperature: 7 }],
    ['broken JSON', '{"model": "parlance-offline", "messages": ['],
  ])("a validation error (%s) is a 400 in OpenAI's envelope, as on Node", async (_why, body) => {
    const [here, there] = await both((base) => postJson(`${base}/v1/chat/completions`, body));
    expect(here.status).toBe(400);
    expect(here.headers['content-type']).toMatch(/^application\/json/);
    const error = (here.body as { error: Record<string, unknown> }).error;
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(error.type).toBe('invalid_request_error');
    expect(here).toEqual(there);
  });

  test('a body over the JSON limit is a 413, whether it declares its length or comes chunked', async () => {
    const big = JSON.stringify({ ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(4.5e6) }] });
    const declared = await postJson(`${server.url}/v1/chat/completions`, big);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('request_too_large');

    const bytes = new TextEncoder().encode(big);
    const chunked = await send(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024)
            controller.enqueue(bytes.subarray(at, at + 64 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  test('an unknown route is a 404 in the envelope, a wrong method a 405, as on Node', async () => {
    const [unknown, unknownOnNode] = await both((base) => send(`${base}/v1/files`));
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('unknown_url');
    expect(unknown).toEqual(unknownOnNode);
    const [wrong, wrongOnNode] = await both((base) => send(`${base}/v1/chat/completions`));
    expect(wrong.status).toBe(405);
    expect(wrong).toEqual(wrongOnNode);
    expect((await send(`${server.url}/elsewhere`)).status).toBe(404);
  });

  test('a CORS preflight from a loopback page is allowed, one from another site refused, as on Node', async () => {
    const cors = [
      'access-control-allow-origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-max-age',
      'vary',
    ];
    const preflight = (origin: string) => (base: string) =>
      send(`${base}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const [allowed, allowedOnNode] = await both(preflight(LOOPBACK_PAGE), cors);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(LOOPBACK_PAGE);
    expect(allowed).toEqual(allowedOnNode);

    const [refused, refusedOnNode] = await both(preflight('https://pages.example'), cors);
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeNull();
    expect(refused).toEqual(refusedOnNode);

    // The request after the preflight carries the same answer.
    const chat = await postJson(`${server.url}/v1/chat/completions`, chatBody, { origin: LOOPBACK_PAGE });
    expect(chat.status).toBe(200);
    expect(chat.headers.get('access-control-allow-origin')).toBe(LOOPBACK_PAGE);
  });

  test('basePath mounts the whole API under the prefix, and nothing answers outside it', async () => {
    const client = createClient({ baseUrl: `${mounted.url}${BASE}/v1`, timeoutMs: 10_000, retry: false });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('parlance-offline');
    const [chat, chatOnNode] = await Promise.all(
      [mounted, nodeMounted].map((s) =>
        createClient({
          baseUrl: `${s.url}${BASE}/v1`,
          timeoutMs: 10_000,
          retry: false,
        }).chat.completions.create(chatFor(`${name}-mounted`)),
      ),
    );
    expect(stable(chat)).toEqual(stable(chatOnNode));
    const counted = await postJson(`${mounted.url}${BASE}/tokenize`, { prompt: 'hello' });
    expect(counted.status).toBe(200);

    const generated = await postJson(`${mounted.url}${BASE}/v1/images/generations`, {
      prompt: 'a harbour',
      size: '256x256',
    });
    const { data } = (await generated.json()) as { data: Array<{ url: string }> };
    const image = new URL(data[0]!.url);
    expect(image.pathname.startsWith(`${BASE}/generated/`)).toBe(true);
    expect((await send(image.href)).status).toBe(200);

    for (const outside of ['/v1/models', '/api/v1/models', `${BASE}v1/models`, '/tokenize']) {
      const [here, there] = await Promise.all(
        [mounted, nodeMounted].map(async (s) => (await send(`${s.url}${outside}`)).status),
      );
      expect([outside, here]).toEqual([outside, 404]);
      expect(there).toBe(404);
    }
  });

  test("rate limits hold on the runtime's own server: with no socket to tell clients apart, the whole server is one client", async () => {
    const limited = await startServer(name, { ...OFFLINE, rateLimits: { chatPerMinute: 2 } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) {
        // Two "clients" (another Origin, another forwarded address): one bucket all the same.
        last = await postJson(`${limited.url}/v1/chat/completions`, chatBody, {
          'x-forwarded-for': `10.0.0.${i}`,
          ...(i === 1 ? { origin: LOOPBACK_PAGE } : {}),
        });
        statuses.push(last.status);
        if (last.status === 200) await last.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    } finally {
      await limited.stop();
    }
  });

  test("the package's command (parlance-server, Node's listener) runs too, and answers as on Node", async () => {
    const cli = await startCli(name);
    try {
      const [here, there] = await Promise.all(
        [cli, node].map(async (s) => answer(await postJson(`${s.url}/tokenize`, { prompt: 'a count' }))),
      );
      expect(here!.status).toBe(200);
      expect(here).toEqual(there);
      const models = await send(`${cli.url}/v1/models`);
      expect(models.status).toBe(200);
    } finally {
      await cli.stop();
    }
  });

  describe('proxy mode', () => {
    let upstream: FakeUpstream;
    let proxy: RunningServer;

    beforeAll(async () => {
      upstream = await startUpstream();
      proxy = await startServer(name, {
        upstream: { baseUrl: upstream.url, apiKey: KEY, timeoutMs: 10_000 },
        rateLimits: false,
      });
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await upstream?.close();
    });

    test("an upstream stream passes through event by event with the server's key, and ends with [DONE]", async () => {
      const words = ['Streams ', 'pass ', 'through ', 'as ', 'they ', 'arrive.'];
      upstream.handle(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const [i, word] of words.entries()) {
          sse(res, chunk(word, i === words.length - 1 ? 'stop' : null));
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        sse(res, '[DONE]');
        res.end();
      });
      const client = createClient({ baseUrl: `${proxy.url}/v1`, timeoutMs: 10_000, retry: false });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: question,
        stream: true,
      });
      let text = '';
      for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
      expect(text).toBe(words.join(''));
      const received = upstream.requests.at(-1)!;
      expect(received.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(await received.closed).toEqual({ finished: true });
    });

    test('a client that leaves mid-stream aborts the upstream request', async () => {
      upstream.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        sse(res, chunk('first'));
        // …and nothing more until the proxy hangs up.
      });
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 10_000);
      const response = await send(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: question, stream: true }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain('first');
      const received = upstream.requests.at(-1)!;
      controller.abort();
      const closed = await Promise.race([
        received.closed,
        new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000)),
      ]);
      clearTimeout(timer);
      expect(closed).toEqual({ finished: false });
    });

    test('an upstream error comes back in its envelope, with the key nowhere in it', async () => {
      upstream.handle((_req, res) => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${KEY}.`,
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          }),
        );
      });
      const response = await postJson(`${proxy.url}/v1/chat/completions`, {
        model: 'gpt-4o-mini',
        messages: question,
      });
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe('invalid_api_key');
      expect(text).not.toContain(KEY);
    });
  });
});
