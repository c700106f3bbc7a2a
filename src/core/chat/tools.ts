import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from '../wire/chat';
import type { ChatMessage, ChatToolCall, ChatToolCallStatus } from './types';

/** What `execute` receives besides the input. */
export interface ChatToolExecuteOptions {
  /** The call's id (the wire's `tool_call_id`). */
  toolCallId: string;
  /** Aborted when the user stops the turn (`stop()`), or the store is cleared. */
  signal: AbortSignal;
}

/**
 * A function the model may call. `parameters` is the JSON Schema of its input, sent as is. With
 * `execute` the call runs by itself (after the user approves it when `needsApproval` says so);
 * without, it waits for `addToolResult`. The result is the tool message's `content`
 * (`JSON.stringify` unless it is a string).
 *
 * @example
 * ```ts
 * const tools: ChatTools = {
 *   get_weather: {
 *     description: 'The weather in a city',
 *     parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *     execute: async ({ city }) => ({ city, celsius: 21 }),
 *   },
 * };
 * ```
 */
// `any` by default so that a map of tools can type each input where it is written
// (`execute: ({ city }: { city: string }) => …`); `unknown` would refuse that under strict function types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ChatTool<Input = any, Output = unknown> {
  description?: string;
  /** The input's JSON Schema (an object schema). */
  parameters: Record<string, unknown>;
  /** OpenAI's structured outputs for the arguments. */
  strict?: boolean;
  execute?: (input: Input, options: ChatToolExecuteOptions) => Output | Promise<Output>;
  /** Asks the user first: always (`true`), or when the function returns true for this input. */
  needsApproval?: boolean | ((input: Input) => boolean);
}

/** The tools of a chat, by function name. */
export type ChatTools = Record<string, ChatTool>;

/** A call that still waits for the user or the app. */
export function isWaiting(status: ChatToolCallStatus): boolean {
  return status === 'awaiting-approval' || status === 'awaiting-result';
}

/** A call with its answer for the model: `done`, `error` or `rejected`. */
export function isSettled(status: ChatToolCallStatus): boolean {
  return status === 'done' || status === 'error' || status === 'rejected';
}

/** The wire `tools` of a request. */
export function toWireTools(tools: ChatTools) {
  return Object.entries(tools).map(([name, tool]) => ({
    type: 'function' as const,
    function: {
      name,
      ...(tool.description !== undefined && { description: tool.description }),
      parameters: tool.parameters,
      ...(tool.strict !== undefined && { strict: tool.strict }),
    },
  }));
}

/**
 * A streamed call as the message shows it while the reply arrives: `running` with its input
 * parsed as far as it is valid JSON (`{}` until then).
 */
export function streamingCall(call: ChatCompletionMessageToolCall): ChatToolCall {
  return {
    id: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
    input: parseArguments(call.function.arguments) ?? {},
    status: 'running',
  };
}

function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Where each call of a finished reply starts: arguments that are not JSON are an `error` the
 * model is told about; a tool with `execute` runs (`running`) unless it needs approval; a tool
 * without `execute`, or one this chat does not know (the app may have sent it through `body`),
 * waits for `addToolResult`.
 */
export function settleStart(
  calls: readonly ChatCompletionMessageToolCall[],
  tools: ChatTools = {},
): ChatToolCall[] {
  return calls.map((call, index) => {
    const id = call.id || `call_${index}`;
    const name = call.function.name;
    const input = parseArguments(call.function.arguments);
    const base = { id, name, arguments: call.function.arguments };
    if (input === undefined) {
      return { ...base, input: {}, status: 'error', error: 'The arguments are not valid JSON' };
    }
    const tool = Object.hasOwn(tools, name) ? tools[name] : undefined;
    const ask = typeof tool?.needsApproval === 'function' ? tool.needsApproval(input) : tool?.needsApproval;
    const status: ChatToolCallStatus = ask
      ? 'awaiting-approval'
      : tool?.execute
        ? 'running'
        : 'awaiting-result';
    return { ...base, input, status };
  });
}

/** The tool message's content for a settled call. */
function resultContent(call: ChatToolCall): string {
  if (call.status === 'rejected') {
    return call.error ? `The user declined this call: ${call.error}` : 'The user declined this call.';
  }
  if (call.status === 'error') return `Error: ${call.error ?? 'the tool failed'}`;
  const { output } = call;
  if (typeof output === 'string') return output;
  return JSON.stringify(output) ?? 'null';
}

/**
 * The wire messages of an assistant reply that called tools: the reply with its `tool_calls`
 * (content `null` when it has no text), then one `tool` message per answered call, in order.
 */
export function toolCallMessages(
  message: Pick<ChatMessage, 'toolCalls'>,
  content: string,
): ChatCompletionMessageParam[] {
  const calls = message.toolCalls ?? [];
  const assistant: ChatCompletionMessageParam = {
    role: 'assistant',
    content: content === '' ? null : content,
    tool_calls: calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    })),
  };
  const answers: ChatCompletionMessageParam[] = calls
    .filter((c) => isSettled(c.status))
    .map((c) => ({ role: 'tool', tool_call_id: c.id, content: resultContent(c) }));
  return [assistant, ...answers];
}

/** `calls` with `id`'s call changed by `change` (the same array when there is no such call). */
export function updateCall(
  calls: readonly ChatToolCall[],
  id: string,
  change: (call: ChatToolCall) => ChatToolCall,
): ChatToolCall[] {
  const at = calls.findIndex((c) => c.id === id);
  if (at < 0) return calls as ChatToolCall[];
  return calls.with(at, change(calls[at]!));
}
