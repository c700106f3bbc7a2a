import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageToolCall,
  CompletionUsage,
  FinishReason,
} from '../wire/chat';

interface ChoiceState {
  content: string | null;
  refusal: string | null;
  toolCalls: ChatCompletionMessageToolCall[];
  finishReason: FinishReason;
}

/**
 * Folds streamed chunks into the {@link ChatCompletion} a non-streaming request would have
 * returned: content concatenated per choice, the last role, `finish_reason` and `usage` kept,
 * tool-call fragments joined by index. For apps that stream with `createClient` and want the
 * whole completion too ({@link accumulateChunks}); the chat engine folds deltas into its own
 * message instead (ChatStore#apply in chat/chat-store.ts).
 *
 * @example
 * ```ts
 * const acc = new ChatCompletionAccumulator();
 * for await (const chunk of stream) { acc.add(chunk); render(acc.content); }
 * acc.finishReason; // 'stop'
 * ```
 */
export class ChatCompletionAccumulator {
  #id = '';
  #created = 0;
  #model = '';
  #systemFingerprint: string | undefined;
  #usage: CompletionUsage | null = null;
  #choices = new Map<number, ChoiceState>();
  #count = 0;

  /** Adds one chunk; returns `this` for chaining. */
  add(chunk: ChatCompletionChunk): this {
    this.#count++;
    this.#id ||= chunk.id;
    this.#created ||= chunk.created;
    this.#model ||= chunk.model;
    this.#systemFingerprint ??= chunk.system_fingerprint;
    if (chunk.usage) this.#usage = chunk.usage;
    for (const { index, delta, finish_reason } of chunk.choices) {
      let choice = this.#choices.get(index);
      if (!choice) {
        choice = { content: null, refusal: null, toolCalls: [], finishReason: null };
        this.#choices.set(index, choice);
      }
      if (typeof delta.content === 'string') choice.content = (choice.content ?? '') + delta.content;
      if (typeof delta.refusal === 'string') choice.refusal = (choice.refusal ?? '') + delta.refusal;
      for (const part of delta.tool_calls ?? []) {
        const call = (choice.toolCalls[part.index] ??= {
          id: '',
          type: 'function',
          function: { name: '', arguments: '' },
        });
        if (part.id) call.id = part.id;
        if (part.function?.name) call.function.name += part.function.name;
        if (part.function?.arguments) call.function.arguments += part.function.arguments;
      }
      if (finish_reason) choice.finishReason = finish_reason;
    }
    return this;
  }

  /** The text of choice 0 so far (`''` before any content). */
  get content(): string {
    return this.#choices.get(0)?.content ?? '';
  }

  /** The `finish_reason` of choice 0, `null` until it arrives. */
  get finishReason(): FinishReason {
    return this.#choices.get(0)?.finishReason ?? null;
  }

  /** The usage of the request, when the server sent it (`stream_options.include_usage`). */
  get usage(): CompletionUsage | null {
    return this.#usage;
  }

  /** How many chunks were added. */
  get chunkCount(): number {
    return this.#count;
  }

  /** The completion so far, as a `chat.completion` object (a fresh copy on each call). */
  toChatCompletion(): ChatCompletion {
    const choices = [...this.#choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({
        index,
        message: {
          role: 'assistant' as const,
          content: c.content,
          refusal: c.refusal,
          ...(c.toolCalls.length > 0 && {
            tool_calls: c.toolCalls.map((t) => ({ ...t, function: { ...t.function } })),
          }),
        },
        logprobs: null,
        finish_reason: c.finishReason,
      }));
    return {
      id: this.#id,
      object: 'chat.completion',
      created: this.#created,
      model: this.#model,
      choices,
      ...(this.#usage && { usage: this.#usage }),
      ...(this.#systemFingerprint !== undefined && { system_fingerprint: this.#systemFingerprint }),
    };
  }
}

/** Folds a whole list of chunks into one {@link ChatCompletion}. */
export function accumulateChunks(chunks: Iterable<ChatCompletionChunk>): ChatCompletion {
  const acc = new ChatCompletionAccumulator();
  for (const chunk of chunks) acc.add(chunk);
  return acc.toChatCompletion();
}

/**
 * Whether streamed chunks make a whole reply: at least one choice arrived and every choice that
 * arrived has a `finish_reason`. Servers that never send `data: [DONE]` (Hugging Face
 * `transformers serve`, for one) end their streams this way; the official clients accept them.
 *
 * @example
 * ```ts
 * everyChoiceFinished([chunk('Hi'), chunk('', 'stop')]); // true
 * ```
 */
export function everyChoiceFinished(chunks: readonly ChatCompletionChunk[]): boolean {
  const finished = new Map<number, boolean>();
  for (const chunk of chunks) {
    for (const { index, finish_reason } of chunk.choices) {
      finished.set(index, finished.get(index) === true || Boolean(finish_reason));
    }
  }
  if (finished.size === 0) return false;
  for (const done of finished.values()) if (!done) return false;
  return true;
}
