import { MalformedResponseError } from '../errors';
import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '../wire/chat';
import { transition } from './transitions';
import type { ChatOptions, ChatSnapshot } from './types';

const FRAME_MS = 16;

/**
 * The reply being received. Each chunk's text is appended here at once and folded into the
 * snapshot at the next flush (see {@link FlushScheduler}), so a burst of chunks costs one render.
 */
export class StreamBuffer {
  readonly controller = new AbortController();
  /** The text received by this request. */
  text = '';
  finishReason: FinishReason = null;
  usage: CompletionUsage | null = null;
  /** A chunk has arrived (the request can no longer be retried). */
  received = false;
  /** Text added since the last fold into the snapshot. */
  dirty = false;

  constructor(
    /** The assistant message the text goes to. */
    readonly messageId: string,
    /** The reply's text before this request (for `continue`). */
    readonly base: string,
  ) {}

  /** The reply's whole text so far. */
  get content(): string {
    return this.base + this.text;
  }

  /**
   * Appends a chunk's text, finish reason and usage. Returns `true` for the first chunk. Throws a
   * `MalformedResponseError` for a chunk of the wrong shape.
   */
  append(chunk: ChatCompletionChunk): boolean {
    if (typeof chunk !== 'object' || chunk === null) {
      throw new MalformedResponseError('A chunk of the reply has an unexpected shape', safeJson(chunk));
    }
    // A usage-only chunk may leave out `choices` (some servers do).
    const choices: unknown = chunk.choices;
    if (!Array.isArray(choices) && (choices !== undefined || !chunk.usage)) {
      throw new MalformedResponseError('A chunk of the reply has an unexpected shape', safeJson(chunk));
    }
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content;
    if (typeof text === 'string' && text !== '') {
      this.text += text;
      this.dirty = true;
    }
    if (choice?.finish_reason) this.finishReason = choice.finish_reason;
    const first = !this.received;
    this.received = true;
    return first;
  }

  /** `state` with the text so far in the reply (the same object when there is nothing new). */
  fold(state: ChatSnapshot): ChatSnapshot {
    if (!this.received) return state;
    const next = transition.streamed(state, this.messageId, this.content);
    if (next !== state) this.dirty = false;
    return next;
  }
}

/**
 * Runs a flush at most once per animation frame (a 16 ms timer where there is none), once per
 * `throttle` ms, or at once for `throttle: 0`.
 */
export class FlushScheduler {
  #cancel: (() => void) | null = null;

  constructor(readonly flush: () => void) {}

  schedule(throttle: ChatOptions['throttle'] = 'frame'): void {
    if (throttle === 0) return this.flush();
    if (this.#cancel) return;
    const run = () => {
      this.#cancel = null;
      this.flush();
    };
    const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
    if (throttle === 'frame' && raf) {
      const handle = raf(run);
      this.#cancel = () =>
        (globalThis as { cancelAnimationFrame?: (h: number) => void }).cancelAnimationFrame?.(handle);
    } else {
      const timer = setTimeout(run, throttle === 'frame' ? FRAME_MS : throttle);
      this.#cancel = () => clearTimeout(timer);
    }
  }

  /** Drops a pending flush (a commit folds the text in anyway). */
  cancel(): void {
    this.#cancel?.();
    this.#cancel = null;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
