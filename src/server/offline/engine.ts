import type { ImagesResponse } from '../../core/wire/images';
import type { ModelsList } from '../../core/wire/models';
import { HttpApiError, errorResponse, invalidRequest, jsonResponse } from '../protocol/errors';
import {
  parseJsonObject,
  readImageForm,
  validateChatRequest,
  validateImageGeneration,
  type ImageRequestFields,
} from '../protocol/validate';
import { countChatTokens, countTokens, type TokenMessage } from '../../core/tokens/count';
import { getModelInfo } from '../../core/tokens/models';
import { TOKENIZE_MAX_CHARS, validateTokenizeRequest } from '../protocol/tokenize';
import { OFFLINE_REASONING_MODEL, planReply, toCompletion, toEventStream, warmUpTokenizer } from './chat';
import { runImageTaskInProcess, type ImageTask, type RunImageTask, type TaskImage } from './image-tasks';
import { DocsIndex, type OfflineDocument } from './retrieval';

/** Options of {@link createOfflineEngine}. */
export interface OfflineEngineOptions {
  /** The Markdown documents chat answers from (the server passes `README.md` and `docs/*.md`). */
  documents: readonly OfflineDocument[];
  /** Pause before each streamed word, in ms, so a UI visibly streams. Default 0. */
  chunkDelayMs?: number;
  /** The path the API lives under. Default `/v1`. */
  basePath?: string;
  /**
   * Where a `response_format: 'url'` image is published: given its PNG bytes, return its URL.
   * Default: a `data:image/png;base64,` URL (nothing to serve, works in a browser transport).
   */
  publishImage?: (png: Uint8Array, request: Request) => string | Promise<string>;
  /** The most characters `/tokenize` counts in one request. Default 200,000. */
  maxTokenizeChars?: number;
  /**
   * Runs the image work (drawing, PNG decode and encode). Default: in this thread. The Node
   * server passes a worker-thread pool, so that a large request never blocks its event loop.
   */
  runImageTask?: RunImageTask;
}

/**
 * The offline engine: answers the OpenAI routes with no model and no network. Runtime-agnostic
 * (web `Request`/`Response` and byte arrays only), so the same code serves the reference server
 * and runs in a browser as a `fetch` for the client, the hooks and stories.
 */
export interface OfflineEngine {
  /**
   * A `fetch`-compatible handler for `{basePath}/chat/completions`, `/images/generations`,
   * `/images/edits`, `/images/variations` and `/models`, and for `POST /tokenize` beside
   * `basePath` (at its root, as vLLM serves it: `{basePath without /v1}/tokenize`). Anything else
   * is a 404 in OpenAI's envelope.
   *
   * @example
   * const client = createClient({ baseUrl: 'https://offline.invalid/v1', fetch: engine.fetch });
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The models `/models` lists. Any model name is accepted. */
  readonly models: ModelsList;
  /** How many documentation sections chat can retrieve from. */
  readonly sections: number;
}

/** The models offline mode lists (it answers to any model name). */
export const OFFLINE_MODELS: ModelsList = {
  object: 'list',
  data: [
    { id: 'parlance-offline', object: 'model', created: 1_764_000_000, owned_by: 'parlance' },
    { id: 'parlance-offline-images', object: 'model', created: 1_764_000_000, owned_by: 'parlance' },
    { id: OFFLINE_REASONING_MODEL, object: 'model', created: 1_764_000_000, owned_by: 'parlance' },
  ],
};

/** Routes under the base path that the API answers, by method. */
export const API_ROUTES = {
  '/chat/completions': 'POST',
  '/images/generations': 'POST',
  '/images/edits': 'POST',
  '/images/variations': 'POST',
  '/models': 'GET',
} as const;

/** A route of {@link API_ROUTES}. */
export type ApiRoute = keyof typeof API_ROUTES;

/**
 * The route `request` names under `basePath`: a 404 for a path the API does not have, a 405 for
 * a method the route does not answer.
 */
export function resolveRoute(request: Request, basePath: string): ApiRoute {
  const path = new URL(request.url).pathname;
  const rest = path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
  if (rest === undefined || !Object.hasOwn(API_ROUTES, rest)) {
    throw new HttpApiError({
      status: 404,
      message: `Invalid URL (${request.method} ${path})`,
      type: 'invalid_request_error',
      code: 'unknown_url',
    });
  }
  const route = rest as ApiRoute;
  if (API_ROUTES[route] !== request.method) {
    throw new HttpApiError({
      status: 405,
      message: `Method ${request.method} is not allowed for ${path}`,
      code: 'method_not_allowed',
    });
  }
  return route;
}

/** Reads a multipart body, with a 400 when it is not one. */
export async function readForm(request: Request): Promise<FormData> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw invalidRequest(
      "This endpoint expects a multipart/form-data body with an 'image' file.",
      'image',
      'invalid_content_type',
    );
  }
  try {
    return await request.formData();
  } catch {
    throw invalidRequest('The multipart/form-data body could not be parsed.', null, 'invalid_multipart');
  }
}

/** How many distinct chat requests the engine remembers to count their attempts. */
const MAX_REMEMBERED_REQUESTS = 1_000;

/** A short key for a long conversation: two 32-bit multiplicative hashes of `text`, and its length. */
function fingerprint(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}${((h2 >>> 0) & 0x1fffff).toString(36)}:${text.length}`;
}

/** Creates the offline engine over `documents`. */
export function createOfflineEngine(options: OfflineEngineOptions): OfflineEngine {
  const index = new DocsIndex(options.documents);
  warmUpTokenizer();
  const basePath = options.basePath ?? '/v1';
  const delay = options.chunkDelayMs ?? 0;
  const publish = options.publishImage;
  const runTask = options.runImageTask ?? runImageTaskInProcess;

  /**
   * Runs the tasks (all at once: a pool spreads them over its threads) and answers with their
   * images. Without `publishImage`, a `url` is a data URL, so the task makes base64 either way.
   */
  const imagesResponse = async (
    tasks: ImageTask[],
    fields: ImageRequestFields,
    request: Request,
  ): Promise<Response> => {
    // One task failing (a time limit, a full queue) or the client leaving cancels the others.
    const siblings = new AbortController();
    const leave = () => siblings.abort(request.signal.reason);
    if (request.signal.aborted) leave();
    request.signal.addEventListener('abort', leave, { once: true });
    let results: TaskImage[][];
    try {
      results = await Promise.all(
        tasks.map((task) =>
          runTask(task, siblings.signal).catch((error: unknown) => {
            siblings.abort(error);
            throw error;
          }),
        ),
      );
    } finally {
      request.signal.removeEventListener('abort', leave);
    }
    const body: ImagesResponse = {
      created: Math.floor(Date.now() / 1000),
      data: await Promise.all(
        results.flat().map(async (image: TaskImage) => {
          if ('b64' in image) {
            return fields.responseFormat === 'b64_json'
              ? { b64_json: image.b64 }
              : { url: `data:image/png;base64,${image.b64}` };
          }
          return { url: await publish!(image.png, request) };
        }),
      ),
    };
    return jsonResponse(body);
  };
  /** Whether tasks answer base64 (`b64_json`, or a data URL when nothing publishes). */
  const base64 = (fields: ImageRequestFields) => fields.responseFormat === 'b64_json' || !publish;

  // A regenerate sends the same request again: each repeat of a body is its next attempt, so
  // the offline reply varies per attempt (and the same attempt always reads the same). Kept for
  // the most recent requests only.
  const attempts = new Map<string, number>();
  const nextAttempt = (body: object): number => {
    const key = fingerprint(JSON.stringify(body));
    const attempt = attempts.get(key) ?? 0;
    attempts.delete(key);
    attempts.set(key, attempt + 1);
    if (attempts.size > MAX_REMEMBERED_REQUESTS) attempts.delete(attempts.keys().next().value!);
    return attempt;
  };

  const tokenizePath = `${basePath.replace(/\/v1$/, '')}/tokenize`;
  const maxTokenizeChars = options.maxTokenizeChars ?? TOKENIZE_MAX_CHARS;

  // vLLM's answer shape, counted with the kit's own tokenizer: `usage.prompt_tokens` of a chat
  // request with these messages is the same number. Offline mode keeps no token ids: `tokens` is [].
  const tokenize = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') {
      throw new HttpApiError({
        status: 405,
        message: `Method ${request.method} is not allowed for ${tokenizePath}`,
        code: 'method_not_allowed',
      });
    }
    const input = validateTokenizeRequest(
      parseJsonObject(await request.text()),
      '/tokenize',
      maxTokenizeChars,
    );
    const model = input.model ?? OFFLINE_MODELS.data[0]!.id;
    const count =
      input.kind === 'text'
        ? await countTokens(input.text, model)
        : await countChatTokens(input.messages as unknown as TokenMessage[], model);
    return jsonResponse({ count, max_model_len: getModelInfo(model).contextWindow, tokens: [] });
  };

  const handle = async (request: Request): Promise<Response> => {
    if (new URL(request.url).pathname === tokenizePath) return tokenize(request);
    const route = resolveRoute(request, basePath);
    switch (route) {
      case '/models':
        return jsonResponse(OFFLINE_MODELS);
      case '/chat/completions': {
        const body = validateChatRequest(parseJsonObject(await request.text()));
        if ((body.n ?? 1) !== 1)
          throw invalidRequest("Offline mode answers with one choice: 'n' must be 1.", 'n', 'invalid_value');
        const reply = await planReply(index, body, nextAttempt(body));
        if (!body.stream) return jsonResponse(toCompletion(reply));
        const stream = toEventStream(reply, body.stream_options?.include_usage === true, delay);
        return new Response(stream, {
          headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
        });
      }
      case '/images/generations': {
        const fields = validateImageGeneration(parseJsonObject(await request.text()));
        // One task per image, so that a pool draws them on all its threads.
        const tasks = Array.from({ length: fields.n }, (_, index): ImageTask => ({
          kind: 'generate',
          prompt: fields.prompt!,
          index,
          width: fields.width,
          height: fields.height,
          base64: base64(fields),
        }));
        return imagesResponse(tasks, fields, request);
      }
      case '/images/edits': {
        const upload = await readImageForm(await readForm(request), 'edit');
        const { image, mask, n, width, height } = upload;
        const task: ImageTask = {
          kind: 'edit',
          image,
          mask,
          prompt: upload.prompt!,
          n,
          width,
          height,
          base64: base64(upload),
        };
        return imagesResponse([task], upload, request);
      }
      case '/images/variations': {
        const upload = await readImageForm(await readForm(request), 'variation');
        const { image, n, width, height } = upload;
        const task: ImageTask = { kind: 'variation', image, n, width, height, base64: base64(upload) };
        return imagesResponse([task], upload, request);
      }
    }
  };

  return {
    models: OFFLINE_MODELS,
    sections: index.size,
    async fetch(input, init) {
      const request = input instanceof Request && !init ? input : new Request(input, init);
      try {
        return await handle(request);
      } catch (error) {
        if (HttpApiError.isInstance(error)) return errorResponse(error);
        return errorResponse(
          new HttpApiError({
            status: 500,
            message: 'The offline engine failed to process the request.',
            type: 'server_error',
          }),
        );
      }
    },
  };
}
