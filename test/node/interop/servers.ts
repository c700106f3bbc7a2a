/**
 * The servers of the interop suite, all on 127.0.0.1 with a free port: the reference server
 * (offline, or proxying), `@dwmkerr/mock-llm` (a third-party OpenAI-compatible server from npm),
 * and a replay server answering the recorded streams and error bodies in ./fixtures.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { getDefaultConfig } from '@dwmkerr/mock-llm/dist/config.js';
import { createServer as createMockLlm } from '@dwmkerr/mock-llm/dist/server.js';
import { encode } from 'fast-png';

import { createServer, type CreateServerOptions, type ListeningServer } from '../../../src/server/index';

/** A running server: its API base URL (ending in `/v1`) and how to stop it. */
export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** The reference server in offline mode (or proxying, with `upstream`). No key, no rate limits. */
export async function startReference(options: CreateServerOptions = {}): Promise<RunningServer> {
  const server: ListeningServer = await createServer({
    staticDir: null,
    rateLimits: false,
    chunkDelayMs: 0,
    ...options,
  }).listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl: `${server.url}/v1`, close: () => server.close() };
}

async function listen(server: http.Server): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `@dwmkerr/mock-llm` with its default rules (echo the last user message, one model) plus a 401
 * for a message containing `error-401`. Streams in `chunkSize`-character chunks, `intervalMs` apart.
 * It logs every request with `console.log`: the console's `log` is muted while it runs.
 */
export async function startMockLlm({ chunkSize = 10, intervalMs = 1 } = {}): Promise<RunningServer> {
  const config = getDefaultConfig();
  config.streaming = { chunkSize, chunkIntervalMs: intervalMs };
  config.rules.push({
    path: '/v1/chat/completions',
    method: 'POST',
    match: "contains(body.messages[-1].content, 'error-401')",
    response: {
      status: 401,
      content: JSON.stringify({
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      }),
    },
  });
  const log = console.log;
  console.log = () => {};
  try {
    const app = createMockLlm(config, '127.0.0.1', 0);
    const running = await listen(http.createServer(app));
    return {
      ...running,
      close: async () => {
        await running.close();
        console.log = log;
      },
    };
  } catch (error) {
    console.log = log;
    throw error;
  }
}

/** One recorded answer of the replay server. */
interface Replay {
  status: number;
  contentType: string;
  file: string;
}

/**
 * What the replay server answers at `/<name>/v1/...` (any route under it): a recorded body from
 * ./fixtures, as the named server sent it. See fixtures/README.md for where each comes from.
 */
export const REPLAYS = {
  /** Hugging Face `transformers serve`: a stream that never sends `data: [DONE]`. */
  'transformers-stream': { status: 200, contentType: 'text/event-stream', file: 'transformers-stream.sse' },
  /** FastAPI's `HTTPException` (transformers serve, sse-starlette apps): `{"detail": "text"}`. */
  'fastapi-detail': { status: 400, contentType: 'application/json', file: 'fastapi-detail.json' },
  /** FastAPI's request validation: `{"detail": [{"loc", "msg", "type"}]}`, status 422. */
  'fastapi-validation': { status: 422, contentType: 'application/json', file: 'fastapi-validation.json' },
  /** Portkey's gateway: `{"status": "failure", "message": …}`. */
  portkey: { status: 400, contentType: 'application/json', file: 'portkey-error.json' },
  /** Ollama's native API: `{"error": "text"}`. */
  ollama: { status: 404, contentType: 'application/json', file: 'ollama-error.json' },
  /** vLLM: `{"object": "error", "message", "type", "param", "code"}`. */
  vllm: { status: 404, contentType: 'application/json', file: 'vllm-error.json' },
} satisfies Record<string, Replay>;

/** The name of a recorded answer. */
export type ReplayName = keyof typeof REPLAYS;

/** The text of a file in ./fixtures. */
export function fixture(file: string): string {
  return readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
}

/** Serves {@link REPLAYS}; `baseUrl(name)` is the API base URL that answers with `name`. */
export async function startReplay(): Promise<{ baseUrl(name: ReplayName): string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const name = (request.url ?? '').split('/')[1] as ReplayName;
      const replay: Replay | undefined = REPLAYS[name];
      if (!replay) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `No replay named ${name}`, type: 'not_found' } }));
        return;
      }
      response.writeHead(replay.status, { 'content-type': replay.contentType });
      response.end(fixture(replay.file));
    });
  });
  const running = await listen(server);
  const origin = running.baseUrl.replace(/\/v1$/, '');
  return { baseUrl: (name) => `${origin}/${name}/v1`, close: running.close };
}

/** A square PNG of `size` pixels, opaque, or with its left half transparent (a mask). */
export function squarePng(size: number, mask = false): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data.set([x, y, 128, mask && x < size / 2 ? 0 : 255], (y * size + x) * 4);
  }
  return encode({ width: size, height: size, data, channels: 4, depth: 8 });
}

/** The servers the client suites run against: the reference server (plain and paced), the replays and mock-llm. */
export async function startClientSuiteServers() {
  const [reference, paced, replay, mock] = await Promise.all([
    startReference(),
    startReference({ chunkDelayMs: 20 }),
    startReplay(),
    startMockLlm(),
  ]);
  return {
    reference,
    paced,
    replay,
    mock,
    close: () => Promise.all([reference.close(), paced.close(), replay.close(), mock.close()]),
  };
}
