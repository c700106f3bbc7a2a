/**
 * A local fake upstream for the proxy tests: a Node HTTP server on 127.0.0.1 whose handler each
 * test sets, recording every request (headers and body) and when its connection closed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Resolves when the response's connection closed (finished or aborted by the proxy). */
  closed: Promise<{ finished: boolean }>;
}

type UpstreamHandler = (req: UpstreamRequest, res: http.ServerResponse) => void | Promise<void>;

export interface FakeUpstream {
  /** Base URL ending in `/v1`. */
  url: string;
  requests: UpstreamRequest[];
  handle(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<FakeUpstream> {
  let handler: UpstreamHandler = (_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: { message: 'no handler', type: 'server_error', param: null, code: null } }),
    );
  };
  const requests: UpstreamRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const closed = new Promise<{ finished: boolean }>((resolve) =>
      res.on('close', () => resolve({ finished: res.writableFinished })),
    );
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: UpstreamRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        closed,
      };
      requests.push(recorded);
      void handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes one SSE event now. */
export function sse(res: http.ServerResponse, event: object | '[DONE]'): void {
  res.write(`data: ${event === '[DONE]' ? '[DONE]' : JSON.stringify(event)}\n\n`);
}

/** A chat.completion.chunk with `content`. */
export function chunk(content: string, finish: string | null = null): object {
  return {
    id: 'chatcmpl-up',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: finish }],
  };
}
