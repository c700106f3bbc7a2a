import { constants as fsConstants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

import { createApp, normalizeBasePath, type ParlanceApp, type ServerOptions } from './app';
import { LISTENER, isLoopbackAddress, type ListenerInfo } from './hosts';
import { createImagePool, type ImagePoolOptions } from './offline/pool';
import type { OfflineDocument } from './offline/retrieval';

/**
 * The package root: two levels above this file, in `src/server` and in `dist/server` alike.
 * `null` when this module runs from a bundle whose `import.meta.url` is not a file URL.
 */
function packageRoot(): string | null {
  try {
    return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  } catch {
    return null;
  }
}

/**
 * Where `npm start` builds the playground in the repository: outside `dist/`, so that a library
 * build cannot empty it under a running server. The package does not ship it.
 */
export const PLAYGROUND_DIR = '.playground';

/** Options of {@link createServer}: those of the web handler, plus where files come from. */
export interface CreateServerOptions extends ServerOptions {
  /**
   * The folder served at `/` (the playground). Default: the repository's `.playground`, which
   * `npm start` builds; without an `index.html` there, `/` answers a short page naming the API
   * URL. `null` serves nothing outside the API.
   */
  staticDir?: string | null;
  /**
   * Where offline mode's Markdown comes from. Default: the package's `README.md` and `docs/`,
   * when they can be found; files that cannot be read are skipped (offline chat then has fewer
   * or no sections to answer from). Pass `documents` to skip the file reads altogether.
   */
  docsDir?: string;
  /**
   * Offline mode's image worker threads: how many (default 2), how long one task may run
   * (default 30 s, then a 503) and how many may wait (default 64, then a 503). Ignored when
   * `runImageTask` is given.
   */
  imageWorkers?: ImagePoolOptions;
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
  /** The prefix the server is mounted under (`''`, or such as `/api/parlance`). */
  readonly basePath: string;
  /** Whether a page (the playground) is served at `/`: its `index.html` exists in `staticDir`. */
  readonly playground: boolean;
  /**
   * A standard web handler. It needs no socket: a framework's route handler can call it
   * without `listen`.
   */
  fetch(request: Request): Promise<Response>;
  /**
   * Listens on `host:port` (default `127.0.0.1:8787`; port 0 picks a free one) with
   * `@hono/node-server`, loaded on the first call.
   */
  listen(options?: { port?: number; host?: string }): Promise<ListeningServer>;
}

/**
 * Reads `README.md` and every `docs/**.md` under `root` (default: the package root). Missing
 * files are skipped.
 */
export function loadDocuments(
  root: string | null = packageRoot(),
  docsDir: string | null = root === null ? null : path.join(root, 'docs'),
): OfflineDocument[] {
  const documents: OfflineDocument[] = [];
  const readme = root === null ? null : path.join(root, 'README.md');
  if (readme && existsSync(readme)) documents.push({ path: 'README.md', text: readFileSync(readme, 'utf8') });
  if (docsDir && existsSync(docsDir)) {
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

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A `curl` command line to try the server whose API is at `apiUrl` (ending in `/v1`): offline, a
 * question to chat; in proxy mode, the upstream's model list (its model names are not known here).
 */
export function curlExample(apiUrl: string, mode: 'offline' | 'proxy' = 'offline'): string {
  if (mode === 'proxy') return `curl ${apiUrl}/models`;
  const body = JSON.stringify({
    model: 'parlance-offline',
    messages: [{ role: 'user', content: 'What is Parlance?' }],
  });
  return `curl ${apiUrl}/chat/completions -H 'content-type: application/json' -d '${body}'`;
}

/** The page at `/` when there is no playground: where the API is, and how to try it. */
function apiPage(apiUrl: string, mode: 'offline' | 'proxy'): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>Parlance</title>
<main><h1>Parlance reference server</h1><p>The API is at <code>${escapeHtml(apiUrl)}</code>. Try it:</p>
<pre><code>${escapeHtml(curlExample(apiUrl, mode))}</code></pre></main>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS } });
}

/** Content types worth compressing; images, fonts and archives already are. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|wasm)|image\/svg\+xml)/;
/** Below this, compression saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1024;
/** Compressed copies kept in memory, in all (least recently used go first). */
const COMPRESSED_CACHE_BYTES = 32 * 1024 * 1024;
/** Files larger than this are streamed as they are, never compressed into memory. */
const MAX_COMPRESS_BYTES = 8 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** The encoding to answer with, from `Accept-Encoding`: Brotli, then gzip, else none. */
function pickEncoding(accept: string | null): 'br' | 'gzip' | null {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) offered.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const accepts = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

/** A body that hands out `bytes` a slice at a time, as the socket asks: shared, never copied. */
function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(bytes.subarray(at, at + CHUNK));
      at += CHUNK;
      if (at >= bytes.length) controller.close();
    },
  });
}

const NO_FOLLOW = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/**
 * A body read from `file` as the socket asks. The file opens on the first read (a response whose
 * body is never read holds no descriptor), without following a link, and must still be the
 * `size` bytes it was when the headers were made; it closes when done or cancelled.
 */
function fileStream(file: string, size: number): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let cancelled = false;
  let at = 0;
  const close = () => {
    const open = handle;
    handle = undefined;
    return open?.close().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!handle) {
            handle = await open(file, NO_FOLLOW);
            // Cancelled while it opened: nobody will pull again.
            if (cancelled) return void (await close());
            if ((await handle.stat()).size !== size) throw new Error(`${file} changed while being served`);
          }
          const buffer = new Uint8Array(Math.min(CHUNK, size - at));
          const { bytesRead } = buffer.length
            ? await handle.read(buffer, 0, buffer.length, at)
            : { bytesRead: 0 };
          at += bytesRead;
          if (bytesRead > 0) controller.enqueue(buffer.subarray(0, bytesRead));
          if (bytesRead === 0 || at >= size) {
            await close();
            controller.close();
          }
        } catch (error) {
          await close();
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        await close();
      },
      // No read ahead: the file opens when the body is first read, not when the response is made.
    },
    { highWaterMark: 0 },
  );
}

/**
 * Serves files under `dir`, `index.html` for `/`, for the playground and what a deployment puts
 * there. Nothing outside `dir` is reachable: dot segments resolve inside it, and a path through a
 * symbolic link is a 404 (the path must be its own real path, and the file opens with
 * `O_NOFOLLOW`). Files stream from disk as the client reads; text compresses (Brotli or gzip, as
 * `Accept-Encoding` allows, `vary: accept-encoding`) once per version of the file into a small
 * shared cache. `ETag` and `Last-Modified` answer revalidations with 304; hashed files under
 * `assets/` are cached for a year (`immutable`), everything else revalidates (`no-cache`).
 */
export function staticFiles(
  dir: string,
): (urlPath: string, request?: Request) => Promise<Response | undefined> {
  const root = path.resolve(dir);
  /** Compressed copies by path, encoding, size and mtime, least recently used first. */
  const compressed = new Map<string, Promise<Uint8Array>>();
  const sizes = new Map<string, number>();
  let cached = 0;

  const compress = (key: string, handle: FileHandle, encoding: 'br' | 'gzip') => {
    const hit = compressed.get(key);
    if (hit) {
      compressed.delete(key);
      compressed.set(key, hit);
      return hit;
    }
    const made = (async () => {
      const raw = await handle.readFile();
      const out =
        encoding === 'br'
          ? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } })
          : await gzip(raw, { level: 9 });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    })();
    compressed.set(key, made);
    made.then(
      (bytes) => {
        if (compressed.get(key) !== made) return;
        sizes.set(key, bytes.length);
        cached += bytes.length;
        for (const [old] of compressed) {
          if (cached <= COMPRESSED_CACHE_BYTES || old === key) break;
          cached -= sizes.get(old) ?? 0;
          sizes.delete(old);
          compressed.delete(old);
        }
      },
      () => compressed.delete(key),
    );
    return made;
  };

  return async (urlPath, request) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const file = path.resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
    if (file !== root && !file.startsWith(root + path.sep)) return undefined;
    let handle: FileHandle;
    try {
      // Per request: the folder may be created or replaced while the server runs (a rebuild).
      const realRoot = await realpath(root);
      // Any symbolic link on the way (a folder or the file) makes the real path differ.
      if ((await realpath(file)) !== path.join(realRoot, path.relative(root, file))) return undefined;
      handle = await open(file, NO_FOLLOW);
    } catch {
      return undefined;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return undefined;
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
      const lastModified = new Date(Math.floor(stats.mtimeMs / 1000) * 1000);
      const compressible = COMPRESSIBLE.test(type) && stats.size >= MIN_COMPRESS_BYTES;
      const headers: Record<string, string> = {
        'content-type': type,
        ...PAGE_HEADERS,
        'cache-control': file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
        etag,
        'last-modified': lastModified.toUTCString(),
        ...(compressible ? { vary: 'accept-encoding' } : {}),
      };
      const ifNoneMatch = request?.headers.get('if-none-match');
      const ifModifiedSince = request?.headers.get('if-modified-since');
      const fresh =
        ifNoneMatch != null
          ? ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
          : ifModifiedSince != null && Date.parse(ifModifiedSince) >= lastModified.getTime();
      if (fresh) return new Response(null, { status: 304, headers });

      const encoding =
        compressible && stats.size <= MAX_COMPRESS_BYTES
          ? pickEncoding(request?.headers.get('accept-encoding') ?? null)
          : null;
      if (encoding) {
        const bytes = await compress(`${file}\0${encoding}\0${etag}`, handle, encoding);
        return new Response(bytesStream(bytes), {
          headers: { ...headers, 'content-encoding': encoding, 'content-length': String(bytes.length) },
        });
      }
      return new Response(fileStream(file, stats.size), {
        headers: { ...headers, 'content-length': String(stats.size) },
      });
    } finally {
      await handle.close().catch(() => undefined);
    }
  };
}

/** Whether `dir` holds a page to serve at `/`. */
function hasIndex(dir: string | null): boolean {
  try {
    return dir !== null && statSync(path.join(dir, 'index.html')).isFile();
  } catch {
    return false;
  }
}

/** The package's documents, or none when they cannot be read: the server starts either way. */
function defaultDocuments(docsDir: string | undefined): OfflineDocument[] {
  try {
    return docsDir === undefined ? loadDocuments() : loadDocuments(packageRoot(), docsDir);
  } catch {
    return [];
  }
}

/**
 * Creates the reference server: offline mode unless `upstream` is given. Offline chat answers from
 * the package's README and docs; the playground is served at `/` when it is built (in the
 * repository, by `npm start`).
 *
 * @example
 * ```ts
 * import { createServer, optionsFromEnv } from 'parlance/server';
 *
 * const server = createServer(optionsFromEnv(process.env));
 * const { url } = await server.listen({ port: 8787 });
 * console.log(`${server.mode} on ${url}`);
 * ```
 *
 * @example In a Next.js route handler, `app/api/parlance/[...path]/route.ts` (no `listen`):
 * ```ts
 * import { createServer, optionsFromEnv } from 'parlance/server';
 *
 * const server = createServer({ ...optionsFromEnv(process.env), basePath: '/api/parlance' });
 * export const GET = (request: Request) => server.fetch(request);
 * export const POST = (request: Request) => server.fetch(request);
 * ```
 */
export function createServer(options: CreateServerOptions = {}): ParlanceServer {
  const root = packageRoot();
  const staticDir =
    options.staticDir === undefined
      ? root === null
        ? null
        : path.join(root, PLAYGROUND_DIR)
      : options.staticDir;
  const files = staticDir === null ? undefined : staticFiles(staticDir);
  const base = normalizeBasePath(options.basePath);
  const serveStatic = async (urlPath: string, request: Request) =>
    (await files?.(urlPath, request)) ??
    (urlPath === '/' && options.staticDir !== null
      ? apiPage(`${new URL(request.url).origin}${base}/v1`, options.upstream ? 'proxy' : 'offline')
      : undefined);
  // Offline image work runs on worker threads, started on the first image and closed with the listener.
  const pool = options.upstream || options.runImageTask ? null : createImagePool(options.imageWorkers);
  const app: ParlanceApp = createApp({
    ...options,
    runImageTask: options.runImageTask ?? pool?.run,
    documents: options.upstream ? [] : (options.documents ?? defaultDocuments(options.docsDir)),
    serveStatic: options.serveStatic ?? serveStatic,
  });
  return {
    mode: app.mode,
    basePath: app.basePath,
    playground: options.serveStatic === undefined && hasIndex(staticDir),
    fetch: app.fetch,
    async listen({ port = 8787, host = '127.0.0.1' } = {}) {
      const { serve } = await import('@hono/node-server');
      // Tells the app whether it is bound to loopback (then it answers only loopback `Host` names).
      const listener: ListenerInfo = { loopback: isLoopbackAddress(host) };
      const fetch = (request: Request, env: object) =>
        app.hono.fetch(request, { ...env, [LISTENER]: listener });
      return new Promise((resolve, reject) => {
        const server = serve({ fetch, port, hostname: host }, (info) => {
          listener.loopback = isLoopbackAddress(info.address);
          const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
          if (!listener.loopback && !options.authorize) {
            const warn = options.log ?? ((line: string) => console.warn(line));
            warn(
              `Warning: listening on ${shown}, beyond loopback, with no authorize hook: anyone who can reach this address can use the API${app.mode === 'proxy' ? ' and its key' : ''}. Pass authorize (see docs/server.md), or listen on 127.0.0.1.`,
            );
          }
          resolve({
            url: `http://${shown}:${info.port}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => void (pool?.close() ?? Promise.resolve()).finally(done));
                if ('closeAllConnections' in server) server.closeAllConnections();
              }),
          });
        });
        server.once('error', reject);
      });
    },
  };
}
