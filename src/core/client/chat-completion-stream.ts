import { NetworkError, StreamInterruptedError } from '../errors';
import { everyChoiceFinished } from '../stream/accumulate';
import { type ByteSource, readSSE, readSSEBatches } from '../stream/parse-sse-stream';
import type { ChatCompletionChunk } from '../wire/chat';

/**
 * A chunk has a `choices` array. A usage-only chunk may leave the key out (some servers do): it
 * gets an empty `choices` here, so readers can always index it. The value is our own fresh parse.
 */
function isChunk(value: unknown): value is ChatCompletionChunk {
  if (typeof value !== 'object' || value === null) return false;
  const chunk = value as { choices?: unknown; usage?: unknown };
  if (Array.isArray(chunk.choices)) return true;
  if (chunk.choices !== undefined || typeof chunk.usage !== 'object' || chunk.usage === null) return false;
  chunk.choices = [];
  return true;
}

/** How the body's events become chunks, read one by one or a read at a time. */
const CHUNKS = { validate: isChunk, isComplete: everyChoiceFinished };

/**
 * The result of `chat.completions.create({ stream: true })`: an async iterable of
 * `chat.completion.chunk` objects, readable once.
 *
 * The stream is complete at `data: [DONE]`, or when the body ends after every choice has a
 * `finish_reason` (servers such as `transformers serve` never send `[DONE]`). The iteration
 * throws a typed error and never ends silently on a fault: `ApiError` for an `error` event,
 * `StreamInterruptedError` when the body ends before either (or the connection breaks),
 * `MalformedResponseError` for a chunk that is not JSON, `TimeoutError` after `timeoutMs` of
 * silence. Aborting the request's signal mid-stream makes the pending step throw `AbortError`;
 * every chunk already yielded stays yours. Leaving the loop early (`break`) cancels the request.
 *
 * @example
 * ```ts
 * const stream = await client.chat.completions.create({ model, messages, stream: true });
 * for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
 * ```
 */
export class ChatCompletionStream implements AsyncIterable<ChatCompletionChunk> {
  /** The HTTP response (status and headers; its body is being read by this stream). */
  readonly response: Response;
  #body: ByteSource;
  #used = false;

  /** `body` is the response body, or the client's guarded reader of it. */
  constructor(response: Response, body: ReadableStream<Uint8Array> | ByteSource) {
    this.response = response;
    this.#body = body instanceof ReadableStream ? body.getReader() : body;
    batchReaders.set(this, () => {
      this.#use();
      return readSSEBatches(this.#body, CHUNKS, this.#readError);
    });
  }

  /** The `x-request-id` response header, for support requests. */
  get requestId(): string | null {
    return this.response.headers.get('x-request-id');
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    this.#use();
    return this.#iterate();
  }

  #use(): void {
    if (this.#used) throw new TypeError('A ChatCompletionStream can be read only once');
    this.#used = true;
  }

  // Once headers arrived the stream has begun: a broken connection is an interruption.
  #readError = (error: unknown, received: ChatCompletionChunk[]): unknown =>
    NetworkError.isInstance(error)
      ? new StreamInterruptedError(received, 'The connection broke before [DONE]', { cause: error })
      : error;

  /** The chunks as a `ReadableStream`, for piping, with the same errors. Like iteration, only once. */
  toReadableStream(): ReadableStream<ChatCompletionChunk> {
    const iterator = this[Symbol.asyncIterator]();
    return new ReadableStream(
      {
        async pull(controller) {
          const { done, value } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel() {
          await iterator.return?.();
        },
      },
      { highWaterMark: 0 },
    );
  }

  #iterate(): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    // One loop from the body's bytes to the chunks.
    return readSSE(this.#body, CHUNKS, this.#readError);
  }
}

const batchReaders = new WeakMap<ChatCompletionStream, () => AsyncIterator<readonly ChatCompletionChunk[]>>();

/**
 * The chunks of each read of a {@link ChatCompletionStream}'s body together (the chat store's way
 * to read it: one wait per read, not per chunk), instead of iterating it; `null` for any other
 * iterable. Reads the stream, so only once.
 */
export function chunkBatches(source: object): AsyncIterator<readonly ChatCompletionChunk[]> | null {
  return batchReaders.get(source as ChatCompletionStream)?.() ?? null;
}
