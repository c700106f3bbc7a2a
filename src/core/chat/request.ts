import { measureChatTokens, type TokenMessage, type TokenTool } from '../tokens/count';
import { getModelInfo } from '../tokens/models';
import { planContext, type ContextPlan, type ContextPolicy } from '../tokens/plan';
import { mapMaybe, type MaybePromise } from '../tokens/tokenizer';
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from '../wire/chat';
import { DEFAULT_CHAT_MODEL } from './types';
import type {
  ChatContextOptions,
  ChatDroppedContext,
  ChatMessage,
  ChatMessageContent,
  ChatOptions,
  ChatTransportRequest,
} from './types';
import { messageText } from './content';
import { toWireTools, toolCallMessages } from './tools';

/** The chat options that shape a request body. */
export type ChatRequestOptions = Pick<
  ChatOptions,
  | 'model'
  | 'system'
  | 'instructions'
  | 'temperature'
  | 'maxTokens'
  | 'body'
  | 'continuePrompt'
  | 'context'
  | 'tools'
>;

/** A message of the history a request is built from: only its role and content matter. */
export type ChatRequestMessage = Pick<ChatMessage, 'role' | 'content'> &
  Partial<Pick<ChatMessage, 'toolCalls'>> & { id?: string };

/** What the next request will carry, before any trimming. */
export interface ChatRequestDraft {
  /** The wire body (`model`, `messages`, `max_tokens`, extra `body` fields…), without `stream`. */
  body: ChatTransportRequest;
  /** For each of `body.messages`, the history message it comes from (`null`: added by the store). */
  sources: (ChatRequestMessage | null)[];
}

const DEFAULT_CONTINUE_PROMPT = 'Continue exactly where your last reply stopped, without repeating anything.';

function toWire(message: ChatRequestMessage): ChatCompletionMessageParam {
  if (message.role === 'user') return { role: 'user', content: message.content };
  const content =
    typeof message.content === 'string'
      ? message.content
      : message.content.filter(
          (p): p is Extract<ChatCompletionContentPart, { type: 'text' }> => p.type === 'text',
        );
  return { role: message.role, content };
}

function withInstructions(
  instructions: string,
  content: string | ChatCompletionContentPart[],
): string | ChatCompletionContentPart[] {
  if (typeof content === 'string') return `${instructions}\n\n${content}`;
  return [{ type: 'text', text: instructions }, ...content];
}

/**
 * The body the chat store sends for `history` (plus `draft` as a new user turn, or the continue
 * prompt for `continue`): the system message first, the instructions in the last user turn, empty
 * replies left out, `max_tokens`, `temperature` and the extra `body` fields. This is the one
 * function that builds requests, so what a meter counts is what is sent.
 *
 * @example
 * const { body } = buildChatRequest({ system: 'Be brief.', model: 'gpt-4o' }, chat.messages, draft);
 * await countChatTokens(body.messages, body.model); // the next reply's usage.prompt_tokens
 */
export function buildChatRequest(
  options: ChatRequestOptions,
  history: readonly ChatRequestMessage[],
  draft?: ChatMessageContent | { continue: true },
): ChatRequestDraft {
  const model = options.model || DEFAULT_CHAT_MODEL;
  const isContinue = typeof draft === 'object' && 'continue' in draft;
  const messages: ChatRequestMessage[] = [...history];
  if (typeof draft === 'string' || Array.isArray(draft)) messages.push({ role: 'user', content: draft });
  // Replies with no text add nothing (and some servers reject an empty assistant turn), unless
  // they called tools: those go with their calls and one `tool` message per answer.
  const wire: ChatCompletionMessageParam[] = [];
  const sources: (ChatRequestMessage | null)[] = [];
  for (const message of messages) {
    if (message.role === 'assistant' && message.toolCalls?.length) {
      const text = messageText(message.content);
      for (const part of toolCallMessages(message, text)) {
        wire.push(part);
        sources.push(message);
      }
    } else if (message.role !== 'assistant' || messageText(message.content) !== '') {
      wire.push(toWire(message));
      sources.push(message);
    }
  }
  if (isContinue) {
    wire.push({ role: 'user', content: options.continuePrompt ?? DEFAULT_CONTINUE_PROMPT });
    sources.push(null);
  }
  if (options.instructions) {
    const at = wire.findLastIndex((m) => m.role === 'user');
    const user = wire[at];
    if (user?.role === 'user')
      wire[at] = { ...user, content: withInstructions(options.instructions, user.content) };
  }
  if (options.system) {
    wire.unshift({ role: 'system', content: options.system });
    sources.unshift(null);
  }
  const body: ChatTransportRequest = { ...options.body, model, messages: wire };
  if (options.tools && Object.keys(options.tools).length > 0) body.tools = toWireTools(options.tools);
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
  return { body, sources };
}

type Tagged = ChatCompletionMessageParam & { id?: string };

/** The plan of a request: what is sent, what is left out, and its tokens. */
export interface ChatRequestPlan extends Pick<
  ContextPlan<TokenMessage>,
  'promptTokens' | 'droppedTokens' | 'replyRoom' | 'maxReplyTokens' | 'contextWindow' | 'isApproximate'
> {
  /** The body to send (its `messages` trimmed when a context policy is given). */
  body: ChatTransportRequest;
  /** Ids of history messages left out to fit the window. */
  droppedIds: string[];
  /** How many messages were left out (with or without ids). */
  droppedCount: number;
}

/** The reply's token limit a body asks for: `max_completion_tokens`, else `max_tokens`. */
function replyLimitOf(body: Pick<ChatTransportRequest, 'max_tokens' | 'max_completion_tokens'>) {
  return body.max_completion_tokens ?? body.max_tokens ?? undefined;
}

/**
 * Counts a request as the API will, and trims it first when `context` is given (as the chat
 * store does before sending). Without `context` nothing is dropped, however long. Throws (or
 * rejects with) `ContextOverflowError` only when trimming is asked for and cannot make it fit.
 */
export function planChatRequest(
  draft: ChatRequestDraft,
  context?: ChatContextOptions | false | null,
): MaybePromise<ChatRequestPlan> {
  const { body, sources } = draft;
  const tools = (body as { tools?: readonly TokenTool[] }).tools;
  const maxTokens = replyLimitOf(body);
  const info = getModelInfo(body.model);
  if (context) {
    // A policy written for `useChat` sees its own messages (ids and all), with the content as sent.
    const tagged = body.messages.map((m, i) => ({ ...sources[i], ...m }) as Tagged);
    const plan: MaybePromise<ContextPlan<Tagged>> = planContext<Tagged>({
      messages: tagged,
      model: body.model,
      maxTokens,
      tools,
      reserve: context.reserve,
      policy: context.policy as ContextPolicy<Tagged> | 'dropOldest' | undefined,
      contextWindow: context.contextWindow,
    });
    return mapMaybe(plan, (p) => {
      const kept = new Set(p.messages);
      const droppedIds = p.dropped.flatMap((m) => (m.id === undefined ? [] : [m.id]));
      return {
        body: { ...body, messages: body.messages.filter((_, i) => kept.has(tagged[i]!)) },
        droppedIds,
        droppedCount: p.dropped.length,
        promptTokens: p.promptTokens,
        droppedTokens: p.droppedTokens,
        replyRoom: p.replyRoom,
        maxReplyTokens: p.maxReplyTokens,
        contextWindow: p.contextWindow,
        isApproximate: p.isApproximate,
      };
    });
  }
  return mapMaybe(measureChatTokens(body.messages, body.model, { tools }), (count) => {
    const replyRoom = info.contextWindow - count.tokens;
    return {
      body,
      droppedIds: [],
      droppedCount: 0,
      promptTokens: count.tokens,
      droppedTokens: 0,
      replyRoom,
      maxReplyTokens: Math.max(
        0,
        Math.min(replyRoom, maxTokens ?? info.maxOutputTokens, info.maxOutputTokens),
      ),
      contextWindow: info.contextWindow,
      isApproximate: count.isApproximate,
    };
  });
}

/** What the store sends for a turn: the body, and what the context policy left out. */
export interface TurnRequest {
  body: ChatTransportRequest;
  dropped: ChatDroppedContext | null;
}

/**
 * The request of a turn whose reply is `replyId`: built by {@link buildChatRequest} and, with a
 * `context` policy, trimmed by the same plan a token meter shows (system message and
 * instructions counted, never dropped).
 */
export function buildTurnRequest(
  options: ChatRequestOptions,
  history: readonly ChatRequestMessage[],
  replyId: string,
  isContinue: boolean,
): MaybePromise<TurnRequest> {
  const draft = buildChatRequest(options, history, isContinue ? { continue: true } : undefined);
  const context = options.context;
  if (!context) return { body: draft.body, dropped: null };
  return mapMaybe(planChatRequest(draft, context), (p) => ({
    body: p.body,
    dropped: p.droppedIds.length > 0 ? { messageId: replyId, droppedIds: p.droppedIds } : null,
  }));
}
