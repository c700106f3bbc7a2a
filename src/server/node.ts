import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { serve } from '@hono/node-server';

import { createApp, type ParlanceApp, type ServerOptions } from './app';
import type { OfflineDocument } from './offline/retrieval';

/** The package root: two levels above this file, in `src/server` and in `dist/server` alike. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Options of {@link createServer}: those of the web handler, plus where files come from. */
export interface CreateServerOptions extends ServerOptions {
  /**
   * The folder served at `/` (the playground). Default: the package's `dist/playground`;
   * `null` serves nothing.
   */
  staticDir?: string | null;
  /** Where offline mode's Markdown comes from. Default: the package's `README.md` and `docs/`. */
  docsDir?: string;
}

/** What {@link ParlanceServer.listen} resolves to. */
export interface ListeningServer {
  /** Such as `http://127.0.0.1:8787`. */
  url: string;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/** The reference server: a web handler, and `listen` to run it on Node. */
export interface ParlanceServer {
  /** `offline` (the default) or `proxy` (an upstream is configured). */
  readonly mode: 'offline' | 'proxy';
  /** A standard web handler. */
  fetch(request: Request): Promise<Response>;
  /** Listens on `host:port` (default `127.0.0.1:8787`; port 0 picks a free one). */
  listen(options?: { port?: number; host?: string }): Promise<ListeningServer>;
}

/** Reads `README.md` and every `docs/**.md` under `root`. Missing files are skipped. */
export function loadDocuments(root = ROOT, docsDir = path.join(root, 'docs')): OfflineDocument[] {
  const documents: OfflineDocument[] = [];
  const readme = path.join(root, 'README.md');
  if (existsSync(readme)) documents.push({ path: 'README.md', text: readFileSync(readme, 'utf8') });
  if (existsSync(docsDir)) {
    for (const entry of readdirSync(docsDir, { recursive: true, encoding: 'utf8' }).sort()) {
      if (!entry.endsWith('.md')) continue;
      documents.push({
        path: `docs/${entry.split(path.sep).join('/')}`,
        text: readFileSync(path.join(docsDir, entry), 'utf8'),
      });
    }
  }
  return documents;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Parlance</title>
<main><h1>Parlance reference server</h1><p>The API is at <code>/v1</code>. The playground is not built: run
<code>npm start</code> in the repository, which builds it.</p></main>`;

/** Serves files under `dir`, `index.html` for `/`; refuses anything that resolves outside it. */
export function staticFiles(dir: string): (urlPath: string) => Promise<Response | undefined> {
  const root = path.resolve(dir);
  return async (urlPath) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const file = path.resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
    if (file !== root && !file.startsWith(root + path.sep)) return undefined;
    try {
      if (!(await stat(file)).isFile()) return undefined;
    } catch {
      if (urlPath === '/')
        return new Response(NOT_BUILT, {
          headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS },
        });
      return undefined;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    return new Response((await readFile(file)) as BodyInit, {
      headers: {
        'content-type': type,
        ...PAGE_HEADERS,
        'cache-control': file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      },
    });
  };
}

/**
 * Creates the reference server: offline mode unless `upstream` is given. Offline chat answers from
 * the package's README and docs; the playground is served at `/` when it is built.
 *
 * @example
 * ```ts
 * import { createServer, optionsFromEnv } from 'parlance/server';
 *
 * const server = createServer(optionsFromEnv(process.env));
 * const { url } = await server.listen({ port: 8787 });
 * console.log(`${server.mode} on ${url}`);
 * ```
 */
export function createServer(options: CreateServerOptions = {}): ParlanceServer {
  const staticDir =
    options.staticDir === undefined ? path.join(ROOT, 'dist', 'playground') : options.staticDir;
  const app: ParlanceApp = createApp({
    ...options,
    documents: options.upstream ? [] : (options.documents ?? loadDocuments(ROOT, options.docsDir)),
    serveStatic: options.serveStatic ?? (staticDir ? staticFiles(staticDir) : undefined),
  });
  return {
    mode: app.mode,
    fetch: app.fetch,
    listen({ port = 8787, host = '127.0.0.1' } = {}) {
      return new Promise((resolve, reject) => {
        const server = serve({ fetch: app.hono.fetch, port, hostname: host }, (info) => {
          const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
          resolve({
            url: `http://${shown}:${info.port}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                if ('closeAllConnections' in server) server.closeAllConnections();
              }),
          });
        });
        server.once('error', reject);
      });
    },
  };
}
