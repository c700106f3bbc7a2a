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
  ChatCompletionMessage,
  ChatCompletionMessageToolCall,
  ChatCompletionRequest,
  CompletionUsage,
  FinishReason,
} from '../../core/wire/chat';
import type { DocsIndex, DocSection } from './retrieval';
import {
  fillArguments,
  fragments,
  pickTools,
  readToolChoice,
  readTools,
  toolCallId,
  toolOutput,
  type PlannedToolCall,
  type ToolPick,
} from './tools';

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

/** How an answer is introduced, one way per attempt: a regenerated reply reads differently. */
const LEADS: readonly ((section: DocSection) => string)[] = [
  (s) => `From **${s.title}** (\`${s.path}\`):`,
  (s) => `Here is what **${s.title}** (\`${s.path}\`) says:`,
  (s) => `Another way in, through **${s.title}** (\`${s.path}\`):`,
  (s) => `In the words of **${s.title}** (\`${s.path}\`):`,
];

/** How many sections a regenerated reply may choose from, best first. */
const SECTIONS_PER_QUESTION = 3;

/**
 * The documentation's answer to a conversation: the question, the best sections and the reply.
 * `attempt` (0 for the first reply, 1 for the first regeneration…) picks the section and the
 * wording, so that each regenerated version differs and the same attempt always reads the same.
 */
function answerFromDocs(
  index: DocsIndex,
  messages: ChatCompletionRequest['messages'],
  attempt = 0,
): { question: string; best: DocSection | undefined; next: DocSection | undefined; text: string } {
  const question = lastUserText(messages);
  const hits: DocSection[] = index.search(question, SECTIONS_PER_QUESTION);
  const parts = [OFFLINE_NOTICE];
  // Attempt 0 is the best section then the second, as always; later attempts take turns.
  const best = hits[attempt % Math.max(1, hits.length)];
  const next = hits.find((hit) => hit !== best);
  if (!best) {
    const topics = index.topics();
    const shift = topics.length ? attempt % topics.length : 0;
    parts.push(
      question
        ? `I found nothing in the documentation about “${question.slice(0, 80)}”. I can answer questions about:`
        : 'Ask me about Parlance. I can answer questions about:',
      [...topics.slice(shift), ...topics.slice(0, shift)].map((t) => `- ${t}`).join('\n'),
    );
  } else {
    parts.push(LEADS[attempt % LEADS.length]!(best), clip(best.body));
    if (next) parts.push(`See also: **${next.title}** (\`${next.path}\`).`);
  }
  return { question, best, next, text: parts.join('\n\n') };
}

/** A continue request's last message: the kit's default prompt, or a user's own words for it. */
const CONTINUE_PROMPT = /\bcontinue\b|\bgo on\b|\bkeep going\b|继续/i;
/** How many attempts a continued reply is looked for among. */
const MAX_ATTEMPTS_SEARCHED = 8;

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * The rest of a cut reply, when the conversation asks to continue it: `…user, assistant (cut),
 * user ("Continue…")`. The cut text is found as the start of one attempt's answer to the question
 * before it, and the answer goes on from the very character where the cut one stopped.
 */
function continueFromDocs(
  index: DocsIndex,
  messages: ChatCompletionRequest['messages'],
): { text: string; question: string } | undefined {
  const ask = messages.at(-1);
  const cut = messages.at(-2);
  if (ask?.role !== 'user' || cut?.role !== 'assistant') return undefined;
  if (!CONTINUE_PROMPT.test(textOf(ask.content))) return undefined;
  const partial = textOf(cut.content);
  if (!partial.trim()) return undefined;
  const before = messages.slice(0, -2);
  let found = { full: '', shared: -1 };
  for (let attempt = 0; attempt < MAX_ATTEMPTS_SEARCHED; attempt++) {
    const full = answerFromDocs(index, before, attempt).text;
    const shared = sharedPrefix(full, partial);
    if (shared > found.shared) found = { full, shared };
    if (shared === partial.length) break;
  }
  const rest = found.full.slice(Math.max(found.shared, Math.min(partial.length, found.full.length)));
  return {
    question: lastUserText(before),
    text: rest.trim() ? rest : '\n\nThat is all the documentation says about it.',
  };
}

/** The text of the last user message. */
function lastUserText(messages: ChatCompletionRequest['messages']): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return textOf(lastUser?.content).trim();
}

/**
 * The whole offline reply to a conversation: the notice, then the best documentation section
 * (`attempt` > 0: another section or wording, for a regenerated reply).
 */
export function composeReply(
  index: DocsIndex,
  messages: ChatCompletionRequest['messages'],
  attempt = 0,
): string {
  return answerFromDocs(index, messages, attempt).text;
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

/** A tool call of a planned reply: its arguments whole, and the fragments they stream in. */
interface OfflineToolCall extends PlannedToolCall {
  fragments: string[];
}

/** A planned offline reply: everything but the pacing of the stream. */
export interface OfflineReply {
  id: string;
  created: number;
  model: string;
  /** The content, in the pieces it streams in (empty when the reply calls tools). */
  pieces: string[];
  /** The reasoning, in the pieces it streams in before anything else (empty outside reasoning mode). */
  reasoning: string[];
  /** The tool calls the reply makes instead of answering in text (empty when it answers). */
  toolCalls: OfflineToolCall[];
  /** Whether parallel calls stream interleaved (else one after the other). */
  interleave: boolean;
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

/** The model id that reasons aloud before answering (also listed by `/models`). */
export const OFFLINE_REASONING_MODEL = 'parlance-offline-reasoning';

/** Reasoning mode: the reasoning model, or a `reasoning_effort` other than `none`. */
export function wantsReasoning(request: ChatCompletionRequest): boolean {
  const effort = (request as { reasoning_effort?: unknown }).reasoning_effort;
  return (
    request.model === OFFLINE_REASONING_MODEL ||
    (effort !== undefined && effort !== null && effort !== 'none')
  );
}

const MAX_TOOL_OUTPUT_CHARS = 600;
/** How much of the user's message tool matching and argument filling read. */
const MAX_TOOL_MESSAGE_CHARS = 4_000;

/**
 * The reply to tool results: what each tool returned, named from the assistant message that
 * called it, in the order of the `tool` messages that end the conversation.
 */
function answerFromToolResults(messages: ChatCompletionRequest['messages']): {
  names: string[];
  text: string;
} {
  let start = messages.length;
  while (start > 0 && messages[start - 1]!.role === 'tool') start--;
  const results = messages.slice(start) as Array<{ tool_call_id: string; content: unknown }>;
  const caller = messages[start - 1] as { tool_calls?: readonly WireToolCall[] | null } | undefined;
  const calls = Array.isArray(caller?.tool_calls) ? caller.tool_calls : [];
  const names: string[] = [];
  const lines = results.map((result) => {
    const call = calls.find((c) => (c as { id?: string }).id === result.tool_call_id);
    const name = call?.function?.name ?? call?.custom?.name ?? result.tool_call_id;
    names.push(name);
    let output = toolOutput(result.content).trim();
    if (output.length > MAX_TOOL_OUTPUT_CHARS) output = `${output.slice(0, MAX_TOOL_OUTPUT_CHARS)}…`;
    return `The tool \`${name}\` returned: ${output || '(nothing)'}`;
  });
  const closing =
    results.length === 1
      ? 'That is its answer, passed on as it came: offline mode has no model to read it for you.'
      : 'Those are their answers, passed on as they came: offline mode has no model to read them for you.';
  return { names, text: [...lines, closing].join('\n\n') };
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The tool calls a request gets, if any: see {@link pickTools} and {@link fillArguments}. */
function planToolCalls(
  request: ChatCompletionRequest,
  afterTools: boolean,
): { calls: PlannedToolCall[]; picks: ToolPick[] } {
  const choice = readToolChoice(request);
  // After tool results, `auto` answers them; a forced choice calls again, as the API does.
  if (afterTools && choice.mode !== 'required' && choice.mode !== 'named') return { calls: [], picks: [] };
  // Matching reads a bounded prefix, so no message costs more than a moment to scan.
  const message = lastUserText(request.messages).slice(0, MAX_TOOL_MESSAGE_CHARS);
  const parallel = (request as { parallel_tool_calls?: unknown }).parallel_tool_calls !== false;
  const picks = pickTools(readTools(request), choice, message, parallel);
  const calls = picks.map(({ tool, at }) => ({
    id: toolCallId(),
    name: tool.name,
    arguments: JSON.stringify(fillArguments(tool, message, at)),
  }));
  return { calls, picks };
}

/**
 * Composes, limits and counts the reply to `request`. `attempt` counts earlier answers to the same
 * request (a regenerate sends the same messages again): 0 the first time.
 */
export async function planReply(
  index: DocsIndex,
  request: ChatCompletionRequest,
  attempt = 0,
): Promise<OfflineReply> {
  const { messages, model } = request;
  const afterTools = messages.at(-1)?.role === 'tool';
  const { calls, picks } = planToolCalls(request, afterTools);
  let reply = '';
  let thoughts: string[];
  const rest = calls.length > 0 || afterTools ? undefined : continueFromDocs(index, messages);
  if (calls.length > 0) {
    thoughts = [
      `The message asks for something a tool can do, so I will call ${list(picks.map((p) => `\`${p.tool.name}\``))} instead of answering from the documentation.`,
      ...picks.map(
        (p, i) => `I call \`${p.tool.name}\` because ${p.why}, with the arguments ${calls[i]!.arguments}.`,
      ),
      'Once the results come back, I will answer from them.',
    ];
  } else if (afterTools) {
    const answer = answerFromToolResults(messages);
    reply = answer.text;
    thoughts = [
      `The conversation ends with what ${list(answer.names.map((n) => `\`${n}\``))} returned.`,
      'I will pass each result on as it came and say where it comes from, since no model is connected to interpret it.',
    ];
  } else if (rest) {
    reply = rest.text;
    thoughts = [
      `The last reply to “${rest.question.slice(0, 80)}” was cut, and the conversation asks me to go on.`,
      'I will continue from the exact point where it stopped, without repeating what was already said.',
    ];
  } else {
    const answer = answerFromDocs(index, messages, attempt);
    reply = answer.text;
    thoughts = [
      answer.question
        ? `The question is “${answer.question.slice(0, 80)}”.`
        : 'There is no question yet, so I will say what I can help with.',
      'No model is connected, so I will answer from Parlance’s documentation, searching it for the closest section.',
      answer.best
        ? `The best match is “${answer.best.title}” in \`${answer.best.path}\`, so I will quote it${answer.next ? ` and point to “${answer.next.title}” as well` : ''}.`
        : 'Nothing in it matches, so I will list the topics I can answer about.',
    ];
  }
  const reasoningText = wantsReasoning(request) ? thoughts.join(' ') : '';

  // Reasoning uses the token budget first, as it does on reasoning models.
  let budget = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
  const reasoning = await limitReply(reasoningText, model, budget);
  budget -= reasoning.completionTokens;
  let finishReason: FinishReason = reasoning.finishReason;
  let pieces: string[] = [];
  let outputTokens = 0;
  const toolCalls: OfflineToolCall[] = [];
  if (finishReason === 'stop' && calls.length > 0) {
    finishReason = 'tool_calls';
    for (const call of calls) {
      if (budget <= 0) {
        finishReason = 'length';
        break;
      }
      const cut = await limitReply(call.arguments, model, budget);
      const args = cut.pieces.join('');
      toolCalls.push({ ...call, arguments: args, fragments: fragments(args) });
      budget -= cut.completionTokens;
      outputTokens += cut.completionTokens;
      if (cut.finishReason === 'length') {
        finishReason = 'length';
        break;
      }
    }
  } else if (finishReason === 'stop') {
    const limited = await limitReply(reply, model, budget);
    pieces = limited.pieces;
    outputTokens = limited.completionTokens;
    finishReason = limited.finishReason;
  }
  // The client's own counting functions, so a meter's figure and this usage agree.
  const tools = (request as { tools?: readonly TokenTool[] }).tools;
  const promptTokens = await countChatTokens(countableMessages(messages), model, { tools });
  const completionTokens = reasoning.completionTokens + outputTokens;
  return {
    id: completionId(),
    created: Math.floor(Date.now() / 1000),
    model,
    pieces,
    reasoning: reasoning.pieces,
    toolCalls,
    // The `openai` SDK's stream helper takes a new index as the end of the previous call and
    // parses a strict tool's arguments there: calls of strict tools stream one after the other.
    interleave: !picks.some((p) => p.tool.strict),
    finishReason,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      ...(reasoningText
        ? { completion_tokens_details: { reasoning_tokens: reasoning.completionTokens } }
        : {}),
    },
  };
}

/** A tool call as a message carries it. */
function wireCall(call: OfflineToolCall): ChatCompletionMessageToolCall {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

/** The reply as one `chat.completion` object. */
export function toCompletion(reply: OfflineReply): ChatCompletion {
  const calls = reply.toolCalls.length > 0;
  const message: ChatCompletionMessage & { reasoning_content?: string } = {
    role: 'assistant',
    content: calls ? null : reply.pieces.join(''),
    refusal: null,
    ...(calls ? { tool_calls: reply.toolCalls.map(wireCall) } : {}),
    ...(reply.reasoning.length > 0 ? { reasoning_content: reply.reasoning.join('') } : {}),
  };
  return {
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
    usage: reply.usage,
  };
}

type Delta = ChatCompletionChunk['choices'][number]['delta'] & { reasoning_content?: string };

/**
 * The deltas of the tool calls: each call's header (`id`, `type`, `name`, empty `arguments`)
 * before its first fragment, and the calls' fragments interleaved (0, 1, 0, 1…), or each call
 * whole in turn when `interleave` is false.
 */
function toolCallDeltas(calls: readonly OfflineToolCall[], interleave: boolean): Delta[] {
  const header = (call: OfflineToolCall, index: number): Delta => ({
    tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
  });
  const fragment = (index: number, text: string): Delta => ({
    tool_calls: [{ index, function: { arguments: text } }],
  });
  if (!interleave) {
    return calls.flatMap((call, index) => [
      header(call, index),
      ...call.fragments.map((f) => fragment(index, f)),
    ]);
  }
  const deltas: Delta[] = [];
  const longest = Math.max(1, ...calls.map((c) => c.fragments.length));
  for (let step = 0; step < longest; step++) {
    calls.forEach((call, index) => {
      if (step === 0) deltas.push(header(call, index));
      const text = call.fragments[step];
      if (text !== undefined) deltas.push(fragment(index, text));
    });
  }
  return deltas;
}

/**
 * The reply as the API streams it: a role chunk, the reasoning word by word
 * (`delta.reasoning_content`), then the content word by word or the tool calls in fragments, a
 * chunk with the `finish_reason`, the usage chunk when `include_usage` is set, then `[DONE]`.
 * Each piece waits `delayMs`, so a UI shows it streaming; cancelling the stream stops it.
 */
export function toEventStream(
  reply: OfflineReply,
  includeUsage: boolean,
  delayMs: number,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunk = (delta: Delta, finish: FinishReason): ChatCompletionChunk => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const calls = reply.toolCalls.length > 0;
  const events: Array<object | '[DONE]'> = [
    chunk({ role: 'assistant', content: calls ? null : '', refusal: null }, null),
    ...reply.reasoning.map((reasoning_content) => chunk({ reasoning_content }, null)),
    ...(calls
      ? toolCallDeltas(reply.toolCalls, reply.interleave).map((delta) => chunk(delta, null))
      : reply.pieces.map((content) => chunk({ content }, null))),
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
