import type { EventSourceMessage } from 'eventsource-parser/stream';

import { ApiError, MalformedResponseError, StreamInterruptedError } from '../errors';
import type { ErrorEnvelope } from '../wire/error';

/** Options of {@link SSEJsonStream}. */
export interface SSEJsonStreamOptions<T> {
  /**
   * Checks the shape of each parsed event; a `false` errors the stream with
   * {@link MalformedResponseError}. Default: any JSON value is accepted.
   */
  validate?: (value: unknown) => value is T;
  /**
   * Whether the values received make a whole stream when the body ends without `data: [DONE]`
   * (some servers never send it). `true` ends the output normally; `false` errors it with
   * {@link StreamInterruptedError}. Default: only `[DONE]` completes a stream.
   */
  isComplete?: (received: readonly T[]) => boolean;
}

/**
 * The last stage of the SSE pipeline: parsed SSE events in, JSON values out.
 *
 * - `data: [DONE]` is dropped and recorded ({@link SSEJsonStream.doneSeen}); it ends the output and
 *   cancels the input, so a connection held open after it does not keep the reader waiting.
 * - An `{"error": {...}}` event (or one with `event: error`) errors the stream with {@link ApiError}.
 * - An event whose data is empty (`data:`) is skipped.
 * - Data that is not JSON, or fails `validate`, errors it with {@link MalformedResponseError}.
 * - If the input ends before `[DONE]` (and `isComplete` does not accept what arrived), the
 *   output errors with {@link StreamInterruptedError} after every earlier value was delivered.
 *
 * @example
 * ```ts
 * body.pipeThrough(new TextDecoderStream())
 *   .pipeThrough(new EventSourceParserStream())
 *   .pipeThrough(new SSEJsonStream<ChatCompletionChunk>())
 * ```
 */
export class SSEJsonStream<T = unknown> extends TransformStream<EventSourceMessage, T> {
  #doneSeen = false;

  constructor({ validate, isComplete }: SSEJsonStreamOptions<T> = {}) {
    const received: T[] = [];
    super({
      transform: (event, controller) => {
        if (this.#doneSeen) return;
        const value = decodeEvent(event, validate);
        if (value === SKIP) return;
        if (value === DONE) {
          this.#doneSeen = true;
          // Some proxies hold the connection open after [DONE]: end here and cancel the body.
          controller.terminate();
          return;
        }
        received.push(value);
        controller.enqueue(value);
      },
      flush: () => {
        if (!this.#doneSeen && !isComplete?.(received)) throw new StreamInterruptedError<T>(received);
      },
    });
  }

  /** Whether `data: [DONE]` has arrived. */
  get doneSeen(): boolean {
    return this.#doneSeen;
  }
}

/** What {@link decodeEvent} returns for `data: [DONE]`. */
export const DONE: unique symbol = Symbol('[DONE]');

/** What {@link decodeEvent} returns for an event to skip: empty data (`data:` alone). */
export const SKIP: unique symbol = Symbol('skip');

/**
 * One SSE event to its JSON value, {@link DONE} or {@link SKIP}. Throws `ApiError` for an error event and
 * `MalformedResponseError` for data that is not JSON or fails `validate`. Shared by
 * {@link SSEJsonStream} and the single-loop reader of `parseSSEStream`, so both treat events alike.
 */
export function decodeEvent<T>(
  event: EventSourceMessage,
  validate: ((value: unknown) => value is T) | undefined,
): T | typeof DONE | typeof SKIP {
  const data = event.data;
  // A chunk starts with `{`; only other data can be a (possibly padded) `[DONE]` or be empty
  // (some servers send `data:` alone as a keep-alive). This skips a `trim()` per chunk;
  // `JSON.parse` ignores surrounding whitespace itself.
  if (data.charCodeAt(0) !== 123) {
    const trimmed = data.trim();
    if (trimmed === '[DONE]') return DONE;
    if (trimmed === '') return SKIP;
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    throw new MalformedResponseError('A stream event is not valid JSON', data, { cause });
  }
  if (isErrorEnvelope(value)) throw ApiError.fromEvent(value);
  if (event.event === 'error') throw ApiError.fromEvent({ error: value } as ErrorEnvelope);
  if (validate && !validate(value)) {
    throw new MalformedResponseError('A stream event has an unexpected shape', data);
  }
  return value as T;
}

function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return error !== null && error !== undefined;
}
