// Two server instances on one real redis-server, behind a small round-robin load balancer (as a
// deployment would have them): rate limits are shared exactly, an image generated through one
// instance is served by the other, and when one instance dies mid-stream the client gets a typed
// interruption while its next request is served by the survivor.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

import { createClient, StreamInterruptedError } from 'parlance/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  createRedisStore,
  createServer,
  type ListeningServer,
  type ServerStore,
} from '../../../src/server/index';
import { rawRequest } from './http';
import { startRedis, type RedisServer } from './redis-server';

interface Balancer {
  url: string;
  /** For each request it forwarded, the index of the backend that answered. */
  served: number[];
  close(): Promise<void>;
}

/**
 * A round-robin HTTP load balancer: each request goes to the next backend, or to the one after it
 * when that one refuses the connection. It appends the client's address to `X-Forwarded-For`
 * and passes the `Host` through, as nginx with `proxy_set_header Host $host` does. A backend
 * that breaks off mid-response breaks the client's response off too.
 */
async function startBalancer(backends: string[]): Promise<Balancer> {
  let turn = 0;
  const served: number[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const first = turn++ % backends.length;
      const attempt = (tries: number) => {
        const index = (first + tries) % backends.length;
        const target = new URL(backends[index]!);
        const forwardedFor = [request.headers['x-forwarded-for'], request.socket.remoteAddress]
          .filter(Boolean)
          .join(', ');
        const upstream = http.request(
          {
            host: target.hostname,
            port: target.port,
            path: request.url,
            method: request.method,
            headers: { ...request.headers, 'x-forwarded-for': forwardedFor },
            agent: false,
          },
          (answer) => {
            served.push(index);
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            pipeline(answer, response, (error) => {
              if (error) response.destroy();
            });
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (response.headersSent) return;
          if (error.code === 'ECONNREFUSED' && tries + 1 < backends.length) attempt(tries + 1);
          else response.writeHead(502).end();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const DOCUMENTS = [
  {
    path: 'docs/scale.md',
    text: '# Scaling\n\nRun several instances of the server behind a load balancer, with one Redis that every instance shares for rate limits and generated images, so that any instance can serve any request.\n',
  },
];

let redis: RedisServer;
const stores: ServerStore[] = [];
const instances: ListeningServer[] = [];
let balancer: Balancer;

beforeAll(async () => {
  redis = await startRedis();
  for (let i = 0; i < 2; i++) {
    const store = createRedisStore({ url: redis.url, onStatus: () => undefined });
    stores.push(store);
    const server = createServer({
      staticDir: null,
      documents: DOCUMENTS,
      chunkDelayMs: 40,
      store,
      // Behind the balancer, on this machine: the client is the address it forwards.
      trustProxy: ['loopback'],
      rateLimits: { chatPerMinute: 10, imagesPerMinute: 50 },
    });
    instances.push(await server.listen({ port: 0, host: '127.0.0.1' }));
  }
  balancer = await startBalancer(instances.map((instance) => instance.url));
});

afterAll(async () => {
  await balancer?.close();
  await Promise.all(instances.map((instance) => instance.close()));
  await Promise.all(stores.map((store) => store.close()));
  await redis?.kill();
});

const chat = (client: string, stream = false) =>
  rawRequest(`${balancer.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({
      model: 'parlance-offline',
      messages: [{ role: 'user', content: 'How do I scale the server?' }],
      stream,
    }),
  });

describe('two instances, one Redis', () => {
  test('chatPerMinute 10: across both instances exactly 10 succeed, the 11th is a 429', async () => {
    const before = balancer.served.length;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await chat('198.51.100.10')).status);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    // Both instances took their turns: 6 and 5 of the 11.
    const backends = balancer.served.slice(before);
    const counts = [0, 1].map((index) => backends.filter((served) => served === index).length);
    expect(counts.sort()).toEqual([5, 6]);
    // Another client (forwarded address) has its own 10.
    expect((await chat('198.51.100.11')).status).toBe(200);
  });

  test('an image generated through one instance is served by the other', async () => {
    const before = balancer.served.length;
    const generated = await rawRequest(`${balancer.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.20' },
      body: JSON.stringify({
        prompt: 'a lighthouse',
        model: 'dall-e-2',
        size: '256x256',
        response_format: 'url',
      }),
    });
    expect(generated.status).toBe(200);
    const { data } = JSON.parse(generated.body) as { data: { url: string }[] };
    const url = new URL(data[0]!.url);
    // The link names the balancer (the Host it passed through), not the instance.
    expect(url.origin).toBe(balancer.url);
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const [madeBy, servedBy] = balancer.served.slice(before);
    expect(madeBy).toBeDefined();
    expect(servedBy).toBe(1 - madeBy!);
  });

  test('one instance dies mid-stream: the client gets a StreamInterruptedError, and its next request is served', async () => {
    const client = createClient({
      baseUrl: `${balancer.url}/v1`,
      headers: { 'x-forwarded-for': '198.51.100.30' },
      retry: false,
    });
    const stream = await client.chat.completions.create({
      model: 'parlance-offline',
      messages: [{ role: 'user', content: 'How do I scale the server?' }],
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const victim = balancer.served.at(-1)!;
    await instances[victim]!.close();

    let received = 1;
    const error = await (async () => {
      try {
        while (!(await iterator.next()).done) received++;
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(StreamInterruptedError.isInstance(error), String(error)).toBe(true);
    expect(received).toBeGreaterThan(0);

    const before = balancer.served.length;
    const answer = await client.chat.completions.create({
      model: 'parlance-offline',
      messages: [{ role: 'user', content: 'How do I scale the server?' }],
    });
    expect(answer.choices[0]?.message.content).toMatch(/\S/);
    expect(balancer.served.slice(before)).toEqual([1 - victim]);
  });
});
