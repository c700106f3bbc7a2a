import { chunkBatches } from '../client/chat-completion-stream';
import { DEFAULT_RETRY, resolveRetry } from '../client/options';
import { withRetry } from '../client/retry';
import { AbortError, NetworkError, StreamInterruptedError, TimeoutError } from '../errors';
import { raceAbort } from '../internal/abort';
import type { ChatCompletionChunk } from '../wire/chat';
import { mapErrorToEndState, mapFinishReason } from '../wire/finish-reason';
import { checkBudget } from './budget';
import { ChatConfigError } from './config-error';
import { messageText } from './content';
import { endingOf } from './ending';
import { addUsage, describeError, isOffline, replaceAt, toError } from './messages';
import { buildTurnRequest } from './request';
import { StreamBuffer } from './stream-buffer';
import { settleStart, streamingCall } from './tools';
import { transition } from './transitions';
import type {
  ChatFinishEvent,
  ChatFinishReason,
  ChatMessage,
  ChatOptions,
  ChatSnapshot,
  ChatTransport,
  ChatTurnResult,
} from './types';

/** A request to make: the history it is asked with, and the reply it fills. */
export type Turn =
  | {
      /** `tools`: the next reply after every tool call of the last one was answered. */
      kind: 'send' | 'regenerate' | 'edit' | 'retry' | 'tools';
      messages: ChatMessage[];
      placeholder: ChatMessage;
    }
  | { kind: 'continue'; messages: ChatMessage[]; target: ChatMessage };

/** What `run` returns for a turn whose request found no network: its message waits in the outbox. */
export const QUEUED = Symbol('queued');

/** What the request lifecycle needs of its store. */
export interface TurnHost {
  readonly options: ChatOptions;
  readonly state: ChatSnapshot;
  /** Applies a transition's result (folding in buffered text) and notifies at once. */
  commit(next: ChatSnapshot): void;
  /** Text arrived after the first chunk: fold it in at the next flush. */
  scheduleFlush(): void;
  /** Saves the conversation now. */
  persistNow(): void;
  /** Calls an app callback; one that throws does not break the store. */
  call(callback: () => void): void;
}

/**
 * The request lifecycle: one turn at a time, from the budget check through the request (with the
 * kit's one retry loop, `withRetry`, before the first chunk), the stream into a
 * {@link StreamBuffer}, to the ending written on the reply. `stop()` ends it at once.
 */
export class TurnRunner {
  #active: StreamBuffer | null = null;
  #lastKind: Turn['kind'] | null = null;

  constructor(readonly host: TurnHost) {}

  /** The reply being received, or `null`. */
  get active(): StreamBuffer | null {
    return this.#active;
  }

  /** The kind of the latest turn (`retry` repeats a failed `continue` as a `continue`). */
  get lastKind(): Turn['kind'] | null {
    return this.#lastKind;
  }

  /** Stops the reply in progress (its text so far is kept as `stopped`). */
  stop(): void {
    this.#active?.controller.abort(new AbortError('Stopped by the user'));
  }

  async run(turn: Turn): Promise<ChatTurnResult | typeof QUEUED> {
    const host = this.host;
    const check = checkBudget(host.options, host.state.usage, turn.messages, turn.kind === 'continue');
    const refusal = check instanceof Promise ? await check.catch(() => null) : check;
    if (refusal) {
      // Nothing was sent and nothing is added: the caller keeps the draft.
      host.commit(transition.refused(host.state, refusal));
      host.call(() => host.options.onError?.(refusal));
      return { type: 'not-sent', reason: 'budget', error: refusal };
    }
    if (check instanceof Promise && this.#active) return { type: 'not-sent', reason: 'busy' };
    const transport = host.options.transport;
    const target = turn.kind === 'continue' ? turn.target : turn.placeholder;
    const stream = new StreamBuffer(target.id, turn.kind === 'continue' ? messageText(target.content) : '');
    const { signal } = stream.controller;
    this.#active = stream;
    this.#lastKind = turn.kind;

    const history = turn.messages;
    const pending: ChatMessage = { ...target, status: 'pending', error: null };
    host.commit(
      transition.turnStarted(
        host.state,
        turn.kind === 'continue' ? history.with(-1, pending) : [...history, pending],
      ),
    );
    host.persistNow(); // what the user typed is saved before any byte of the reply

    let reason: ChatFinishReason;
    let failure: Error | null = null;
    try {
      if (!transport)
        throw new ChatConfigError('No transport: set `baseUrl` (or pass a `transport`)', {
          option: 'transport',
        });
      // Token counting may wait for the tokenizer's ranks to load; stop() still ends the turn at once.
      const request = await raceAbort(
        Promise.resolve(buildTurnRequest(host.options, history, target.id, turn.kind === 'continue')),
        signal,
      );
      if (request.dropped) host.commit(transition.contextDropped(host.state, request.dropped));
      await withRetry(
        () => this.#consume(transport.send(request.body, { signal, headers: host.options.headers }), stream),
        {
          policy: resolveRetry(DEFAULT_RETRY, host.options.retry),
          signal,
          // No network: retrying now is pointless, the message waits for the connection instead.
          isFinal: () => signal.aborted || stream.received || isOffline(),
          // A stream that broke before its first chunk showed nothing: as safe to resend as a network error.
          judgeAs: (error) => (StreamInterruptedError.isInstance(error) ? new NetworkError() : error),
          onWait: ({ attempt, delayMs, error }) =>
            host.commit(
              transition.retryWaiting(host.state, {
                attempt,
                delayMs,
                retryAt: Date.now() + delayMs,
                error: toError(error),
              }),
            ),
          onWaited: () => host.commit(transition.retryWaited(host.state)),
        },
      );
      reason = mapFinishReason(stream.finishReason ?? undefined).reason;
    } catch (error) {
      if (signal.aborted || AbortError.isInstance(error)) {
        reason = 'cancelled';
      } else {
        failure = toError(error);
        const interrupted =
          stream.received && (NetworkError.isInstance(error) || TimeoutError.isInstance(error));
        reason = interrupted ? 'interrupted' : mapErrorToEndState(error).reason;
      }
    }
    if (failure && !stream.received && NetworkError.isInstance(failure) && isOffline() && canQueue(turn)) {
      return this.#queue(turn);
    }
    return this.#finish(turn, stream, reason, failure);
  }

  /** The request found no network: no reply, no error, the user's message waits in the outbox. */
  #queue(turn: Turn & { placeholder: ChatMessage }): typeof QUEUED {
    this.#active = null;
    const history = turn.messages;
    const user = history.at(-1)!;
    this.host.commit(
      transition.queued(
        this.host.state,
        replaceAt(history, history.length - 1, { ...user, status: 'pending' }),
      ),
    );
    this.host.persistNow();
    return QUEUED;
  }

  async #consume(source: ReturnType<ChatTransport['send']>, stream: StreamBuffer): Promise<void> {
    const { signal } = stream.controller;
    const iterator = batchesOf(await raceAbort(Promise.resolve(source), signal));
    // One abort listener per turn rejects whichever step is pending, so `stop()` ends the turn at
    // once even with a transport that ignores its signal (cheaper than racing every chunk).
    let rejectStep: ((reason: unknown) => void) | null = null;
    const onAbort = () => rejectStep?.(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal.aborted) throw signal.reason;
        const step = await new Promise<IteratorResult<readonly ChatCompletionChunk[]>>((resolve, reject) => {
          rejectStep = reject;
          iterator.next().then(resolve, reject);
        });
        if (step.done) return;
        for (const chunk of step.value) {
          if (stream.append(chunk)) {
            this.host.commit(transition.streamStarted(this.host.state)); // folds the first text in
          }
        }
        if (stream.dirty) this.host.scheduleFlush();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) Promise.resolve(iterator.return?.()).catch(() => {});
    }
  }

  /**
   * The reply's tool calls as it ended: from a whole reply, each where it starts (see
   * {@link settleStart}); from a cut one, each an error that is never run.
   */
  #calls(stream: StreamBuffer, whole: boolean): Pick<ChatMessage, 'toolCalls'> {
    const calls = stream.toolCalls;
    if (calls.length === 0) return {};
    if (whole) return { toolCalls: settleStart(calls, this.host.options.tools) };
    return {
      toolCalls: calls.map((call) => ({
        ...streamingCall(call),
        status: 'error',
        error: 'The reply ended before this call was complete',
      })),
    };
  }

  #finish(turn: Turn, stream: StreamBuffer, reason: ChatFinishReason, failure: Error | null): ChatTurnResult {
    const host = this.host;
    this.#active = null;
    const { messages } = host.state;
    const at = messages.findLastIndex((m) => m.id === stream.messageId);
    const current = messages[at] ?? (turn.kind === 'continue' ? turn.target : turn.placeholder);
    const previous = turn.kind === 'continue' ? turn.target : null;

    stream.end();
    let message: ChatMessage;
    if (previous && !stream.received) {
      // A `continue` that got nothing back leaves the reply as it was (with the error, if any).
      message = failure ? { ...previous, error: describeError(failure) } : previous;
    } else {
      message = {
        ...current,
        ...stream.parts,
        ...this.#calls(stream, failure === null && reason !== 'cancelled'),
        content: stream.content,
        ...endingOf(reason),
        finishReason: stream.finishReason,
        usage:
          previous?.usage && stream.usage
            ? addUsage(previous.usage, stream.usage)
            : (stream.usage ?? previous?.usage ?? null),
        error: failure ? describeError(failure) : null,
      };
    }

    let next: ChatMessage[];
    if (at < 0) {
      next = messages; // removed (or cleared) while it streamed
    } else if (!previous && !stream.received && reason === 'cancelled' && !current.alternatives) {
      next = messages.toSpliced(at, 1); // stopped before any byte: nothing to show
    } else {
      next = replaceAt(messages, at, message);
    }
    host.commit(transition.turnEnded(host.state, next, addUsage(host.state.usage, stream.usage), failure));
    host.persistNow();

    const shown = next.includes(message) ? message : (next.at(-1) ?? message);
    const event: ChatFinishEvent = { message: shown, reason };
    if (failure) host.call(() => host.options.onError?.(failure));
    host.call(() => host.options.onFinish?.(event));
    return { type: 'finished', ...event };
  }
}

/**
 * A turn that can wait in the outbox: one that answers a user message with a new reply (a send,
 * an edit, a retry of an unanswered message). Continuing, a tool round, or a regeneration (whose
 * reply keeps earlier versions) fails as usual.
 */
function canQueue(turn: Turn): turn is Turn & { placeholder: ChatMessage } {
  return (
    turn.kind !== 'continue' &&
    turn.kind !== 'tools' &&
    !turn.placeholder.alternatives &&
    turn.messages.at(-1)?.role === 'user'
  );
}

/**
 * The reply's chunks in groups: those of each read of the body together from the client's own
 * stream (one wait per read, not per chunk), one at a time from any other transport.
 */
function batchesOf(
  source: AsyncIterable<ChatCompletionChunk>,
): AsyncIterator<readonly ChatCompletionChunk[]> {
  const batches = chunkBatches(source);
  if (batches) return batches;
  const iterator = source[Symbol.asyncIterator]();
  return {
    next: () =>
      iterator
        .next()
        .then((step) =>
          step.done ? { done: true, value: undefined } : { done: false, value: [step.value] },
        ),
    return: () => Promise.resolve(iterator.return?.()).then(() => ({ done: true, value: undefined })),
  };
}
