import { encodeSSE } from '../../core/stream/encode-sse';
import {
  countChatTokens,
  countTokens,
  preloadTokenizer,
  type TokenMessage,
  type TokenTool,
} from '../../core/tokens/count';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionUsage,
  FinishReason,
} from '../../core/wire/chat';
import type { DocsIndex, DocSection } from './retrieval';

/** The line every offline reply opens with. */
export const OFFLINE_NOTICE =
  '_Offline mode: no model is connected, so this reply is drawn from Parlance’s own documentation. ' +
  'To talk to a real model, restart the server with `OPENAI_API_KEY` (or `PARLANCE_UPSTREAM_URL`) set._';

const MAX_SECTION_CHARS = 1_400;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join(' ');
}

function clip(body: string): string {
  if (body.length <= MAX_SECTION_CHARS) return body;
  // Cut at a paragraph boundary outside a code fence, so the Markdown stays well formed.
  const paragraphs = body.split(/\n{2,}/);
  let out = '';
  for (const p of paragraphs) {
    if (out && out.length + p.length > MAX_SECTION_CHARS) break;
    out += (out ? '\n\n' : '') + p;
  }
  if ((out.match(/```/g)?.length ?? 0) % 2 === 1) out += '\n```';
  return `${out}\n\n…`;
}

/** The whole offline reply to a conversation: the notice, then the best documentation section. */
export function composeReply(index: DocsIndex, messages: ChatCompletionRequest['messages']): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const question = textOf(lastUser?.content).trim();
  const hits: DocSection[] = index.search(question);
  const parts = [OFFLINE_NOTICE];
  const [best, next] = hits;
  if (!best) {
    parts.push(
      question
        ? `I found nothing in the documentation about “${question.slice(0, 80)}”. I can answer questions about:`
        : 'Ask me about Parlance. I can answer questions about:',
      index
        .topics()
        .map((t) => `- ${t}`)
        .join('\n'),
    );
  } else {
    parts.push(`From **${best.title}** (\`${best.path}\`):`, clip(best.body));
    if (next) parts.push(`See also: **${next.title}** (\`${next.path}\`).`);
  }
  return parts.join('\n\n');
}

/** Words with their leading whitespace: the pieces a reply streams in. */
function pieces(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

async function count(text: string, model: string): Promise<number> {
  return text ? await countTokens(text, model) : 0;
}

/**
 * Cuts `reply` to at most `maxTokens` tokens of `model`, at a word boundary where possible and
 * inside the last word where not, as the API does when `max_tokens` is reached.
 */
export async function limitReply(
  reply: string,
  model: string,
  maxTokens: number,
): Promise<{ pieces: string[]; finishReason: 'stop' | 'length'; completionTokens: number }> {
  const all = pieces(reply);
  const whole = await count(reply, model);
  if (whole <= maxTokens) return { pieces: all, finishReason: 'stop', completionTokens: whole };
  const kept: string[] = [];
  let text = '';
  for (const piece of all) {
    if ((await count(text + piece, model)) <= maxTokens) {
      kept.push(piece);
      text += piece;
      continue;
    }
    const chars = Array.from(piece);
    let lo = 0;
    let hi = chars.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await count(text + chars.slice(0, mid).join(''), model)) <= maxTokens) lo = mid;
      else hi = mid - 1;
    }
    if (lo > 0) {
      const prefix = chars.slice(0, lo).join('');
      kept.push(prefix);
      text += prefix;
    }
    return { pieces: kept, finishReason: 'length', completionTokens: await count(text, model) };
  }
  return { pieces: kept, finishReason: 'stop', completionTokens: await count(text, model) };
}

function completionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `chatcmpl-offline${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A planned offline reply: everything but the pacing of the stream. */
export interface OfflineReply {
  id: string;
  created: number;
  model: string;
  pieces: string[];
  finishReason: FinishReason;
  usage: CompletionUsage;
}

/** Starts loading the tokenizer the default model counts with, so the first reply is quick. */
export function warmUpTokenizer(): void {
  preloadTokenizer('gpt-4o').catch(() => undefined);
}

type WireToolCall = {
  type: string;
  function?: { name: string; arguments: string };
  custom?: { name: string; input: string };
};

/**
 * The messages as the token counter reads them: a custom tool call (`{custom: {name, input}}`)
 * counts its name and input as a function call counts its name and arguments.
 */
function countableMessages(messages: ChatCompletionRequest['messages']): TokenMessage[] {
  return messages.map((message) => {
    const calls = (message as { tool_calls?: readonly WireToolCall[] | null }).tool_calls;
    if (!Array.isArray(calls)) return message as TokenMessage;
    return {
      ...(message as TokenMessage),
      tool_calls: calls.map((call) => ({
        function: call.function ?? { name: call.custom?.name ?? '', arguments: call.custom?.input ?? '' },
      })),
    };
  });
}

/** Composes, limits and counts the reply to `request`. */
export async function planReply(index: DocsIndex, request: ChatCompletionRequest): Promise<OfflineReply> {
  const reply = composeReply(index, request.messages);
  const max = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
  const limited = await limitReply(reply, request.model, max);
  // The client's own counting functions, so a meter's figure and this usage agree.
  const tools = (request as { tools?: readonly TokenTool[] }).tools;
  const promptTokens = await countChatTokens(countableMessages(request.messages), request.model, { tools });
  return {
    id: completionId(),
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    pieces: limited.pieces,
    finishReason: limited.finishReason,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: limited.completionTokens,
      total_tokens: promptTokens + limited.completionTokens,
    },
  };
}

/** The reply as one `chat.completion` object. */
export function toCompletion(reply: OfflineReply): ChatCompletion {
  return {
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.pieces.join(''), refusal: null },
        logprobs: null,
        finish_reason: reply.finishReason,
      },
    ],
    usage: reply.usage,
  };
}

/**
 * The reply as the API streams it: a role chunk, one chunk per word, a chunk with the
 * `finish_reason`, the usage chunk when `include_usage` is set, then `[DONE]`. Each word waits
 * `delayMs`, so a UI shows it streaming; cancelling the stream stops it.
 */
export function toEventStream(
  reply: OfflineReply,
  includeUsage: boolean,
  delayMs: number,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: FinishReason,
  ): ChatCompletionChunk => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const events: Array<object | '[DONE]'> = [
    chunk({ role: 'assistant', content: '', refusal: null }, null),
    ...reply.pieces.map((content) => chunk({ content }, null)),
    chunk({}, reply.finishReason),
  ];
  if (includeUsage) {
    events.push({
      id: reply.id,
      object: 'chat.completion.chunk',
      created: reply.created,
      model: reply.model,
      choices: [],
      usage: reply.usage,
    } satisfies ChatCompletionChunk);
  }
  events.push('[DONE]');
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > 1 && delayMs > 0 && next < events.length - 1) {
        await new Promise<void>((resolve) => (timer = setTimeout(resolve, delayMs)));
      }
      controller.enqueue(encoder.encode(encodeSSE(events[next]!)));
      next++;
      if (next === events.length) controller.close();
    },
    cancel() {
      clearTimeout(timer);
      next = events.length;
    },
  });
}
