import { MalformedResponseError } from '../errors';
import type {
  ChatCompletion,
  ChatCompletionRequest,
  ChatCompletionRequestNonStreaming,
  ChatCompletionRequestStreaming,
} from '../wire/chat';
import type {
  ImageEditRequest,
  ImageGenerateRequest,
  ImageVariationRequest,
  ImagesResponse,
} from '../wire/images';
import type { ModelsList } from '../wire/models';
import { ChatCompletionStream } from './chat-completion-stream';
import { toFormData } from './multipart';
import type { ClientOptions, RequestOptions } from './options';
import { readAll } from '../internal/body';
import { type Call, request } from './transport';

/** `client.chat.completions.create`, overloaded on `stream`. */
export interface CreateChatCompletion {
  (body: ChatCompletionRequestStreaming, options?: RequestOptions): Promise<ChatCompletionStream>;
  (body: ChatCompletionRequestNonStreaming, options?: RequestOptions): Promise<ChatCompletion>;
  (body: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion | ChatCompletionStream>;
}

/** What {@link createClient} returns: the shape of the official `openai` SDK. */
export interface Client {
  chat: {
    completions: {
      /**
       * `POST /chat/completions`. Resolves to a `chat.completion`, or with `stream: true` to a
       * {@link ChatCompletionStream} as soon as the response headers arrive.
       */
      create: CreateChatCompletion;
    };
  };
  images: {
    /** `POST /images/generations` (JSON). */
    generate(body: ImageGenerateRequest, options?: RequestOptions): Promise<ImagesResponse>;
    /** `POST /images/edits` (multipart: `image`, `mask` and the other fields). */
    edit(body: ImageEditRequest, options?: RequestOptions): Promise<ImagesResponse>;
    /** `POST /images/variations` (multipart). */
    createVariation(body: ImageVariationRequest, options?: RequestOptions): Promise<ImagesResponse>;
  };
  models: {
    /** `GET /models`. */
    list(options?: RequestOptions): Promise<ModelsList>;
  };
}

/**
 * Creates a client for an OpenAI-compatible API (OpenAI, Azure-style deployments, Ollama, vLLM,
 * the Parlance reference server). Failures are typed errors from `parlance/core`; 408, 409, 429,
 * 5xx, network errors and timeouts are retried per `retry` before any byte of a successful body
 * was read (a stream is never retried once its body started).
 *
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8787/v1' });
 * const reply = await client.chat.completions.create({
 *   model: 'gpt-4o-mini',
 *   messages: [{ role: 'user', content: 'Hello' }],
 * });
 * console.log(reply.choices[0]?.message.content);
 * ```
 */
export function createClient(options: ClientOptions): Client {
  const client = { ...options };

  function json<T>(call: Call, requestOptions: RequestOptions = {}, isShape: (value: unknown) => boolean) {
    return request(client, call, requestOptions, async ({ body }) => {
      const text = await readAll(body);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new MalformedResponseError('The response is not valid JSON', text, { cause });
      }
      if (!isShape(value)) throw new MalformedResponseError('The response has an unexpected shape', text);
      return value as T;
    });
  }

  const create = ((body: ChatCompletionRequest, requestOptions: RequestOptions = {}) => {
    const call: Call = { method: 'POST', path: '/chat/completions', body, stream: body.stream === true };
    if (body.stream === true) {
      return request(client, call, requestOptions, ({ response, body: stream }) => {
        return new ChatCompletionStream(response, stream);
      });
    }
    return json<ChatCompletion>(call, requestOptions, (value) => hasArray(value, 'choices'));
  }) as CreateChatCompletion;

  const isImages = (value: unknown) =>
    typeof value === 'object' && value !== null && (!('data' in value) || hasArray(value, 'data'));

  return {
    chat: { completions: { create } },
    images: {
      generate: (body, requestOptions) =>
        json<ImagesResponse>({ method: 'POST', path: '/images/generations', body }, requestOptions, isImages),
      edit: (body, requestOptions) =>
        json<ImagesResponse>(
          { method: 'POST', path: '/images/edits', body: toFormData(body) },
          requestOptions,
          isImages,
        ),
      createVariation: (body, requestOptions) =>
        json<ImagesResponse>(
          { method: 'POST', path: '/images/variations', body: toFormData(body) },
          requestOptions,
          isImages,
        ),
    },
    models: {
      list: (requestOptions) =>
        json<ModelsList>({ method: 'GET', path: '/models' }, requestOptions, (value) =>
          hasArray(value, 'data'),
        ),
    },
  };
}

function hasArray(value: unknown, key: string): boolean {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)[key])
  );
}
