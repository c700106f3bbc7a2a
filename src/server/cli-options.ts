import { parseArgs } from 'node:util';

import type { CreateServerOptions } from './node';
import { checkUpstream } from './proxy';

/** `parlance-server --help`. */
export const USAGE = `Usage: parlance-server [options]

Runs Parlance's reference server: an OpenAI-compatible API at /v1. With no upstream configured
it runs offline and answers from Parlance's documentation; with one, it forwards each request
and keeps the key on the server.

Options:
  -p, --port <port>  Port to listen on: 0 to 65535, 0 picks a free one (default: PORT, else 8787)
      --host <host>  Interface to listen on (default: HOST, else 127.0.0.1)
      --upstream-header <"Name: value">
                     Proxy mode: a header sent with every upstream request; repeatable.
                     Wins over PARLANCE_UPSTREAM_HEADERS. Put secrets in the environment:
                     arguments show in the process list.
      --upstream-query <name=value>
                     Proxy mode: a query parameter added to every upstream URL (Azure's
                     api-version); repeatable. Wins over PARLANCE_UPSTREAM_QUERY.
  -h, --help         Print this help and exit

Environment variables:
  OPENAI_API_KEY                Proxy mode to OpenAI; OPENAI_BASE_URL names another
                                OpenAI-compatible base URL for that key
  PARLANCE_UPSTREAM_URL         Proxy mode to this base URL (such as http://127.0.0.1:11434/v1),
                                with PARLANCE_UPSTREAM_KEY as its key, if it needs one
  PARLANCE_UPSTREAM_KEY_HEADER  Send the key as this header, as is, instead of
                                Authorization: Bearer (Azure OpenAI: api-key)
  PARLANCE_UPSTREAM_HEADERS     Headers for every upstream request, a JSON object:
                                {"HTTP-Referer": "https://app.example", "X-Title": "My app"}.
                                Values of credential headers (x-portkey-api-key) are redacted
                                like the key.
  PARLANCE_UPSTREAM_QUERY       Query parameters for every upstream URL, a JSON object or
                                api-version=2024-10-21&a=b
  PARLANCE_UPSTREAM_TIMEOUT_MS  How long to wait for the upstream, in ms (default 60000)
  PARLANCE_ALLOWED_ORIGINS      Origins a browser page may call the API from, comma-separated,
                                or * for any. Offline mode also allows http://localhost:*,
                                http://127.0.0.1:* and http://[::1]:*; proxy mode allows only
                                the listed ones.
  PARLANCE_ALLOWED_HOSTS        Host names the server answers besides localhost, 127.0.0.1 and
                                [::1], comma-separated (.example.com: it and its subdomains),
                                or * for any. Bound to loopback, other Host headers get a 403
                                (DNS rebinding); bound beyond it, any host is answered unless
                                this is set.
  PARLANCE_TRUST_PROXY          Proxies whose X-Forwarded-For names the client, comma-separated
                                addresses or ranges (127.0.0.1, 10.0.0.0/8, loopback)
  PARLANCE_REDIS_URL            Keep rate limits and generated images in this Redis
                                (redis://host:6379), shared by every instance that names it
  PARLANCE_CHAT_RPM             Chat requests a minute per client (default 60)
  PARLANCE_IMAGES_PER_MINUTE    Images a minute per client (default 50)
  PARLANCE_MAX_N                Proxy mode: the largest n of a request (default 4)
  PARLANCE_MAX_TOKENS           Proxy mode: the largest max_tokens / max_completion_tokens
                                (default 16384)
  PARLANCE_ALLOWED_MODELS       Proxy mode: model ids or globs requests may name, comma-separated
                                (default: any)
  PARLANCE_DAILY_TOKEN_BUDGET   Proxy mode: chat tokens each user may spend per UTC day
  PARLANCE_MAX_IMAGE_PIXELS     Proxy mode: most pixels of an image size for a model whose sizes
                                are not known (default 8294400)
  PARLANCE_QUIET=1              No line per request
  PORT, HOST                    As --port and --host (the options win)

Examples:
  parlance-server
  parlance-server --port 3001
  OPENAI_API_KEY=sk-... parlance-server --host 0.0.0.0 --port 8080
`;

/** What the command line asks for. */
export type CommandLine =
  | { kind: 'help' }
  | {
      kind: 'serve';
      port: number;
      host: string;
      /** `--upstream-header` flags, when any were given. */
      upstreamHeaders?: Record<string, string>;
      /** `--upstream-query` flags, when any were given. */
      upstreamQuery?: Record<string, string>;
    }
  /** A usage error: print `message` and the usage, exit 2. */
  | { kind: 'error'; message: string };

function readPort(value: string, from: string): number | string {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  return port <= 65535 ? port : `${from} must be a port number from 0 to 65535, not ${JSON.stringify(value)}`;
}

/**
 * `Name: value` (or `name=value`) flags as an object, `undefined` when there are none, or a usage
 * error naming the flag. The name is trimmed; the value after the separator too.
 */
function readPairs(
  flags: string[] | undefined,
  separator: string,
  flag: string,
  shape: string,
): Record<string, string> | string | undefined {
  if (!flags?.length) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const text of flags) {
    const at = text.indexOf(separator);
    const name = at === -1 ? '' : text.slice(0, at).trim();
    if (!name) return `${flag} must be ${shape}, not ${JSON.stringify(text)}`;
    pairs.push([name, text.slice(at + 1).trim()]);
  }
  return Object.fromEntries(pairs);
}

/**
 * Reads `parlance-server`'s arguments (without `node` and the script) and the `PORT` and `HOST`
 * variables. Never throws: a usage error comes back as `{ kind: 'error' }`.
 */
export function parseCommandLine(
  args: readonly string[],
  env: Record<string, string | undefined>,
): CommandLine {
  let values: {
    port?: string;
    host?: string;
    help?: boolean;
    'upstream-header'?: string[];
    'upstream-query'?: string[];
  };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        'upstream-header': { type: 'string', multiple: true },
        'upstream-query': { type: 'string', multiple: true },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };

  const portText = values.port ?? (env.PORT || undefined);
  const port =
    portText === undefined ? 8787 : readPort(portText, values.port === undefined ? 'PORT' : '--port');
  if (typeof port === 'string') return { kind: 'error', message: port };
  const host = values.host ?? (env.HOST || '127.0.0.1');
  if (!host.trim()) return { kind: 'error', message: '--host must name an interface, such as 127.0.0.1' };
  const command: CommandLine = { kind: 'serve', port, host };
  const headers = readPairs(values['upstream-header'], ':', '--upstream-header', '"Name: value"');
  if (typeof headers === 'string') return { kind: 'error', message: headers };
  if (headers) command.upstreamHeaders = headers;
  const query = readPairs(values['upstream-query'], '=', '--upstream-query', 'name=value');
  if (typeof query === 'string') return { kind: 'error', message: query };
  if (query) command.upstreamQuery = query;
  return command;
}

/**
 * `options` (from the environment) with the command line's `--upstream-header` and
 * `--upstream-query` flags added, each winning over the same name from the environment. Throws a
 * `TypeError` when flags are given with no upstream, or a header cannot be sent.
 */
export function withUpstreamFlags(
  options: CreateServerOptions,
  command: Extract<CommandLine, { kind: 'serve' }>,
): CreateServerOptions {
  const { upstreamHeaders, upstreamQuery } = command;
  if (!upstreamHeaders && !upstreamQuery) return options;
  if (!options.upstream)
    throw new TypeError(
      '--upstream-header and --upstream-query need an upstream: set PARLANCE_UPSTREAM_URL (or OPENAI_API_KEY)',
    );
  // A flag replaces the environment's header of the same name, whatever its case.
  const flagged = new Set(Object.keys(upstreamHeaders ?? {}).map((name) => name.toLowerCase()));
  const headers = Object.fromEntries([
    ...Object.entries(options.upstream.headers ?? {}).filter(([name]) => !flagged.has(name.toLowerCase())),
    ...Object.entries(upstreamHeaders ?? {}),
  ]);
  const upstream = {
    ...options.upstream,
    headers,
    query: { ...options.upstream.query, ...upstreamQuery },
  };
  checkUpstream(upstream, {
    headers: '--upstream-header',
    query: '--upstream-query',
    keyHeader: 'PARLANCE_UPSTREAM_KEY_HEADER',
  });
  return { ...options, upstream };
}
