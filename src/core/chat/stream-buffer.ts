import { MalformedResponseError } from '../errors';
import type {
  ChatCompletionChunk,
  ChatCompletionDelta,
  ChatCompletionMessageToolCall,
  ChatCompletionToolCallDelta,
  CompletionUsage,
  FinishReason,
} from '../wire/chat';
import { streamingCall } from './tools';
import { transition } from './transitions';
import type { ChatMessage, ChatOptions, ChatSnapshot, ChatUrlCitation } from './types';

const FRAME_MS = 16;

/** Text to look for at the start of a reply: some local models think inline. */
const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

/**
 * Splits a leading `<think>…</think>` block off a reply's text, whatever chunks the tags are cut
 * across: text that could still become the opening tag is held back, then the block goes to
 * `reasoning` and what follows it to `text`.
 */
class ThinkSplitter {
  #mode: 'lead' | 'think' | 'text';
  #held = '';
  reasoning = '';
  text = '';

  constructor(inline: boolean) {
    this.#mode = inline ? 'lead' : 'text';
  }

  /** Whether the reply is inside its think block. */
  get thinking(): boolean {
    return this.#mode === 'think';
  }

  add(piece: string): void {
    if (this.#mode === 'text') {
      this.text += piece;
      return;
    }
    this.#held += piece;
    if (this.#mode === 'lead') {
      const lead = this.#held.trimStart();
      if (lead.length < THINK_OPEN.length && THINK_OPEN.startsWith(lead)) return; // may still open
      if (!lead.startsWith(THINK_OPEN)) return this.#toText();
      this.#mode = 'think';
      this.#held = lead.slice(THINK_OPEN.length);
    }
    const close = this.#held.indexOf(THINK_CLOSE);
    if (close >= 0) {
      this.reasoning = this.#held.slice(0, close).trim();
      this.text += this.#held.slice(close + THINK_CLOSE.length).trimStart();
      this.#held = '';
      this.#mode = 'text';
      return;
    }
    // Shown as it arrives, less any tail that may be the start of the closing tag.
    let keep = 0;
    for (let n = Math.min(THINK_CLOSE.length - 1, this.#held.length); n > 0; n--) {
      if (this.#held.endsWith(THINK_CLOSE.slice(0, n))) {
        keep = n;
        break;
      }
    }
    this.reasoning = this.#held.slice(0, this.#held.length - keep).trimStart();
  }

  /** The reply ended: text held back as a possible tag is text after all. */
  end(): void {
    if (this.#mode === 'lead') this.#toText();
  }

  #toText(): void {
    this.text += this.#held;
    this.#held = '';
    this.#mode = 'text';
  }
}

/** A reply's parts besides its text, as the message carries them. */
export type ReplyParts = Pick<
  ChatMessage,
  'reasoning' | 'reasoningMs' | 'refusal' | 'annotations' | 'toolCalls'
>;

/**
 * The reply being received. Each chunk's text is appended here at once and folded into the
 * snapshot at the next flush (see {@link FlushScheduler}), so a burst of chunks costs one render.
 * Besides text it gathers reasoning (`reasoning_content`, `reasoning` or a leading `<think>`
 * block), a refusal, `url_citation` annotations and tool calls joined per `index`.
 */
export class StreamBuffer {
  readonly controller = new AbortController();
  finishReason: FinishReason = null;
  usage: CompletionUsage | null = null;
  /** A chunk has arrived (the request can no longer be retried). */
  received = false;
  /** Text added since the last fold into the snapshot. */
  dirty = false;
  readonly #split: ThinkSplitter;
  #reasoningField = '';
  #reasoningStarted = 0;
  #reasoningMs: number | undefined;
  #refusal = '';
  #annotations: ChatUrlCitation[] = [];
  #calls: ChatCompletionMessageToolCall[] = [];
  #parts: ReplyParts = {};
  #partsDirty = false;

  constructor(
    /** The assistant message the text goes to. */
    readonly messageId: string,
    /** The reply's text before this request (for `continue`). */
    readonly base: string,
    readonly now: () => number = Date.now,
  ) {
    this.#split = new ThinkSplitter(base === '');
  }

  /** The text received by this request. */
  get text(): string {
    return this.#split.text;
  }

  /** The reply's whole text so far. */
  get content(): string {
    return this.base + this.#split.text;
  }

  /** The calls received so far, arguments joined (the wire's shape). */
  get toolCalls(): readonly ChatCompletionMessageToolCall[] {
    return this.#calls;
  }

  /**
   * The reply's other parts so far; the same object until one changes (so a fold that changes
   * nothing keeps the snapshot).
   */
  get parts(): ReplyParts {
    if (!this.#partsDirty) return this.#parts;
    this.#partsDirty = false;
    const reasoning = this.#reasoningField || this.#split.reasoning;
    const parts: ReplyParts = {};
    if (reasoning) parts.reasoning = reasoning;
    if (this.#reasoningMs !== undefined) parts.reasoningMs = this.#reasoningMs;
    if (this.#refusal) parts.refusal = this.#refusal;
    if (this.#annotations.length > 0) parts.annotations = this.#annotations.slice();
    if (this.#calls.length > 0) parts.toolCalls = this.#calls.filter(Boolean).map(streamingCall);
    this.#parts = parts;
    return parts;
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
    const delta = choice?.delta;
    if (delta) this.#delta(delta);
    if (choice?.finish_reason) this.finishReason = choice.finish_reason;
    const first = !this.received;
    this.received = true;
    return first;
  }

  #delta(delta: ChatCompletionDelta): void {
    const thought = delta.reasoning_content ?? delta.reasoning;
    if (typeof thought === 'string' && thought !== '') {
      this.#reasoningStarted ||= this.now();
      this.#reasoningField += thought;
      this.#changed();
    }
    const text = delta.content;
    if (typeof text === 'string' && text !== '') {
      const before = this.#split.reasoning;
      this.#split.add(text);
      if (this.#split.thinking || this.#split.reasoning !== before) {
        this.#reasoningStarted ||= this.now();
        this.#changed();
      }
      this.dirty = true;
      if (!this.#split.thinking && this.#split.text !== '') this.#answered();
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.#refusal += delta.refusal;
      this.#answered();
      this.#changed();
    }
    if (Array.isArray(delta.annotations) && delta.annotations.length > 0) {
      for (const a of delta.annotations)
        if (a?.type === 'url_citation' && a.url_citation) this.#annotations.push(a);
      this.#changed();
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const part of delta.tool_calls) this.#toolCall(part);
      this.#answered();
      this.#changed();
    }
  }

  /** Joins a call's fragment into the call at its `index` (several calls may interleave). */
  #toolCall(part: ChatCompletionToolCallDelta): void {
    if (typeof part !== 'object' || part === null) return;
    const index = typeof part.index === 'number' ? part.index : this.#calls.length;
    const call = (this.#calls[index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
    if (part.id) call.id = part.id;
    if (part.function?.name) call.function.name += part.function.name;
    if (part.function?.arguments) call.function.arguments += part.function.arguments;
  }

  /** The model moved from thinking to answering: how long it thought is known. */
  #answered(): void {
    if (this.#reasoningStarted && this.#reasoningMs === undefined) {
      this.#reasoningMs = this.now() - this.#reasoningStarted;
      this.#changed();
    }
  }

  #changed(): void {
    this.#partsDirty = true;
    this.dirty = true;
  }

  /** The stream ended: a held-back `<think` that never opened is text. */
  end(): void {
    const before = this.#split.text;
    this.#split.end();
    if (this.#split.text !== before) this.dirty = true;
    this.#calls = this.#calls.filter(Boolean); // indexes may skip
  }

  /** `state` with the reply so far in the message (the same object when there is nothing new). */
  fold(state: ChatSnapshot): ChatSnapshot {
    if (!this.received) return state;
    const next = transition.streamed(state, this.messageId, this.content, this.parts);
    if (next !== state) this.dirty = false;
    return next;
  }
}

/**
 * How often a streaming reply is published by default: at most once per 32 ms, in an animation
 * frame — about 30 times a second on a 60 Hz screen. Text read as it arrives looks no different at
 * twice that rate, and each publication re-renders the live message.
 */
export const DEFAULT_THROTTLE_MS = 32;

/** Half a 60 Hz frame: an animation frame this close to the throttle's end runs the flush. */
const FRAME_SLACK_MS = 8;

type FrameApi = {
  requestAnimationFrame?: (cb: () => void) => number;
  cancelAnimationFrame?: (handle: number) => void;
};

/**
 * Runs a flush at most once per `throttle` ms (default {@link DEFAULT_THROTTLE_MS}), once per
 * animation frame for `'frame'`, or at once for `throttle: 0`. Where the page has animation
 * frames, flushes run in one, and the first flush after a quiet moment in the next frame.
 */
export class FlushScheduler {
  #cancel: (() => void) | null = null;
  /** When the last flush ran (`-Infinity`: none yet). */
  #last = Number.NEGATIVE_INFINITY;

  constructor(readonly flush: () => void) {}

  schedule(throttle: ChatOptions['throttle'] = DEFAULT_THROTTLE_MS): void {
    if (throttle === 0) return this.#run();
    if (this.#cancel) return;
    const { requestAnimationFrame: raf, cancelAnimationFrame: caf } = globalThis as FrameApi;
    if (!raf) {
      const wait = throttle === 'frame' ? FRAME_MS : Math.max(0, this.#last + throttle - now());
      const timer = setTimeout(() => {
        this.#cancel = null;
        this.#run();
      }, wait);
      this.#cancel = () => clearTimeout(timer);
      return;
    }
    // The next frame, or the first frame near the end of the throttle (a frame is skipped at the
    // cost of one callback).
    const due = throttle === 'frame' ? 0 : this.#last + throttle - FRAME_SLACK_MS;
    const onFrame = () => {
      if (now() < due) {
        handle = raf(onFrame);
        return;
      }
      this.#cancel = null;
      this.#run();
    };
    let handle = raf(onFrame);
    this.#cancel = () => caf?.(handle);
  }

  /** Drops a pending flush: a commit publishes the text now (and counts as a flush). */
  cancel(): void {
    this.#cancel?.();
    this.#cancel = null;
    this.#last = now();
  }

  #run(): void {
    this.#last = now();
    this.flush();
  }
}

const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
