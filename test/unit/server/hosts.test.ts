// DNS rebinding: a page on attacker.example points its own name at 127.0.0.1, and the browser then
// lets it read this server as "same origin". Its requests still carry `Host: attacker.example`, so
// a server bound to loopback answers loopback names only, plus those it is told to.
import type * as NodeServerModule from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

import { optionsFromEnv, type ListeningServer } from '../../../src/server/index';
import { envelope, offlineServer } from './helpers';
import { rawRequest } from './http';

type NodeServer = typeof NodeServerModule;

const serve = async (options: Parameters<typeof offlineServer>[0] = {}) =>
  offlineServer({ documents: [], ...options }).listen({ port: 0, host: '127.0.0.1' });

const get = (server: ListeningServer, path: string, host: string) =>
  rawRequest(`${server.url}${path}`, { headers: { host } });

describe('a server bound to loopback', () => {
  let server: ListeningServer;
  let port: string;
  beforeAll(async () => {
    server = await serve();
    port = new URL(server.url).port;
  });
  afterAll(() => server.close());

  test.each(['/v1/models', '/', '/generated/000000000000000000000000.png'])(
    'refuses Host: attacker.example on %s with a 403 naming PARLANCE_ALLOWED_HOSTS',
    async (path) => {
      const response = await get(server, path, `attacker.example:${port}`);
      expect(response.status).toBe(403);
      const { error } = JSON.parse(response.body) as {
        error: { code: string; message: string; type: string };
      };
      expect(error.code).toBe('host_not_allowed');
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain('attacker.example');
      expect(error.message).toContain('PARLANCE_ALLOWED_HOSTS');
    },
  );

  test.each([
    'localhost.attacker.example',
    '127.0.0.1.attacker.example',
    'attacker.example',
    '10.0.0.1',
    'attacker.example.',
  ])('refuses %s, whatever the port', async (name) => {
    expect((await get(server, '/v1/models', `${name}:${port}`)).status).toBe(403);
    expect((await get(server, '/v1/models', name)).status).toBe(403);
  });

  test.each(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST', 'app.localhost'])(
    'answers Host: %s, any port',
    async (name) => {
      for (const host of [name, `${name}:${port}`, `${name}:5173`]) {
        const response = await get(server, '/v1/models', host);
        expect(response.status, host).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ object: 'list' });
      }
    },
  );

  test('a refused preflight is refused too: the rebinding page learns nothing', async () => {
    const response = await rawRequest(`${server.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { host: 'attacker.example', origin: 'http://attacker.example' },
    });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('allowedHosts and PARLANCE_ALLOWED_HOSTS', () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await serve(optionsFromEnv({ PARLANCE_ALLOWED_HOSTS: 'chat.example.com, .example.org' }));
  });
  afterAll(() => server.close());

  test.each(['chat.example.com', 'chat.example.com:443', 'example.org', 'a.b.example.org', 'localhost:8787'])(
    'answers %s',
    async (host) => {
      expect((await get(server, '/v1/models', host)).status).toBe(200);
    },
  );

  test.each(['example.com', 'evil.chat.example.com', 'example.org.evil.example', 'attacker.example'])(
    'still refuses %s',
    async (host) => {
      expect((await get(server, '/v1/models', host)).status).toBe(403);
    },
  );

  test("'*' answers any host", async () => {
    const open = await serve({ allowedHosts: '*' });
    try {
      expect((await get(open, '/v1/models', 'attacker.example')).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  test('an entry that is not a host name is a TypeError at start', () => {
    expect(() => offlineServer({ allowedHosts: ['https://chat.example.com/path'] })).toThrow(TypeError);
    expect(() => offlineServer({ allowedHosts: ['https://chat.example.com/path'] })).toThrow(/allowedHosts/);
  });
});

describe('fetch with no listener (a framework in front checks its own hosts)', () => {
  const request = (host: string) => new Request('http://127.0.0.1:8787/v1/models', { headers: { host } });

  test('answers any Host unless allowedHosts is given', async () => {
    expect((await offlineServer().fetch(request('app.example.com'))).status).toBe(200);
  });

  test('with allowedHosts, refuses the others', async () => {
    const server = offlineServer({ allowedHosts: ['app.example.com'] });
    expect((await server.fetch(request('app.example.com'))).status).toBe(200);
    const refused = await server.fetch(request('attacker.example'));
    expect(refused.status).toBe(403);
    expect((await envelope(refused)).code).toBe('host_not_allowed');
  });
});

describe('the start-up warning', () => {
  test('bound to loopback: no warning', async () => {
    const lines: string[] = [];
    const server = await serve({ log: (line) => lines.push(line) });
    await server.close();
    expect(lines.filter((line) => /warning/i.test(line))).toEqual([]);
  });

  test('bound beyond loopback with no authorize hook: one line through log; with the hook, none', async () => {
    // Tests listen on 127.0.0.1 only: the listener reports the wildcard address it would have had.
    vi.resetModules();
    vi.doMock('@hono/node-server', async (importOriginal) => {
      const real = await importOriginal<NodeServer>();
      return {
        ...real,
        serve: ((options, listening) =>
          real.serve({ ...options, hostname: '127.0.0.1' }, (info) =>
            listening?.({ ...info, address: '0.0.0.0', family: 'IPv4' }),
          )) as typeof real.serve,
      };
    });
    try {
      const { createServer } = await import('../../../src/server/index');
      for (const authorize of [undefined, () => 'someone']) {
        const lines: string[] = [];
        const server = createServer({
          staticDir: null,
          documents: [],
          authorize,
          log: (line) => lines.push(line),
        });
        const listening = await server.listen({ port: 0, host: '0.0.0.0' });
        await listening.close();
        const warnings = lines.filter((line) => /warning/i.test(line));
        if (authorize) {
          expect(warnings).toEqual([]);
        } else {
          expect(warnings).toHaveLength(1);
          expect(warnings[0]).toMatch(/0\.0\.0\.0.*beyond loopback.*authorize/);
        }
      }
    } finally {
      vi.doUnmock('@hono/node-server');
      vi.resetModules();
    }
  });

  test('without a log option, the warning goes to console.warn', async () => {
    vi.resetModules();
    vi.doMock('@hono/node-server', async (importOriginal) => {
      const real = await importOriginal<NodeServer>();
      return {
        ...real,
        serve: ((options, listening) =>
          real.serve({ ...options, hostname: '127.0.0.1' }, (info) =>
            listening?.({ ...info, address: '::', family: 'IPv6' }),
          )) as typeof real.serve,
      };
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { createServer } = await import('../../../src/server/index');
      const listening = await createServer({ staticDir: null, documents: [] }).listen({
        port: 0,
        host: '::',
      });
      await listening.close();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/\[::\].*beyond loopback/);
    } finally {
      warn.mockRestore();
      vi.doUnmock('@hono/node-server');
      vi.resetModules();
    }
  });
});
