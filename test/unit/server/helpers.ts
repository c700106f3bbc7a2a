import { encode } from 'fast-png';

import { createServer, type CreateServerOptions } from '../../../src/server/index';

/** An offline server with no pacing, no rate limits and no playground, unless told otherwise. */
export function offlineServer(options: CreateServerOptions = {}) {
  return createServer({ staticDir: null, chunkDelayMs: 0, rateLimits: false, ...options });
}

/** POSTs JSON to `path` on `server.fetch`. */
export function postJson(
  server: { fetch(request: Request): Promise<Response> },
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return server.fetch(
    new Request(`http://127.0.0.1:8787${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** POSTs a multipart form to `path` on `server.fetch`. */
export function postForm(
  server: { fetch(request: Request): Promise<Response> },
  path: string,
  fields: Record<string, string | Blob>,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, `${name}.png`);
  }
  return server.fetch(new Request(`http://127.0.0.1:8787${path}`, { method: 'POST', body: form }));
}

/** A PNG Blob of `width`×`height`, each pixel from `pixel(x, y)` as [r, g, b, a]. */
export function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Blob {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return new Blob([encode({ width, height, data, channels: 4, depth: 8 }) as BlobPart], {
    type: 'image/png',
  });
}

/** Asserts an OpenAI error envelope and returns its error. */
export async function envelope(response: Response) {
  const body = (await response.json()) as {
    error: { message: string; type: string; param: string | null; code: string | null };
  };
  return body.error;
}
