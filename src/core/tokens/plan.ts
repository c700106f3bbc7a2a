import { ParlanceError } from '../errors';
import { brand, hasMarker } from '../internal/brand';
import { measureChatTokens, type ChatCountOptions, type TokenMessage } from './count';
import { getModelInfo } from './models';
import { mapMaybe, type MaybePromise } from './tokenizer';

/**
 * The messages that can never be dropped (the system message(s) and the newest user turn) do
 * not fit the model's context window on their own, so no request can be made. Thrown (or
 * rejected) by {@link planContext}; nothing is cut silently.
 *
 * @example
 * try { plan = await planContext({ messages, model }) }
 * catch (e) { if (ContextOverflowError.isInstance(e)) show(`${e.promptTokens} > ${e.contextWindow}`) }
 */
export class ContextOverflowError extends ParlanceError {
  override readonly name = 'ContextOverflowError';
  /** Tokens of the messages that cannot be dropped, formatting included. */
  readonly promptTokens: number;
  /** The model's context window. */
  readonly contextWindow: number;
  /** The model the request was for. */
  readonly model: string;

  constructor(init: { promptTokens: number; contextWindow: number; model: string }) {
    super(
      `The system message and the newest turn need ${init.promptTokens} tokens, but ${init.model || 'the model'} ` +
        `has a context window of ${init.contextWindow}: shorten the message or choose a model with a larger window.`,
    );
    this.promptTokens = init.promptTokens;
    this.contextWindow = init.contextWindow;
    this.model = init.model;
  }

  /** True for a `ContextOverflowError` from this or another copy of the package. */
  static override isInstance(error: unknown): error is ContextOverflowError {
    return hasMarker(error, OVERFLOW_MARKER);
  }
}
const OVERFLOW_MARKER = brand(ContextOverflowError, 'ContextOverflowError');

/** A group of messages kept or dropped together: a user message with the replies that follow it. */
export interface ContextTurn<M extends TokenMessage = TokenMessage> {
  /** The turn's messages, in conversation order. */
  messages: M[];
  /** Their positions in the input. */
  indices: number[];
  /** Their tokens, formatting included. */
  tokens: number;
}

/** What a {@link ContextPolicy} is told. */
export interface ContextPolicyInput<M extends TokenMessage = TokenMessage> {
  /** The turns that may be dropped, oldest first (never the system messages or the newest turn). */
  turns: readonly ContextTurn<M>[];
  /** Tokens available to these turns once the pinned messages are paid for. */
  available: number;
}

/**
 * Chooses which droppable turns to keep when a conversation does not fit; it runs only then.
 * Return the turns to keep (a subset of `input.turns`). If the choice still does not fit,
 * `planContext` drops the oldest of the kept turns until it does.
 */
export type ContextPolicy<M extends TokenMessage = TokenMessage> = (
  input: ContextPolicyInput<M>,
) => readonly ContextTurn<M>[];

function dropInOrder<M extends TokenMessage>(
  turns: readonly ContextTurn<M>[],
  order: readonly number[],
  available: number,
): ContextTurn<M>[] {
  const dropped = new Set<number>();
  let used = turns.reduce((sum, t) => sum + t.tokens, 0);
  for (const i of order) {
    if (used <= available) break;
    dropped.add(i);
    used -= turns[i]!.tokens;
  }
  return turns.filter((_, i) => !dropped.has(i));
}

/**
 * Drops whole turns, oldest first, until the conversation fits. The default policy.
 *
 * @example
 * planContext({ messages, model: 'gpt-4o', policy: dropOldest() })
 */
export function dropOldest<M extends TokenMessage = TokenMessage>(): ContextPolicy<M> {
  return ({ turns, available }) =>
    dropInOrder(
      turns,
      turns.map((_, i) => i),
      available,
    );
}

/**
 * Keeps the first `first` and last `last` turns and drops the ones between, oldest first, when
 * the conversation does not fit. If that is not enough, the first turns go next (latest of them
 * first), then the last ones (oldest first). The newest turn is never dropped.
 *
 * @example
 * planContext({ messages, model: 'gpt-4o', policy: keepFirstLast({ first: 1, last: 4 }) })
 */
export function keepFirstLast<M extends TokenMessage = TokenMessage>({
  first,
  last,
}: {
  first: number;
  last: number;
}): ContextPolicy<M> {
  return ({ turns, available }) => {
    const n = turns.length;
    // `last` counts the newest turn, which is pinned and not among `turns`.
    const head = Math.min(Math.max(0, first), n);
    const tail = Math.min(Math.max(0, last - 1), n - head);
    const middle = Array.from({ length: n - head - tail }, (_, i) => head + i);
    const heads = Array.from({ length: head }, (_, i) => head - 1 - i);
    const tails = Array.from({ length: tail }, (_, i) => n - tail + i);
    return dropInOrder(turns, [...middle, ...heads, ...tails], available);
  };
}

/** A problem worth telling the user about before the request is sent. */
export interface ContextWarning {
  /** `reply-room-low`: the prompt leaves less room for the reply than was asked for. */
  code: 'reply-room-low';
  /** Tokens left for the reply. */
  replyRoom: number;
  /** Tokens the reply was meant to have room for. */
  wanted: number;
  /** An English sentence for logs; UIs build their own text from the fields. */
  message: string;
}

/** Options of {@link planContext}. */
export interface PlanContextOptions<M extends TokenMessage> extends ChatCountOptions {
  /** The conversation to send, oldest first. */
  messages: readonly M[];
  /** The model it is for (looked up with `getModelInfo`). */
  model?: string | null;
  /**
   * The reply's `max_tokens`: room kept for the reply. Default: the smaller of 1,024, the model's
   * maximum output and a quarter of its window.
   */
  maxTokens?: number;
  /** Extra tokens kept free on top of `maxTokens`, e.g. for tool definitions. Default 0. */
  reserve?: number;
  /** Which turns to drop when the conversation does not fit. Default: `dropOldest()`. */
  policy?: 'dropOldest' | ContextPolicy<M>;
  /** Overrides the model table's context window. */
  contextWindow?: number;
}

/** The budget of a request, computed before it is sent. */
export interface ContextPlan<M extends TokenMessage> {
  /** The messages to send, in conversation order. */
  messages: M[];
  /** The messages left out to fit (the model will not see them), in conversation order. */
  dropped: M[];
  /** Prompt tokens of `messages`, as `usage.prompt_tokens` will report them. */
  promptTokens: number;
  /** Tokens of the `dropped` messages, formatting included. */
  droppedTokens: number;
  /** Tokens left in the window for the reply. */
  replyRoom: number;
  /**
   * The most tokens the reply can have: the smaller of `replyRoom`, `maxTokens` (the request's
   * `max_tokens`, when given) and the model's maximum output. What a meter shows as reply room.
   */
  maxReplyTokens: number;
  /** The window used. */
  contextWindow: number;
  /** True when any count is an estimate (unknown model, unsized image, tool calls). */
  isApproximate: boolean;
  /** Set when the prompt leaves less room for the reply than wanted (the request may be cut). */
  warning?: ContextWarning;
}

/**
 * Fits a conversation into the model's context window before it is sent. System messages and the
 * newest turn are always kept; other turns (a user message with its replies) are dropped whole by
 * the policy. Returns the plan synchronously when every message's count is known now (as after a
 * `useTokenCount` of the same conversation), else a promise; throws (or rejects with)
 * {@link ContextOverflowError} when even the kept messages leave no room for a reply.
 *
 * @example
 * const plan = await planContext({ messages, model: 'gpt-3.5-turbo-0613', maxTokens: 500 });
 * if (plan.dropped.length) notice(`${plan.dropped.length} earlier messages were left out`);
 * if (plan.warning) notice(`Only ${plan.warning.replyRoom} tokens are left for the reply`);
 */
export function planContext<M extends TokenMessage>(
  options: PlanContextOptions<M>,
): MaybePromise<ContextPlan<M>> {
  const { messages, model } = options;
  const info = getModelInfo(model);
  const contextWindow = options.contextWindow ?? info.contextWindow;
  const wanted = options.maxTokens ?? Math.min(1_024, info.maxOutputTokens, Math.floor(contextWindow / 4));
  const budget = contextWindow - wanted - Math.max(0, options.reserve ?? 0);
  const policy =
    options.policy === undefined || options.policy === 'dropOldest' ? dropOldest<M>() : options.policy;

  return mapMaybe(measureChatTokens(messages, model, options), (count) => {
    const pinned: number[] = [];
    const turns: ContextTurn<M>[] = [];
    messages.forEach((message, i) => {
      if (message.role === 'system' || message.role === 'developer') pinned.push(i);
      else if (message.role === 'user' || turns.length === 0) {
        turns.push({ messages: [message], indices: [i], tokens: count.perMessage[i]! });
      } else {
        const turn = turns[turns.length - 1]!;
        turn.messages.push(message);
        turn.indices.push(i);
        turn.tokens += count.perMessage[i]!;
      }
    });
    const newest = turns.pop();
    if (newest) pinned.push(...newest.indices);
    const pinnedTokens =
      count.primer + count.tools + pinned.reduce((sum, i) => sum + count.perMessage[i]!, 0);
    if (pinnedTokens >= contextWindow) {
      throw new ContextOverflowError({ promptTokens: pinnedTokens, contextWindow, model: info.id });
    }

    const available = Math.max(0, budget - pinnedTokens);
    const total = turns.reduce((sum, t) => sum + t.tokens, 0);
    let kept: readonly ContextTurn<M>[] = turns;
    if (total > available) {
      const chosen = new Set(policy({ turns, available }));
      // Whatever the policy chose, the result must fit: drop the oldest of its choice if not.
      kept = dropOldest<M>()({ turns: turns.filter((t) => chosen.has(t)), available });
    }

    const keep = new Set(pinned);
    for (const turn of kept) for (const i of turn.indices) keep.add(i);
    const sent: M[] = [];
    const dropped: M[] = [];
    let promptTokens = count.primer + count.tools;
    let droppedTokens = 0;
    messages.forEach((message, i) => {
      if (keep.has(i)) {
        sent.push(message);
        promptTokens += count.perMessage[i]!;
      } else {
        dropped.push(message);
        droppedTokens += count.perMessage[i]!;
      }
    });
    const replyRoom = contextWindow - promptTokens;
    const plan: ContextPlan<M> = {
      messages: sent,
      dropped,
      promptTokens,
      droppedTokens,
      replyRoom,
      maxReplyTokens: Math.max(
        0,
        Math.min(replyRoom, options.maxTokens ?? info.maxOutputTokens, info.maxOutputTokens),
      ),
      contextWindow,
      isApproximate: count.isApproximate,
    };
    if (replyRoom < wanted) {
      plan.warning = {
        code: 'reply-room-low',
        replyRoom,
        wanted,
        message: `The prompt uses ${promptTokens} of ${contextWindow} tokens, leaving ${replyRoom} for the reply (${wanted} wanted).`,
      };
    }
    return plan;
  });
}
