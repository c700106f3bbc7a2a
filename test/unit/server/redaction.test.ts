// The key never leaves the server, whatever the upstream echoes and however it escapes it: error
// bodies, 2xx JSON bodies, plain-text bodies, each SSE event (a key split across two network
// chunks included), headers and log lines. Every answer is checked both as raw bytes and as the
// strings a client decodes from it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { createServer, type ListeningServer } from '../../../src/server/index';
import { createRedactor, redactDeep } from '../../../src/server/proxy';
import { chunk, startUpstream, type FakeUpstream } from './upstream';

const KEY = 'sk-proj-Redact_0123456789abcdefSECRET';
/** A gateway token holding `/` and `+`, which JSON may write as `\/`. */
const SLASH_KEY = 'gw/Abc+def/0123456789==';

/** `text` with every character written as a `\uXXXX` escape. */
const allEscaped = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
/** `text` with only its first character escaped, as `\u0073k-…`. */
const firstEscaped = (text: string) => allEscaped(text[0]!) + text.slice(1);

let upstream: FakeUpstream;
let proxy: ListeningServer;
let slashProxy: ListeningServer;
/** The same key, with the upstream reached through a `fetch` of the caller's (the other code path). */
let fetchProxy: ListeningServer;
const logs: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
  const options = { staticDir: null, rateLimits: false as const, log: (line: string) => logs.push(line) };
  proxy = await createServer({
    ...options,
    upstream: { baseUrl: upstream.url, apiKey: KEY, timeoutMs: 2_000 },
  }).listen({ port: 0, host: '127.0.0.1' });
  fetchProxy = await createServer({
    ...options,
    upstream: {
      baseUrl: upstream.url,
      apiKey: KEY,
      timeoutMs: 2_000,
      fetch: (input, init) => fetch(input, init),
    },
  }).listen({ port: 0, host: '127.0.0.1' });
  slashProxy = await createServer({
    ...options,
    upstream: { baseUrl: upstream.url, apiKey: SLASH_KEY, timeoutMs: 2_000 },
  }).listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await proxy?.close();
  await slashProxy?.close();
  await fetchProxy?.close();
  await upstream?.close();
  for (const line of logs) {
    expect(line).not.toContain(KEY);
    expect(line).not.toContain(SLASH_KEY);
  }
});

/** Every string a JSON text decodes to (keys included). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** Asserts that neither `text` nor anything JSON decodes from it holds `key`. */
function expectClean(text: string, key: string) {
  expect(text).not.toContain(key);
  let decoded: string[] = [];
  try {
    decoded = strings(JSON.parse(text));
  } catch {
    // Not JSON: the raw check above is what a client sees.
  }
  for (const s of decoded) expect(s).not.toContain(key);
}

/** The data of each SSE event in `text`. */
const events = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n'),
    );

const chat = (stream = false) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream });

async function post(server: ListeningServer, body = chat()) {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { response, text: await response.text() };
}

const errorBody = (message: string) =>
  `{"error":{"message":"${message}","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`;

describe('error bodies', () => {
  test.each([
    ['the first character \\u-escaped', firstEscaped(KEY)],
    ['every character \\u-escaped', allEscaped(KEY)],
    ['written literally', KEY],
  ])('an echoed key with %s is redacted', async (_label, written) => {
    upstream.handle((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(errorBody(`Incorrect API key provided: ${written}.`));
    });
    const { response, text } = await post(proxy);
    expect(response.status).toBe(401);
    expectClean(text, KEY);
    const body = JSON.parse(text) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('invalid_api_key');
    expect(body.error.message).toBe('Incorrect API key provided: [redacted].');
  });

  test('a key holding "/" echoed as \\/ is redacted', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(errorBody(`Token ${SLASH_KEY.replaceAll('/', '\\/')} is not allowed`));
    });
    const { response, text } = await post(slashProxy);
    expect(response.status).toBe(403);
    expectClean(text, SLASH_KEY);
    expect((JSON.parse(text) as { error: { message: string } }).error.message).toBe(
      'Token [redacted] is not allowed',
    );
  });
});

describe('2xx bodies', () => {
  test('a JSON completion echoing the key, escaped or not, in values and keys, is redacted', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        `{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"key ${firstEscaped(KEY)} and ${KEY}"},"finish_reason":"stop"}],"debug":{"${allEscaped(KEY)}":true}}`,
      );
    });
    const { response, text } = await post(proxy);
    expect(response.status).toBe(200);
    expectClean(text, KEY);
    const body = JSON.parse(text) as { choices: { message: { content: string } }[]; debug: object };
    expect(body.choices[0]!.message.content).toBe('key [redacted] and [redacted]');
    expect(Object.keys(body.debug)).toEqual(['[redacted]']);
  });

  test('a plain-text 2xx body holding the key is redacted', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`configured with ${KEY}\n`);
    });
    const { text } = await post(proxy);
    expect(text).toBe('configured with [redacted]\n');
  });

  test('a 2xx body without the key passes byte for byte', async () => {
    const body = `{"id":"x","object":"chat.completion","choices":[],"note":"caf\\u00e9 \\"quoted\\""}`;
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const { text } = await post(proxy);
    expect(text).toBe(body);
  });
});

describe.each([
  ['node:http', () => proxy],
  ["the caller's fetch", () => fetchProxy],
])('stream events, upstream reached through %s', (_label, server) => {
  test('each SSE event is redacted: literal, \\u-escaped, and a key split across two network chunks', async () => {
    const split = `data: ${JSON.stringify(chunk(`split ${KEY} end`))}\n\n`;
    const at = split.indexOf(KEY) + 10;
    upstream.handle(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(chunk(`literal ${KEY}`))}\n\n`);
      res.write(
        `data: ${JSON.stringify(chunk('escaped ')).replace('escaped ', `escaped ${allEscaped(KEY)}`)}\n\n`,
      );
      res.write(split.slice(0, at));
      await new Promise((resolve) => setTimeout(resolve, 30));
      res.write(split.slice(at));
      res.write(`event: note\nid: ${KEY}\ndata: not json ${KEY}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const { response, text } = await post(server(), chat(true));
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(text).not.toContain(KEY);
    const data = events(text);
    expect(data).toHaveLength(5);
    const contents = data
      .slice(0, 3)
      .map((d) => (JSON.parse(d) as { choices: { delta: { content: string } }[] }).choices[0]!.delta.content);
    expect(contents).toEqual(['literal [redacted]', 'escaped [redacted]', 'split [redacted] end']);
    for (const d of data) expectClean(d, KEY);
    expect(data[3]).toBe('not json [redacted]');
    expect(data[4]).toBe('[DONE]');
  });
});

describe('headers', () => {
  test('a passed-through header that carries the key is redacted', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req-${KEY}` });
      res.end('{"ok":true}');
    });
    const { response } = await post(proxy);
    expect(response.headers.get('x-request-id')).toBe('req-[redacted]');
  });
});

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('the pre-check that lets most events pass untouched', () => {
  const redactor = createRedactor(KEY)!;
  const bytes = (text: string) => new TextEncoder().encode(text);
  const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ "\\/\n\tésk';

  test('whenever a JSON text decodes to a string holding the key, mayContain says so', () => {
    const next = random(1);
    for (let round = 0; round < 2_000; round++) {
      const before = Array.from(
        { length: Math.floor(next() * 12) },
        () => ALPHABET[Math.floor(next() * ALPHABET.length)],
      ).join('');
      // Any character may be written as a \u escape; JSON.stringify writes the short escapes.
      const written = JSON.stringify(`${before}${KEY}!`).replace(/[A-Za-z0-9_-]/g, (c) =>
        next() < 0.1 ? allEscaped(c) : c,
      );
      expect(strings(JSON.parse(written)).some((s) => s.includes(KEY))).toBe(true);
      expect(redactor.mayContain(bytes(written))).toBe(true);
      expect(redactor.redactText(written)).not.toContain(KEY);
      expect(JSON.parse(redactor.redactText(written))).not.toContain(KEY);
    }
  });

  test('text with neither the key nor a \\u escape is passed: it cannot decode to the key', () => {
    const next = random(2);
    let passed = 0;
    for (let round = 0; round < 2_000; round++) {
      // Near misses: the key with one character dropped, with short escapes in between.
      const cut = Math.floor(next() * KEY.length);
      const text = JSON.stringify({ s: `${KEY.slice(0, cut)}\n"${KEY.slice(cut + 1)}\\` });
      const decoded = strings(JSON.parse(text));
      if (!redactor.mayContain(bytes(text))) {
        passed++;
        for (const s of decoded) expect(s).not.toContain(KEY);
      }
    }
    expect(passed).toBe(2_000);
  });

  test('a secret holding a character with a short escape counts any backslash', () => {
    const slash = createRedactor(SLASH_KEY)!;
    expect(slash.mayContain(bytes(JSON.stringify('x').replace('x', SLASH_KEY.replaceAll('/', '\\/'))))).toBe(
      true,
    );
    expect(slash.mayContain(bytes('{"a":"no backslash here"}'))).toBe(false);
    expect(redactor.mayContain(bytes('{"a":"line\\nbreak"}'))).toBe(false);
  });
});

describe('redactDeep', () => {
  test('keeps a "__proto__" key as a plain key', () => {
    const parsed = JSON.parse(`{"__proto__":{"k":"${KEY}"},"a":[1,"${KEY}"]}`) as unknown;
    expect(JSON.stringify(redactDeep(parsed, KEY))).toBe(
      '{"__proto__":{"k":"[redacted]"},"a":[1,"[redacted]"]}',
    );
  });
});
