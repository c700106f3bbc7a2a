/** A byte-pair encoding Parlance can count exactly. */
export type EncodingName = 'cl100k_base' | 'o200k_base';

/**
 * How a model's text is counted: one of the exact encodings, or `approximate` — a character
 * estimate (about four Latin characters per token, one per CJK character) for models whose
 * tokenizer Parlance does not ship, such as most local models.
 */
export type TokenEncoding = EncodingName | 'approximate';

/**
 * How a chat message's formatting is charged.
 * - `chatml-0301`: gpt-3.5-turbo-0301 — 4 tokens per message, a `name` replaces the role (−1).
 * - `default`: every later chat model — 3 tokens per message, +1 for a `name`.
 * Both then add 3 tokens that prime the reply (see `ChatTokenCount.primer`).
 */
export type ChatFormat = 'chatml-0301' | 'default';

/**
 * How image parts of a vision message are charged (OpenAI's published rules).
 * - `tiles`: `low` detail costs `base`; `high`/`auto` fit the image in 2048×2048, scale its
 *   shortest side to 768, then cost `base + perTile × (512px tiles)`.
 * - `patches`: 32px patches, at most 1,536 (the image is scaled down to fit), times `multiplier`.
 * - `none`: the model takes no images; image parts are counted as nothing and flagged approximate.
 */
export type ImageTokenRule =
  | { kind: 'tiles'; base: number; perTile: number }
  | { kind: 'patches'; multiplier: number; maxPatches?: number }
  | { kind: 'none' };

/** What Parlance knows about a model, as kept in the model table. */
export interface ModelInfo {
  /** How text is counted. */
  encoding: TokenEncoding;
  /** Tokens the model reads and writes in one request, prompt and reply together. */
  contextWindow: number;
  /** The most tokens one reply can have. */
  maxOutputTokens: number;
  /** How image parts are charged. Default: `{ kind: 'none' }`. */
  image?: ImageTokenRule;
  /** How message formatting is charged. Default: `default`. */
  chatFormat?: ChatFormat;
}

/** A model looked up in the table: its info, and how it was matched. */
export interface ResolvedModel extends Required<ModelInfo> {
  /** The id that was asked for. */
  id: string;
  /** The table entry that matched (the id itself, a prefix of it, or `null` when unknown). */
  matched: string | null;
  /** False when the model is not in the table and the fallback was used. */
  isKnown: boolean;
}

const TILES: ImageTokenRule = { kind: 'tiles', base: 85, perTile: 170 };
const NONE: ImageTokenRule = { kind: 'none' };

const cl = (contextWindow: number, maxOutputTokens: number, image: ImageTokenRule = NONE): ModelInfo => ({
  encoding: 'cl100k_base',
  contextWindow,
  maxOutputTokens,
  image,
});
const o2 = (contextWindow: number, maxOutputTokens: number, image: ImageTokenRule = TILES): ModelInfo => ({
  encoding: 'o200k_base',
  contextWindow,
  maxOutputTokens,
  image,
});

/**
 * OpenAI's chat models. Ids match exactly, then by the longest entry that is a prefix of the id
 * ending at a `-` (so dated snapshots such as `gpt-4o-2024-08-06` find `gpt-4o`).
 *
 * `gpt-3.5-turbo` itself now points at the 16,385-token `-0125` snapshot; the classic
 * 4,096-token model the spec describes is kept as `gpt-3.5-turbo-0301` and `-0613`.
 */
const BUILT_IN: Record<string, ModelInfo> = {
  'gpt-3.5-turbo': cl(16_385, 4_096),
  'gpt-3.5-turbo-0301': { ...cl(4_096, 4_096), chatFormat: 'chatml-0301' },
  'gpt-3.5-turbo-0613': cl(4_096, 4_096),
  'gpt-3.5-turbo-16k': cl(16_385, 4_096),
  'gpt-3.5-turbo-1106': cl(16_385, 4_096),
  'gpt-3.5-turbo-0125': cl(16_385, 4_096),
  'gpt-35-turbo': cl(16_385, 4_096),
  'gpt-4': cl(8_192, 8_192),
  'gpt-4-32k': cl(32_768, 8_192),
  'gpt-4-turbo': cl(128_000, 4_096, TILES),
  'gpt-4-turbo-preview': cl(128_000, 4_096),
  'gpt-4-1106-preview': cl(128_000, 4_096),
  'gpt-4-0125-preview': cl(128_000, 4_096),
  'gpt-4-vision-preview': cl(128_000, 4_096, TILES),
  'gpt-4o': o2(128_000, 16_384),
  'gpt-4o-2024-05-13': o2(128_000, 4_096),
  'gpt-4o-mini': o2(128_000, 16_384, { kind: 'tiles', base: 2_833, perTile: 5_667 }),
  'chatgpt-4o-latest': o2(128_000, 16_384),
  'gpt-4.1': o2(1_047_576, 32_768),
  'gpt-4.1-mini': o2(1_047_576, 32_768, { kind: 'patches', multiplier: 1.62 }),
  'gpt-4.1-nano': o2(1_047_576, 32_768, { kind: 'patches', multiplier: 2.46 }),
  'gpt-4.5-preview': o2(128_000, 16_384),
  'gpt-5': o2(400_000, 128_000),
  'gpt-5-mini': o2(400_000, 128_000, { kind: 'patches', multiplier: 1.62 }),
  'gpt-5-nano': o2(400_000, 128_000, { kind: 'patches', multiplier: 2.46 }),
  'gpt-5-chat-latest': o2(128_000, 16_384),
  o1: o2(200_000, 100_000),
  'o1-mini': o2(128_000, 65_536, NONE),
  'o1-preview': o2(128_000, 32_768, NONE),
  'o1-pro': o2(200_000, 100_000),
  o3: o2(200_000, 100_000),
  'o3-mini': o2(200_000, 100_000, NONE),
  'o3-pro': o2(200_000, 100_000),
  'o4-mini': o2(200_000, 100_000, { kind: 'patches', multiplier: 1.72 }),
};

/**
 * The fallback for a model the table does not know: counted with `o200k_base` (the encoding of
 * every current OpenAI model) and flagged approximate. The 8,192-token window is deliberately
 * small, so that trimming for an unknown (often local) model errs on the side of fitting.
 */
export const UNKNOWN_MODEL: Readonly<ModelInfo> = Object.freeze({
  encoding: 'o200k_base',
  contextWindow: 8_192,
  maxOutputTokens: 4_096,
  image: TILES,
});

const registered = new Map<string, ModelInfo>();

/**
 * Adds a model to the table, or replaces what Parlance knows about one. Registered ids win over
 * the built-in table and match the same way (exactly, then by prefix).
 *
 * @example
 * registerModel('llama3.1:8b', { encoding: 'approximate', contextWindow: 131_072, maxOutputTokens: 4_096 });
 * registerModel('my-gpt-4o-proxy', { encoding: 'o200k_base', contextWindow: 128_000, maxOutputTokens: 16_384 });
 */
export function registerModel(id: string, info: ModelInfo): void {
  if (!id) throw new TypeError('registerModel: the model id must be a non-empty string.');
  if (!(info.contextWindow > 0) || !(info.maxOutputTokens > 0)) {
    throw new RangeError(
      `registerModel('${id}'): contextWindow and maxOutputTokens must be positive numbers.`,
    );
  }
  registered.set(id, { ...info });
}

/** Removes a model added with {@link registerModel}; built-in entries come back. */
export function unregisterModel(id: string): void {
  registered.delete(id);
}

function lookup(table: Map<string, ModelInfo> | Record<string, ModelInfo>, id: string) {
  const get = (key: string) =>
    table instanceof Map ? table.get(key) : Object.hasOwn(table, key) ? table[key] : undefined;
  const exact = get(id);
  if (exact) return { key: id, info: exact };
  let best: { key: string; info: ModelInfo } | undefined;
  const keys = table instanceof Map ? table.keys() : Object.keys(table);
  for (const key of keys) {
    if (id.length > key.length && id.startsWith(key) && /[-:@_.]/.test(id[key.length]!)) {
      if (!best || key.length > best.key.length) best = { key, info: get(key)! };
    }
  }
  return best;
}

/**
 * What Parlance knows about `model`: exact id, then the longest table entry that prefixes it,
 * registered models first. An unknown or empty id never throws: it gets the fallback
 * ({@link UNKNOWN_MODEL}: `o200k_base`, an 8,192-token window) with `isKnown: false`. A provider
 * prefix (`openai/gpt-4o`) is ignored.
 *
 * @example
 * getModelInfo('gpt-4o-2024-08-06') // { encoding: 'o200k_base', contextWindow: 128000, matched: 'gpt-4o', … }
 */
export function getModelInfo(model: string | undefined | null): ResolvedModel {
  const id = (model ?? '').trim();
  const bare = id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
  const hit = bare ? (lookup(registered, bare) ?? lookup(BUILT_IN, bare)) : undefined;
  const info = hit?.info ?? UNKNOWN_MODEL;
  return {
    id,
    matched: hit?.key ?? null,
    isKnown: hit !== undefined,
    encoding: info.encoding,
    contextWindow: info.contextWindow,
    maxOutputTokens: info.maxOutputTokens,
    image: info.image ?? NONE,
    chatFormat: info.chatFormat ?? 'default',
  };
}
