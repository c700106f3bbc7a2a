/**
 * A scripted ChatTransport for chat store tests: each request takes the next script, which can
 * yield fixed chunks, fail before or after them, or hand control to the test chunk by chunk.
 */
import type {
  ChatCompletionChunk,
  ChatSnapshot,
  ChatStore,
  ChatTransport,
  ChatTransportOptions,
  ChatTransportRequest,
  CompletionUsage,
  FinishReason,
} from 'parlance/core';

/** One `chat.completion.chunk` with optional text, finish reason and usage. */
export function chunk(
  content?: string,
  finishReason: FinishReason = null,
  usage?: CompletionUsage,
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-test',
    choices: usage
      ? []
      : [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finishReason }],
    ...(usage && { usage }),
  };
}

/** A reply's chunks: role chunk, one chunk per piece, the finish chunk, optionally usage. */
export function reply(pieces: string[], finishReason: FinishReason = 'stop', usage?: CompletionUsage) {
  return [
    { ...chunk(''), choices: [{ index: 0, delta: { role: 'assistant' as const }, finish_reason: null }] },
    ...pieces.map((p) => chunk(p)),
    chunk(undefined, finishReason),
    ...(usage ? [chunk(undefined, null, usage)] : []),
  ];
}

/** A stream the test feeds by hand. */
export interface Controlled {
  push(...chunks: unknown[]): void;
  end(): void;
  fail(error: Error): void;
  /** Resolves when the transport was called with this script. */
  started: Promise<ChatTransportRequest>;
}

type Script =
  | { chunks: unknown[]; then?: Error }
  | { error: Error }
  | { controlled: Controlled & { iterate(signal: AbortSignal): AsyncIterable<ChatCompletionChunk> } };

export function scriptedTransport() {
  const scripts: Script[] = [];
  const requests: ChatTransportRequest[] = [];
  const options: ChatTransportOptions[] = [];
  const starts: Array<(request: ChatTransportRequest) => void> = [];

  const transport: ChatTransport = {
    async send(request, opts) {
      requests.push(request);
      options.push(opts);
      const script = scripts.shift();
      if (!script) throw new Error(`No script for request ${requests.length}`);
      if ('error' in script) throw script.error;
      if ('controlled' in script) {
        starts.shift()?.(request);
        return script.controlled.iterate(opts.signal);
      }
      return (async function* () {
        for (const c of script.chunks) {
          await Promise.resolve();
          yield c as ChatCompletionChunk;
        }
        if (script.then) throw script.then;
      })();
    },
  };

  return {
    transport,
    requests,
    options,
    /** The next request yields `chunks`, then throws `then` if given. */
    stream(chunks: unknown[], then?: Error) {
      scripts.push({ chunks, then });
    },
    /** The next request fails before any chunk. */
    fail(error: Error) {
      scripts.push({ error });
    },
    /** The next request's stream is fed by the test. */
    controlled(): Controlled {
      const queue: Array<{ chunk?: unknown; end?: true; error?: Error }> = [];
      let wake: (() => void) | null = null;
      const put = (item: (typeof queue)[number]) => {
        queue.push(item);
        wake?.();
      };
      let started!: (request: ChatTransportRequest) => void;
      const controlled = {
        started: new Promise<ChatTransportRequest>((resolve) => (started = resolve)),
        push: (...chunks: unknown[]) => chunks.forEach((c) => put({ chunk: c })),
        end: () => put({ end: true }),
        fail: (error: Error) => put({ error }),
        async *iterate(): AsyncIterable<ChatCompletionChunk> {
          for (;;) {
            while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
            const item = queue.shift()!;
            if (item.end) return;
            if (item.error) throw item.error;
            yield item.chunk as ChatCompletionChunk;
          }
        },
      };
      starts.push(started);
      scripts.push({ controlled });
      return controlled;
    },
  };
}

/** Records every snapshot a store publishes, in order. */
export function record(store: ChatStore) {
  const snapshots: ChatSnapshot[] = [];
  store.subscribe(() => snapshots.push(store.getSnapshot()));
  return {
    snapshots,
    /** Overall statuses with consecutive repeats collapsed. */
    statuses: () => collapse(snapshots.map((s) => s.status)),
    /** The statuses the message `id` went through, repeats collapsed. */
    messageStatuses: (id: string) =>
      collapse(snapshots.flatMap((s) => s.messages.filter((m) => m.id === id).map((m) => m.status))),
  };
}

function collapse<T>(values: T[]): T[] {
  return values.filter((v, i) => i === 0 || values[i - 1] !== v);
}

/** Lets pending microtasks and timers run. */
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

export function sequentialIds() {
  let n = 0;
  return () => `m${++n}`;
}
