// How offline mode calls the tools a request defines: which tools the user's message names, and
// the arguments it can fill from the message. No model: plain, predictable rules (docs/server.md).
import type { ChatCompletionRequest } from '../../core/wire/chat';

type Json = Record<string, unknown>;

/** A function tool of the request, as far as it is well formed (malformed entries are skipped). */
export interface OfflineTool {
  name: string;
  description: string;
  parameters: Json | undefined;
  /** `strict: true` on the definition. */
  strict?: boolean;
}

/** A call the engine makes: the tool's name and its arguments as a JSON string. */
export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What `tool_choice` asks, read leniently: `auto` when absent or not understood. */
export type OfflineToolChoice = { mode: 'none' | 'auto' | 'required' } | { mode: 'named'; name: string };

/** Words that say nothing about a tool, left out of description matching. */
const COMMON = new Set(
  (
    'about above after also been before being between both could does each every from have here into ' +
    'just like make many more most much must only other over same should some such than that their them ' +
    'then there these they this those through under until very what when where which while will with ' +
    'would your given returns return using current value values tool tools function called named'
  ).split(' '),
);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request's function tools with a string name; anything else is ignored. */
export function readTools(request: ChatCompletionRequest): OfflineTool[] {
  const tools = (request as { tools?: unknown }).tools;
  if (!Array.isArray(tools)) return [];
  const out: OfflineTool[] = [];
  for (const tool of tools as unknown[]) {
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) continue;
    const { name, description, parameters } = tool.function;
    if (typeof name !== 'string' || name === '') continue;
    out.push({
      name,
      description: typeof description === 'string' ? description : '',
      parameters: isObject(parameters) ? parameters : undefined,
      strict: tool.function.strict === true,
    });
  }
  return out;
}

/** The request's `tool_choice`. */
export function readToolChoice(request: ChatCompletionRequest): OfflineToolChoice {
  const choice = (request as { tool_choice?: unknown }).tool_choice;
  if (choice === 'none' || choice === 'required') return { mode: choice };
  if (isObject(choice) && choice.type === 'function' && isObject(choice.function)) {
    const { name } = choice.function;
    if (typeof name === 'string') return { mode: 'named', name };
  }
  return { mode: 'auto' };
}

/** Lower-case words of `text`, with their positions. */
function words(text: string): Array<{ word: string; at: number }> {
  return Array.from(text.matchAll(/[\p{L}\p{N}]+/gu), (m) => ({ word: m[0].toLowerCase(), at: m.index }));
}

/** `get_weather`, `getWeather`, `get-weather` → `get weather`. */
function spaced(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/[_\-.\s]+/g, ' ')
    .trim()
    .toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where `phrase` occurs in `text` as whole words (case-insensitive), or -1. */
function findPhrase(text: string, phrase: string): number {
  if (!phrase) return -1;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_])${phrase.split(' ').map(escapeRegExp).join('[\\s_\\-]+')}(?![\\p{L}\\p{N}_])`,
    'iu',
  );
  return pattern.exec(text)?.index ?? -1;
}

/** How a tool is named by a message: by its name, or by words of its description. */
interface Match {
  tool: OfflineTool;
  byName: boolean;
  /** Description words found (0 when named by name). */
  score: number;
  /** Where in the message it is first named. */
  at: number;
  /** The description words found, for the reasoning text. */
  found: string[];
}

function singular(word: string): string {
  return word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word;
}

/** How `message` names `tool`, or undefined when it does not. */
function matchTool(tool: OfflineTool, message: string): Match | undefined {
  const at = Math.max(-1, findPhrase(message, tool.name.toLowerCase()));
  const atSpaced = findPhrase(message, spaced(tool.name));
  const nameAt = [at, atSpaced].filter((i) => i >= 0);
  if (nameAt.length > 0) return { tool, byName: true, score: 0, at: Math.min(...nameAt), found: [] };
  const keywords = new Set(
    words(tool.description)
      .map((w) => singular(w.word))
      .filter((w) => w.length >= 4 && !COMMON.has(w) && !/^\d+$/.test(w)),
  );
  const found: string[] = [];
  let first = -1;
  for (const { word, at: position } of words(message)) {
    const key = singular(word);
    if (keywords.has(key) && !found.includes(key)) {
      found.push(key);
      if (first < 0) first = position;
    }
  }
  return found.length > 0 ? { tool, byName: false, score: found.length, at: first, found } : undefined;
}

/** Why a tool was chosen, one clause for the reasoning text. */
export interface ToolPick {
  tool: OfflineTool;
  why: string;
  /** Where the message names the tool (0 when it does not). */
  at: number;
}

/**
 * The tools to call for `message`, in the order the message names them:
 * - a tool is named by its function name (as written, or with `_`, `-` and camelCase read as
 *   spaces: `get_weather` is named by "get weather"), or, when no tool is named that way, by a word
 *   of four letters or more of its description (common words left out; a plural `s` ignored);
 * - `parallel` false keeps the best: named by name first, then the most description words, then
 *   the first named in the message;
 * - `tool_choice`: `none` calls nothing; `required` calls the best match, or the first tool when
 *   nothing matches; a named function is always called, alone.
 */
export function pickTools(
  tools: readonly OfflineTool[],
  choice: OfflineToolChoice,
  message: string,
  parallel: boolean,
): ToolPick[] {
  if (choice.mode === 'none' || tools.length === 0) return [];
  if (choice.mode === 'named') {
    const tool = tools.find((t) => t.name === choice.name);
    return tool ? [{ tool, why: '`tool_choice` names it', at: 0 }] : [];
  }
  const matches = tools.map((tool) => matchTool(tool, message)).filter((m): m is Match => m !== undefined);
  const byName = matches.filter((m) => m.byName);
  const chosen = (byName.length > 0 ? byName : matches).sort((a, b) => a.at - b.at);
  const why = (m: Match) =>
    m.byName
      ? 'the message names it'
      : `the message says ${m.found.map((w) => `“${w}”`).join(' and ')}, from its description`;
  if (chosen.length === 0) {
    return choice.mode === 'required'
      ? [{ tool: tools[0]!, why: '`tool_choice` requires a call', at: 0 }]
      : [];
  }
  if (parallel) return chosen.map((m) => ({ tool: m.tool, why: why(m), at: m.at }));
  const best = [...chosen].sort(
    (a, b) => Number(b.byName) - Number(a.byName) || b.score - a.score || a.at - b.at,
  )[0]!;
  return [{ tool: best.tool, why: why(best), at: best.at }];
}

/** The quoted phrases of `message`: "…", “…”, «…», and '…' opened after a space or at the start. */
function quotedPhrases(message: string): string[] {
  // A phrase never holds its own opening mark, so a run of openers fails at once at each (linear).
  const pattern = /"([^"]+)"|“([^“”]+)”|«([^«»]+)»|(?:^|(?<=\s))'([^']+)'(?![\p{L}])/gu;
  return Array.from(message.matchAll(pattern), (m) => (m[1] ?? m[2] ?? m[3] ?? m[4]!).trim()).filter(Boolean);
}

const NUMBER = /[-+]?\d+(?:\.\d+)?/g;

/** The property's name as a pattern: as written, or with `_`, `-` and camelCase as spaces. */
function namePattern(property: string): string {
  const names = [property, spaced(property)].map((p) => p.split(' ').map(escapeRegExp).join('[\\s_\\-]+'));
  return `(?<![\\p{L}\\p{N}_])(?:${names.join('|')})(?![\\p{L}\\p{N}_])`;
}

/**
 * The value written after the property's name: a word or a quoted phrase (`city Paris`,
 * `city: Paris`, `city is "New York"`, `days = 3`).
 */
function wordAfter(message: string, property: string): string | undefined {
  const pattern = new RegExp(
    `${namePattern(property)}(?:\\s*[:=]\\s*|\\s+(?:(?:is|of|to|as|named|called)\\s+)?)("[^"]+"|“[^”]+”|[^\\s,;!?"“”]+)`,
    'iu',
  );
  const word = pattern
    .exec(message)?.[1]
    ?.replace(/^["“]|["”]$/g, '')
    .replace(/[.)]+$/, '');
  return word || undefined;
}

/** A number written right before the property's name (`3 days`). */
function numberBefore(message: string, property: string): number | undefined {
  // Starts only where a number starts, so a long run of digits is one attempt, not one per digit.
  const match = new RegExp(`(?<![\\d.+-])([-+]?\\d+(?:\\.\\d+)?)\\s*${namePattern(property)}`, 'iu').exec(
    message,
  );
  return match ? Number(match[1]) : undefined;
}

/** The first JSON Schema type of `schema` that is not `null`. */
function typeOf(schema: Json): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

function clampNumber(value: number, schema: Json, integer: boolean): number {
  let n = integer ? Math.trunc(value) : value;
  if (typeof schema.minimum === 'number' && n < schema.minimum) n = schema.minimum;
  if (typeof schema.maximum === 'number' && n > schema.maximum) n = schema.maximum;
  return n;
}

/**
 * The arguments of a call to `tool`, filled from `message` where its `parameters` allow. Values
 * are looked for from where the message names the tool (`from`) onward, then before it:
 * - an `enum` (or `const`) property: the first of its values the message mentions;
 * - a string: the word or quoted phrase after the property's name (`city Paris`, `city: "New
 *   York"`), else the next quoted phrase of the message;
 * - a number or integer: the number after or right before the property's name (`days 3`,
 *   `3 days`), else, when required, the next number of the message (kept within
 *   `minimum`/`maximum`);
 * - a boolean: `true`/`yes`/`on` or `false`/`no`/`off` after the property's name.
 * A required property found nowhere gets a default (the first enum value, `minimum` or 0, '',
 * false, [] or {}); an optional one is left out.
 */
export function fillArguments(tool: OfflineTool, message: string, from = 0): Record<string, unknown> {
  const properties = isObject(tool.parameters?.properties) ? tool.parameters.properties : {};
  const required = new Set(
    Array.isArray(tool.parameters?.required)
      ? tool.parameters.required.filter((r): r is string => typeof r === 'string')
      : [],
  );
  const ordered = `${message.slice(from)}\n${message.slice(0, from)}`;
  const quotes = quotedPhrases(ordered);
  const numbers = Array.from(ordered.matchAll(NUMBER), (m) => Number(m[0]));
  const take = <T>(list: T[], item: T) => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
  const args: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(properties)) {
    const schema = isObject(raw) ? raw : {};
    const type = typeOf(schema);
    const after = wordAfter(ordered, name);
    let value: unknown;
    if ('const' in schema) value = schema.const;
    else if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      const options = schema.enum;
      const seen = options
        .map((option, i) => ({ at: findPhrase(ordered, String(option).toLowerCase()), i }))
        .filter((p) => p.at >= 0)
        .sort((a, b) => a.at - b.at)[0];
      value = seen ? options[seen.i] : required.has(name) ? options[0] : undefined;
    } else if (type === 'number' || type === 'integer') {
      const own =
        after !== undefined && /^[-+]?\d+(?:\.\d+)?$/.test(after)
          ? Number(after)
          : numberBefore(ordered, name);
      if (own !== undefined) take(numbers, own);
      const next = own ?? (required.has(name) ? numbers.shift() : undefined);
      const fallback = typeof schema.minimum === 'number' ? schema.minimum : 0;
      value =
        next !== undefined
          ? clampNumber(next, schema, type === 'integer')
          : required.has(name)
            ? clampNumber(fallback, schema, type === 'integer')
            : undefined;
    } else if (type === 'boolean') {
      const word = after?.toLowerCase();
      if (word === 'true' || word === 'yes' || word === 'on') value = true;
      else if (word === 'false' || word === 'no' || word === 'off') value = false;
      else if (required.has(name)) value = false;
    } else if (type === 'array') {
      if (required.has(name)) value = [];
    } else if (type === 'object') {
      if (required.has(name)) value = {};
    } else {
      if (after !== undefined) take(quotes, after);
      value = after ?? quotes.shift() ?? (required.has(name) ? '' : undefined);
    }
    if (value !== undefined) args[name] = value;
  }
  return args;
}

/** An id as OpenAI spells a tool call's: `call_` and 24 letters and digits. */
export function toolCallId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `call_${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * `text` cut into fragments of 1 to 7 characters in a fixed uneven pattern (whole code points),
 * so a key or a value is split in the middle, as real servers stream arguments.
 */
export function fragments(text: string): string[] {
  const chars = Array.from(text);
  const sizes = [3, 4, 2, 5, 1, 7, 6];
  const out: string[] = [];
  for (let i = 0, k = 0; i < chars.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(chars.slice(i, i + size).join(''));
    i += size;
  }
  return out;
}

/** A tool message's content as text. */
export function toolOutput(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Array<{ text?: unknown }>)
    .map((part) => (typeof part?.text === 'string' ? part.text : ''))
    .join('');
}
