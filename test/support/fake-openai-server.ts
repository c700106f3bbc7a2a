/**
 * A controllable OpenAI-style HTTP server on 127.0.0.1 for Node tests and the browser project's
 * global setup. Each request takes the next scripted reply (first in, first out); with none left
 * it asks `respond`, and failing that answers 500 with an error envelope naming the request. CORS is open, so Chromium can call it.
 *
 * @example
 * ```ts
 * const server = await startFakeOpenAI();
 * const reply = server.script({ type: 'controlled' });
 * // …start a request against `${server.url}`…
 * await reply.request;            // it arrived
 * reply.write(chunk);             // one SSE event, flushed now
 * reply.cut();                    // end without [DONE]
 * await server.close();
 * ```
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { encodeSSE } from 'parlance/core';

/** A request the server received. */
interface RecordedRequest {
  method: string;
  /** Path after the base URL's `/v1`, such as `/chat/completions`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body (multipart bodies included). */
  body: Buffer;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
}

/** What the server answers to one request. */
export type FakeReply = (
  | { type: 'json'; body: unknown }
  | { type: 'text'; body: string; contentType?: string }
  | {
      type: 'sse';
      /** Objects become `data: <json>`, `'[DONE]'` becomes `data: [DONE]`; strings starting with `:` or `data:` are written raw. */
      events: ReadonlyArray<object | string>;
      /** Delay before each write, in ms. Default 0. */
      delayMs?: number;
      /** Append `data: [DONE]`. Default true. */
      done?: boolean;
      /** After the events: `'end'` closes cleanly, `'reset'` destroys the socket. Default `'end'`. */
      finish?: 'end' | 'reset';
    }
  | { type: 'raw'; chunks: ReadonlyArray<string | Uint8Array>; delayMs?: number; contentType?: string }
  | { type: 'controlled' }
  | { type: 'hang' }
) & { status?: number; headers?: Record<string, string> };

/** The handle {@link FakeOpenAI.script} returns for one scripted reply. */
interface ScriptedReply {
  /** Resolves when the request that takes this reply has arrived. */
  request: Promise<RecordedRequest>;
  /** Only for `controlled`: writes one SSE event (object, `'[DONE]'`) or raw text now. */
  write(event: object | string): void;
  /** Only for `controlled`: writes `data: [DONE]` and ends the response. */
  done(): void;
  /** Only for `controlled`: ends the response cleanly without `[DONE]`. */
  cut(): void;
  /** Only for `controlled`: destroys the socket (a network error for the client). */
  reset(): void;
}

/** A running fake server. */
export interface FakeOpenAI {
  /** The base URL, ending in `/v1`. */
  url: string;
  /** Queues the reply for the next request. */
  script(reply: FakeReply): ScriptedReply;
  /** Every request so far, in order (CORS preflights excluded). */
  requests: RecordedRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'x-request-id, retry-after, retry-after-ms',
};

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `data` was handed to the socket, so a following `destroy()` cannot drop it. */
const write = (res: http.ServerResponse, data: string | Uint8Array) =>
  new Promise<void>((resolve) => res.write(data, () => resolve()));

function formatEvent(event: object | string): string {
  if (typeof event === 'object') return encodeSSE(event);
  if (event === '[DONE]') return encodeSSE('[DONE]');
  return event;
}

interface Queued {
  reply: FakeReply;
  arrived: (request: RecordedRequest) => void;
  bind: (res: http.ServerResponse) => void;
}

/** Options of {@link startFakeOpenAI}. */
export interface FakeOpenAIOptions {
  /** Default 0: a free port. */
  port?: number;
  /**
   * Answers requests when no scripted reply is queued (a fixed routing table, for servers shared
   * by many tests, such as the browser project's). Return `undefined` for the default 500.
   */
  respond?: (request: RecordedRequest) => FakeReply | undefined;
}

/** Starts the server on 127.0.0.1. */
export async function startFakeOpenAI({ port = 0, respond }: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: Queued[] = [];
  const requests: RecordedRequest[] = [];
  let requestCount = 0;

  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').replace(/^\/v1/, ''),
        headers: req.headers,
        body,
        json,
      };
      requests.push(recorded);
      const next = queue.shift();
      const routed = next ? undefined : respond?.(recorded);
      if (routed) {
        void answer(routed, res);
        return;
      }
      if (!next) {
        res.writeHead(500, { ...CORS, 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `No reply scripted for ${recorded.method} ${recorded.path}`,
              type: 'test',
              param: null,
              code: null,
            },
          }),
        );
        return;
      }
      next.arrived(recorded);
      next.bind(res);
      void answer(next.reply, res);
    });
  });

  async function answer(reply: FakeReply, res: http.ServerResponse): Promise<void> {
    const requestId = `req_fake_${++requestCount}`;
    const headers = (contentType: string) => ({
      ...CORS,
      'content-type': contentType,
      'x-request-id': requestId,
      ...reply.headers,
    });
    const status = reply.status ?? 200;
    switch (reply.type) {
      case 'json':
        res.writeHead(status, headers('application/json')).end(JSON.stringify(reply.body));
        return;
      case 'text':
        res.writeHead(status, headers(reply.contentType ?? 'text/html')).end(reply.body);
        return;
      case 'hang':
        return;
      case 'controlled':
        res.writeHead(status, headers('text/event-stream'));
        res.flushHeaders();
        return;
      case 'raw':
      case 'sse': {
        res.writeHead(
          status,
          headers(reply.type === 'sse' ? 'text/event-stream' : (reply.contentType ?? 'text/event-stream')),
        );
        res.flushHeaders();
        const chunks =
          reply.type === 'raw'
            ? reply.chunks
            : [...reply.events.map(formatEvent), ...(reply.done === false ? [] : [encodeSSE('[DONE]')])];
        for (const chunk of chunks) {
          if (reply.delayMs) await wait(reply.delayMs);
          if (res.destroyed) return;
          await write(res, chunk);
        }
        if (reply.type === 'sse' && reply.finish === 'reset') {
          // A reset can make the client's stack discard bytes it has not read yet; give it time.
          await wait(50);
          res.socket?.destroy();
        } else {
          res.end();
        }
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${actual}/v1`,
    requests,
    script(reply) {
      let arrived!: (request: RecordedRequest) => void;
      let bind!: (res: http.ServerResponse) => void;
      const request = new Promise<RecordedRequest>((resolve) => (arrived = resolve));
      const response = new Promise<http.ServerResponse>((resolve) => (bind = resolve));
      queue.push({ reply, arrived, bind });
      // Actions run one after another, each after the previous write reached the socket.
      let last: Promise<unknown> = response;
      const onResponse = (action: (res: http.ServerResponse) => unknown) => {
        if (reply.type !== 'controlled') throw new Error('write/done/cut/reset need a controlled reply');
        last = last.then(() => response.then(action));
      };
      return {
        request,
        write: (event) => onResponse((res) => write(res, formatEvent(event))),
        done: () => onResponse((res) => res.end(encodeSSE('[DONE]'))),
        cut: () => onResponse((res) => res.end()),
        reset: () => onResponse((res) => res.socket?.destroy()),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
