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
}

/**
 * The last stage of the SSE pipeline: parsed SSE events in, JSON values out.
 *
 * - `data: [DONE]` is dropped and recorded ({@link SSEJsonStream.doneSeen}); it ends the output and
 *   cancels the input, so a connection held open after it does not keep the reader waiting.
 * - An `{"error": {...}}` event (or one with `event: error`) errors the stream with {@link ApiError}.
 * - Data that is not JSON, or fails `validate`, errors it with {@link MalformedResponseError}.
 * - If the input ends before `[DONE]`, the output errors with {@link StreamInterruptedError}
 *   after every earlier value was delivered.
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

  constructor({ validate }: SSEJsonStreamOptions<T> = {}) {
    const received: T[] = [];
    super({
      transform: (event, controller) => {
        if (this.#doneSeen) return;
        const data = event.data.trim();
        if (data === '[DONE]') {
          this.#doneSeen = true;
          // Some proxies hold the connection open after [DONE]: end here and cancel the body.
          controller.terminate();
          return;
        }
        let value: unknown;
        try {
          value = JSON.parse(data);
        } catch (cause) {
          throw new MalformedResponseError('A stream event is not valid JSON', event.data, { cause });
        }
        if (isErrorEnvelope(value)) throw ApiError.fromEvent(value);
        if (event.event === 'error') throw ApiError.fromEvent({ error: value } as ErrorEnvelope);
        if (validate && !validate(value)) {
          throw new MalformedResponseError('A stream event has an unexpected shape', event.data);
        }
        received.push(value as T);
        controller.enqueue(value as T);
      },
      flush: () => {
        if (!this.#doneSeen) throw new StreamInterruptedError<T>(received);
      },
    });
  }

  /** Whether `data: [DONE]` has arrived. */
  get doneSeen(): boolean {
    return this.#doneSeen;
  }
}

function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    (value as { error: unknown }).error !== null &&
    (value as { error: unknown }).error !== undefined
  );
}
