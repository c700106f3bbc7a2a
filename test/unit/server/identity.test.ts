// Who is calling: an `authorize` hook names users (or refuses), and behind a reverse proxy the
// client's address comes from `X-Forwarded-For`, but only when the proxy is one the server trusts.
import { SignJWT, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { optionsFromEnv, type ListeningServer } from '../../../src/server/index';
import { envelope, offlineServer, postJson } from './helpers';
import { rawChat } from './http';

const CHAT = { model: 'parlance-offline', messages: [{ role: 'user', content: 'hi' }] };

/** Sends `count` chat requests with `headers` and returns their statuses. */
async function statuses(
  server: { fetch(request: Request): Promise<Response> },
  count: number,
  headers: Record<string, string>,
) {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await postJson(server, '/v1/chat/completions', CHAT, headers);
    await response.arrayBuffer();
    result.push(response.status);
  }
  return result;
}

describe('authorize', () => {
  test('a Response it returns is the answer, as is; the API behind it is never reached', async () => {
    let reached = 0;
    const server = offlineServer({
      documents: [],
      authorize: () =>
        new Response('Sign in first', { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
      clientId: () => {
        reached++;
        return 'x';
      },
    });
    const response = await postJson(server, '/v1/chat/completions', CHAT);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).toBe('Sign in first');
    expect(reached).toBe(0);
  });

  test('a refusal with immutable headers still gets the CORS headers a page needs to read it', async () => {
    const server = offlineServer({
      documents: [],
      allowedOrigins: ['https://app.example'],
      authorize: async () => Response.redirect('https://app.example/login', 302),
    });
    const response = await postJson(server, '/v1/chat/completions', CHAT, { origin: 'https://app.example' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://app.example/login');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  test('a hook that throws refuses with a 401 in the envelope, and its message is not shown', async () => {
    const lines: string[] = [];
    const server = offlineServer({
      documents: [],
      log: (line) => lines.push(line),
      authorize: () => {
        throw new Error('token abc.def.ghi is bad');
      },
    });
    const response = await postJson(server, '/v1/chat/completions', CHAT);
    expect(response.status).toBe(401);
    const error = await envelope(response);
    expect(error.code).toBe('unauthorized');
    expect(error.message).not.toContain('abc.def.ghi');
    expect(lines.join('\n')).not.toContain('abc.def.ghi');
  });

  test('rate limits count per user id', async () => {
    const server = offlineServer({
      documents: [],
      rateLimits: { chatPerMinute: 2 },
      authorize: (request) => request.headers.get('x-user') ?? new Response(null, { status: 401 }),
    });
    expect(await statuses(server, 3, { 'x-user': 'alice' })).toEqual([200, 200, 429]);
    expect(await statuses(server, 2, { 'x-user': 'bob' })).toEqual([200, 200]);
    expect(await statuses(server, 1, { 'x-user': 'alice' })).toEqual([429]);
    expect(await statuses(server, 1, {})).toEqual([401]);
  });

  test('covers the tokenizer and the model list too, but not preflights', async () => {
    const server = offlineServer({ documents: [], authorize: () => new Response(null, { status: 401 }) });
    expect((await postJson(server, '/tokenize', { prompt: 'hi' })).status).toBe(401);
    expect((await server.fetch(new Request('http://127.0.0.1:8787/v1/models'))).status).toBe(401);
    const preflight = await server.fetch(
      new Request('http://127.0.0.1:8787/v1/chat/completions', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
  });

  test('a hook that resolves to no user id is a server error, not a pass', async () => {
    const server = offlineServer({ documents: [], authorize: () => '' });
    expect((await postJson(server, '/v1/chat/completions', CHAT)).status).toBe(500);
  });

  describe('with a JWT (HS256) verified by jose', () => {
    const secret = new TextEncoder().encode('a-32-byte-long-secret-for-tests!');
    const other = new TextEncoder().encode('another-32-byte-long-secret-here');
    const token = (sub: string, key = secret, expiresIn = '5m') =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(key);
    const server = offlineServer({
      documents: [],
      rateLimits: { chatPerMinute: 1 },
      // As docs/server.md shows it.
      async authorize(request) {
        const cookie = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
        const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
        const token = cookie ?? bearer;
        if (!token) return new Response('Sign in first', { status: 401 });
        // Throws for a bad signature, another algorithm or an expired token: a 401.
        const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
        return payload.sub ?? new Response('The token names no user', { status: 403 });
      },
    });
    const bearer = async (value: Promise<string> | string) => ({ authorization: `Bearer ${await value}` });

    test('a valid token is served, and its subject keys the limits', async () => {
      expect(await statuses(server, 2, await bearer(token('carol')))).toEqual([200, 429]);
      expect(await statuses(server, 1, await bearer(token('dave')))).toEqual([200]);
    });

    test('a session cookie holding the token works the same', async () => {
      const cookie = { cookie: `theme=dark; session=${await token('frank')}` };
      expect(await statuses(server, 2, cookie)).toEqual([200, 429]);
      expect(await statuses(server, 1, { cookie: `session=${await token('frank', other)}` })).toEqual([401]);
    });

    test('a token that names no user is refused by the hook’s own Response', async () => {
      const anonymous = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(secret);
      const response = await postJson(server, '/v1/chat/completions', CHAT, await bearer(anonymous));
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('The token names no user');
    });

    test('a token signed with another key, an expired one, an unsigned one or none is refused', async () => {
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"eve"}').toString('base64url')}.`;
      for (const headers of [
        await bearer(token('eve', other)),
        await bearer(token('eve', secret, '-1m')),
        await bearer(unsigned),
        {},
      ]) {
        expect((await postJson(server, '/v1/chat/completions', CHAT, headers)).status).toBe(401);
      }
    });
  });
});

describe('trustProxy', () => {
  const servers: ListeningServer[] = [];
  const listen = async (options: Parameters<typeof offlineServer>[0]) => {
    const server = await offlineServer({
      documents: [],
      rateLimits: { chatPerMinute: 2 },
      ...options,
    }).listen({
      port: 0,
      host: '127.0.0.1',
    });
    servers.push(server);
    return server.url;
  };
  const burst = async (url: string, count: number, forwardedFor?: string) => {
    const result: number[] = [];
    for (let i = 0; i < count; i++) {
      result.push((await rawChat(url, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {})).status);
    }
    return result;
  };
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  test('without it, X-Forwarded-For is ignored: spoofed addresses share the socket’s limit', async () => {
    const url = await listen({});
    expect(await burst(url, 1, '203.0.113.1')).toEqual([200]);
    expect(await burst(url, 1, '203.0.113.2')).toEqual([200]);
    expect(await burst(url, 1, '203.0.113.3')).toEqual([429]);
  });

  test('from an untrusted peer, X-Forwarded-For is ignored', async () => {
    const url = await listen({ trustProxy: ['10.0.0.0/8'] });
    expect(await burst(url, 3, undefined)).toEqual([200, 200, 429]);
    expect(await burst(url, 1, '203.0.113.9')).toEqual([429]);
  });

  describe('from the trusted proxy', () => {
    let url: string;
    beforeAll(async () => {
      url = await listen(optionsFromEnv({ PARLANCE_TRUST_PROXY: '127.0.0.1' }));
    });

    test('each forwarded address has its own limit', async () => {
      expect(await burst(url, 3, '198.51.100.1')).toEqual([200, 200, 429]);
      expect(await burst(url, 2, '198.51.100.2')).toEqual([200, 200]);
    });

    test('the right-most untrusted address counts: what a client puts in front changes nothing', async () => {
      expect(await burst(url, 2, '198.51.100.3')).toEqual([200, 200]);
      expect(await burst(url, 1, '192.0.2.77, 198.51.100.3')).toEqual([429]);
      expect(await burst(url, 1, '198.51.100.3, 198.51.100.4')).toEqual([200]);
    });

    test('a chain of trusted proxies is walked through', async () => {
      const chained = await listen({ trustProxy: ['loopback', '10.0.0.0/8'] });
      expect(await burst(chained, 2, '198.51.100.5, 10.1.2.3')).toEqual([200, 200]);
      expect(await burst(chained, 1, '198.51.100.5, 10.9.9.9')).toEqual([429]);
    });
  });

  test('an entry that is not an address or a range is a TypeError at start', () => {
    expect(() => offlineServer({ trustProxy: ['proxy.example'] })).toThrow(/trustProxy/);
    expect(() => optionsFromEnv({ PARLANCE_TRUST_PROXY: '10.0.0.0/99' }).trustProxy).not.toThrow();
    expect(() => offlineServer(optionsFromEnv({ PARLANCE_TRUST_PROXY: '10.0.0.0/99' }))).toThrow(TypeError);
  });
});
