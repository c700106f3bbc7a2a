import { approximateTokenCount } from './approximate';
import { fileTokens } from './files';
import { imageSizeFromDataUrl, imageTokens, type ImagePixelSize } from './images';
import { getModelInfo, type EncodingName, type ResolvedModel, type TokenEncoding } from './models';
import { getTokenizer, mapMaybe, type MaybePromise } from './tokenizer';

/** A text part of a message's `content`. */
export interface TokenTextPart {
  type: 'text';
  text: string;
}

/** An image part of a user message's `content` (OpenAI's `image_url` part). */
export interface TokenImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** A file part of a user message's `content` (a PDF): counted as an estimate per page. */
export interface TokenFilePart {
  type: 'file';
  file: { filename?: string; file_data?: string; file_id?: string };
}

/**
 * The fields of a chat message that cost tokens. Wire messages (`ChatCompletionMessageParam`)
 * and `useChat` messages both fit; other fields are ignored.
 */
export interface TokenMessage {
  role: string;
  content?: string | ReadonlyArray<TokenTextPart | TokenImagePart | TokenFilePart | { type: string }> | null;
  name?: string;
  tool_calls?: ReadonlyArray<{ function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** The count of a text. */
export interface TokenCount {
  /** Number of tokens. */
  tokens: number;
  /** True when the count is an estimate: unknown model, `approximate` encoding, unsized image. */
  isApproximate: boolean;
  /** The encoding used. */
  encoding: TokenEncoding;
  /** The model table entry used. */
  model: ResolvedModel;
}

/**
 * A tool the request offers the model (the wire `tools` entry). Only the fields that cost tokens
 * are read.
 */
export interface TokenTool {
  type: string;
  function?: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** The count of a conversation, as the API will charge it for the prompt. */
export interface ChatTokenCount extends TokenCount {
  /** Each message's tokens, its formatting overhead included. */
  perMessage: number[];
  /**
   * Tokens of the tool definitions (`tools`), 0 without tools. OpenAI does not publish how it
   * formats them: this is the widely used TypeScript-namespace estimate, and the count is flagged
   * approximate whenever it is not 0.
   */
  tools: number;
  /**
   * The tokens that prime the reply: 3 for every model. (Older write-ups give 2 for
   * gpt-3.5-turbo-0301, but the API's own count of the cookbook's example, 127, needs 3.)
   */
  primer: number;
}

/** Options of {@link measureChatTokens}. */
export interface ChatCountOptions {
  /**
   * The pixel size of an image part, when the app knows it. Unsized `high`/`auto` images are
   * charged the worst case and the count is flagged approximate.
   */
  imageSize?: (url: string) => ImagePixelSize | undefined;
  /**
   * The request's tool definitions (the wire `tools` field), counted with the prompt. The chat
   * store has no tools of its own yet; a request that carries them (through `body`) is counted
   * with them here, so the meter and the API agree on the seam.
   */
  tools?: readonly TokenTool[] | null;
}

function estimate(info: ResolvedModel, text: string): TokenCount {
  return { tokens: approximateTokenCount(text), isApproximate: true, encoding: 'approximate', model: info };
}

/** `now`: only what is known synchronously, `undefined` if anything is not (starts no work). */
type Mode = 'now' | 'any';

function countTexts(encoding: TokenEncoding, texts: string[], mode: 'any'): MaybePromise<number[]>;
function countTexts(encoding: TokenEncoding, texts: string[], mode: Mode): MaybePromise<number[]> | undefined;
function countTexts(
  encoding: TokenEncoding,
  texts: string[],
  mode: Mode,
): MaybePromise<number[]> | undefined {
  if (encoding === 'approximate') return texts.map(approximateTokenCount);
  const tokenizer = getTokenizer();
  if (mode === 'any') return tokenizer.count(encoding, texts);
  const counts: number[] = [];
  for (const text of texts) {
    const n = tokenizer.peek(encoding, text);
    if (n === undefined) return undefined;
    counts.push(n);
  }
  return counts;
}

/**
 * The exact token count of `text` for `model`, with its metadata (encoding, whether it is an
 * estimate). A number-valued result comes back synchronously when the count is known now — the
 * ranks are loaded in-process (Node, tests) or the text was counted before — and as a promise
 * otherwise (ranks loading, or a browser's tokenizer worker counting). Special-token lookalikes
 * such as `<|endoftext|>` count as the ordinary text they are.
 *
 * @example
 * const { tokens, isApproximate } = await measureTokens('Hello, world', 'gpt-4o');
 */
export function measureTokens(text: string, model?: string | null): MaybePromise<TokenCount> {
  const info = getModelInfo(model);
  if (info.encoding === 'approximate') return estimate(info, text);
  const encoding = info.encoding;
  return mapMaybe(getTokenizer().count(encoding, [text]), ([tokens]) => ({
    tokens: tokens!,
    isApproximate: !info.isKnown,
    encoding,
    model: info,
  }));
}

/**
 * The token count of `text` for `model`: a number when it is known now, else a promise of one.
 * `typeof result === 'number'` tells which. See {@link measureTokens} for when each happens, and
 * {@link getModelInfo} for the model lookup (an unknown model counts with `o200k_base`).
 *
 * @example
 * const n = await countTokens('tiktoken is great!', 'gpt-4o'); // 6
 */
export function countTokens(text: string, model?: string | null): MaybePromise<number> {
  return mapMaybe(measureTokens(text, model), (c) => c.tokens);
}

interface MessagePlan {
  texts: string[];
  fixed: number;
  isApproximate: boolean;
}

function partText(part: { type: string }): string | undefined {
  return part.type === 'text' ? (part as TokenTextPart).text : undefined;
}

function planMessage(message: TokenMessage, info: ResolvedModel, options: ChatCountOptions): MessagePlan {
  const legacy = info.chatFormat === 'chatml-0301';
  const texts: string[] = [message.role];
  let fixed = legacy ? 4 : 3;
  let isApproximate = false;
  if (message.name !== undefined) {
    texts.push(message.name);
    fixed += legacy ? -1 : 1;
  }
  const { content } = message;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content as ReadonlyArray<{ type: string }>) {
      const text = partText(part);
      if (text !== undefined) texts.push(text);
      else if (part.type === 'image_url') {
        const { url, detail } = (part as TokenImagePart).image_url;
        const cost = imageTokens(info.image, detail, options.imageSize?.(url) ?? imageSizeFromDataUrl(url));
        fixed += cost.tokens;
        isApproximate ||= cost.isApproximate;
      } else if (part.type === 'file') {
        // A PDF: an estimate per page (OpenAI does not publish how it counts them).
        fixed += fileTokens((part as TokenFilePart).file ?? {}).tokens;
        isApproximate = true;
      } else isApproximate = true;
    }
  }
  // Tool calls are formatted in ways OpenAI does not publish: count their text, flag the result.
  if (message.tool_calls?.length || message.tool_call_id !== undefined) {
    isApproximate = true;
    for (const call of message.tool_calls ?? []) texts.push(call.function.name, call.function.arguments);
    if (message.tool_call_id !== undefined) texts.push(message.tool_call_id);
  }
  return { texts, fixed, isApproximate };
}

/**
 * The prompt tokens a request with `messages` costs on `model`, as the API's
 * `usage.prompt_tokens` reports it: each message's text plus its formatting (gpt-3.5-turbo-0301:
 * 4 per message, a `name` replaces the role (−1); later models: 3 per message, +1 for a `name`),
 * plus 3 that prime the reply. Image parts follow OpenAI's tile rule; a PDF (`file` part) is
 * estimated per page and flags the count approximate. Synchronous when
 * every text is known now, else a promise (see {@link measureTokens}).
 *
 * @example
 * const { tokens, perMessage, isApproximate } = await measureChatTokens(messages, 'gpt-4o');
 */
export function measureChatTokens(
  messages: readonly TokenMessage[],
  model?: string | null,
  options: ChatCountOptions = {},
): MaybePromise<ChatTokenCount> {
  return measureChat(messages, model, options, 'any')!;
}

/**
 * The count of `text` if it is known now, else `undefined`; never starts loading or counting.
 * For render code that must not wait: show this, and {@link measureTokens} when it is undefined.
 */
export function measureTokensNow(text: string, model?: string | null): TokenCount | undefined {
  const info = getModelInfo(model);
  if (info.encoding === 'approximate') return estimate(info, text);
  const tokens = getTokenizer().peek(info.encoding, text);
  return tokens === undefined
    ? undefined
    : { tokens, isApproximate: !info.isKnown, encoding: info.encoding, model: info };
}

/**
 * The count of a conversation if it is known now, else `undefined`; never starts loading or
 * counting. The synchronous twin of {@link measureChatTokens}.
 */
export function measureChatTokensNow(
  messages: readonly TokenMessage[],
  model?: string | null,
  options: ChatCountOptions = {},
): ChatTokenCount | undefined {
  return measureChat(messages, model, options, 'now') as ChatTokenCount | undefined;
}

function measureChat(
  messages: readonly TokenMessage[],
  model: string | null | undefined,
  options: ChatCountOptions,
  mode: Mode,
): MaybePromise<ChatTokenCount> | undefined {
  const info = getModelInfo(model);
  const plans = messages.map((m) => planMessage(m, info, options));
  const toolText =
    Array.isArray(options.tools) && options.tools.length > 0 ? formatTools(options.tools) : undefined;
  const texts = plans.flatMap((p) => p.texts);
  if (toolText !== undefined) texts.push(toolText);
  const primer = 3;
  const counted = countTexts(info.encoding, texts, mode);
  if (counted === undefined) return undefined;
  return mapMaybe(counted, (counts) => {
    let at = 0;
    let isApproximate = !info.isKnown || info.encoding === 'approximate';
    const perMessage = plans.map((p) => {
      let sum = p.fixed;
      for (let i = 0; i < p.texts.length; i++) sum += counts[at++]!;
      isApproximate ||= p.isApproximate;
      return sum;
    });
    let tools = 0;
    if (toolText !== undefined) {
      // The estimate's constants: 9 around the block, 4 fewer when a system message holds it.
      const hasSystem = messages.some((m) => m.role === 'system' || m.role === 'developer');
      tools = counts[at]! + 9 - (hasSystem ? 4 : 0);
      isApproximate = true;
    }
    const tokens = perMessage.reduce((a, b) => a + b, primer + tools);
    return { tokens, perMessage, primer, tools, isApproximate, encoding: info.encoding, model: info };
  });
}

type Schema = {
  type?: unknown;
  properties?: Record<string, Schema>;
  required?: unknown;
  items?: Schema;
  enum?: unknown[];
  description?: string;
};

function schemaType(schema: Schema, indent: string): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  switch (schema.type) {
    case 'object':
      return schema.properties ? `{\n${formatProperties(schema, `${indent}  `)}\n${indent}}` : 'object';
    case 'array':
      return schema.items ? `${schemaType(schema.items, indent)}[]` : 'any[]';
    case 'integer':
      return 'number';
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'any';
  }
}

function formatProperties(schema: Schema, indent: string): string {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties ?? {})
    .map(([name, value]) => {
      // Untrusted input on the server: anything that is not a schema object counts as `any`.
      const prop: Schema = typeof value === 'object' && value !== null ? value : {};
      const doc = prop.description ? `${indent}// ${prop.description}\n` : '';
      return `${doc}${indent}${name}${required.has(name) ? '' : '?'}: ${schemaType(prop, indent)},`;
    })
    .join('\n');
}

/** The tool definitions as the model is believed to read them: a TypeScript namespace. */
function formatTools(tools: readonly TokenTool[]): string {
  const lines = ['namespace functions {', ''];
  for (const tool of tools) {
    const fn = (tool as TokenTool | null)?.function;
    if (typeof fn !== 'object' || fn === null) continue;
    if (fn.description) lines.push(`// ${fn.description}`);
    const parameters = fn.parameters as Schema | undefined;
    if (typeof parameters?.properties === 'object' && Object.keys(parameters.properties ?? {}).length > 0) {
      lines.push(`type ${fn.name} = (_: {`, formatProperties(parameters, ''), '}) => any;');
    } else lines.push(`type ${fn.name} = () => any;`);
    lines.push('');
  }
  lines.push('} // namespace functions');
  return lines.join('\n');
}

/**
 * The prompt tokens of `messages` on `model`: a number when known now, else a promise of one.
 * See {@link measureChatTokens}.
 *
 * @example
 * countChatTokens([{ role: 'user', content: 'Hi' }], 'gpt-4o') // number | Promise<number>
 */
export function countChatTokens(
  messages: readonly TokenMessage[],
  model?: string | null,
  options?: ChatCountOptions,
): MaybePromise<number> {
  return mapMaybe(measureChatTokens(messages, model, options), (c) => c.tokens);
}

/**
 * Loads an encoding's ranks (about 0.5 MB for cl100k_base, 1.1 MB for o200k_base, before
 * compression) into the shared tokenizer. Counting loads them on demand; call this to warm up.
 */
export function loadEncoding(name: EncodingName): Promise<void> {
  return getTokenizer().load(name);
}

/** Loads whatever `model` counts with, so the first count is quick. Resolves at once for `approximate` models. */
export function preloadTokenizer(model?: string | null): Promise<void> {
  const { encoding } = getModelInfo(model);
  return encoding === 'approximate' ? Promise.resolve() : loadEncoding(encoding);
}
