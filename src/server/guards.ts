import { countChatTokens, type TokenMessage, type TokenTool } from '../core/tokens/count';
import { HttpApiError, invalidRequest } from './protocol/errors';
import type { ForwardOutcome } from './proxy';
import type { ServerStore } from './store/types';

/**
 * Limits on what one request may cost, checked in proxy mode before anything goes upstream. Every
 * refusal is in OpenAI's error envelope and names the limit and the setting that changes it.
 */
export interface CostGuardOptions {
  /** The largest `n` of a chat completion or an images request. Default 4 (`PARLANCE_MAX_N`). */
  maxN?: number;
  /**
   * The largest `max_tokens` or `max_completion_tokens` a chat request may ask for. Default
   * 16,384 (`PARLANCE_MAX_TOKENS`). A request that asks for neither is forwarded unchanged: the
   * model's own output limit applies (adding a field could break upstreams that refuse it).
   */
  maxTokens?: number;
  /**
   * Models a request may name, exact ids or globs with `*` (`gpt-4o*`). Default: any
   * (`PARLANCE_ALLOWED_MODELS`, comma-separated). With a list, an images request must name its
   * model (the upstream's default is not known here).
   */
  allowedModels?: readonly string[];
  /**
   * Tokens each user may spend per UTC day on chat completions (prompt + completion). Default:
   * no budget (`PARLANCE_DAILY_TOKEN_BUDGET`). The prompt is counted here before forwarding and
   * the reply's limit reserved; the upstream's `usage` then settles the charge. Streams are sent
   * upstream with `stream_options.include_usage: true` so that the last event carries it.
   */
  dailyTokenBudget?: number;
  /**
   * The most pixels an image may have when the model's sizes are not known here (models of your
   * own upstream). Default 3840 × 2160 (`PARLANCE_MAX_IMAGE_PIXELS`).
   */
  maxImagePixels?: number;
}

/** The defaults of {@link CostGuardOptions}. */
export const COST_GUARD_DEFAULTS = {
  maxN: 4,
  maxTokens: 16_384,
  maxImagePixels: 3840 * 2160,
} as const;

/** What the proxy does with an admitted chat request. */
export interface ChatAdmission {
  /** The body to forward instead of the client's (with `stream_options.include_usage`), if changed. */
  body: Uint8Array | undefined;
  /** Whether the proxy should look for `usage` in the answer. */
  captureUsage: boolean;
  /** Settles the budget once the answer is over. */
  onSettled: ((outcome: ForwardOutcome) => void) | undefined;
}

/** The three images endpoints. */
export type ImageOperation = 'generate' | 'edit' | 'variation';

type Json = Record<string, unknown>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Prompts up to this many characters (the tokenizer endpoint's own cap) are counted exactly
 * before forwarding. Counting is linear, but a 4 MB prompt still takes seconds of this thread:
 * a longer one reserves its UTF-8 size instead (no text has more tokens than bytes), and the
 * upstream's `usage.prompt_tokens` settles the charge.
 */
const EXACT_COUNT_MAX_CHARS = 200_000;

/** Characters in every string of `value`, stopping once past `limit`. */
function stringLength(value: unknown, limit: number): number {
  let total = 0;
  const walk = (item: unknown): void => {
    if (total > limit) return;
    if (typeof item === 'string') total += item.length;
    else if (Array.isArray(item)) for (const entry of item) walk(entry);
    else if (item !== null && typeof item === 'object') for (const entry of Object.values(item)) walk(entry);
  };
  walk(value);
  return total;
}

// Sizes per model, from the API description (`CreateImageRequest.size`, `CreateImageEditRequest`,
// `CreateImageVariationRequest`): GPT image models take the three standard sizes and `auto`;
// `gpt-image-2` also any `WxH` with both sides divisible by 16, an aspect ratio between 1:3 and
// 3:1, and at most 3840x2160; variations exist for `dall-e-2` only.
const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];
const IMAGE_SIZES: { model: RegExp; sizes: readonly string[]; free?: boolean }[] = [
  { model: /^dall-e-2$/, sizes: ['256x256', '512x512', '1024x1024'] },
  { model: /^dall-e-3$/, sizes: ['1024x1024', '1792x1024', '1024x1792'] },
  { model: /^gpt-image-2(?:-\d{4}-\d{2}-\d{2})?$/, sizes: GPT_IMAGE_SIZES, free: true },
  {
    model: /^(?:gpt-image-1(?:-mini|\.5)?|chatgpt-image-latest)(?:-\d{4}-\d{2}-\d{2})?$/,
    sizes: GPT_IMAGE_SIZES,
  },
];
const GPT_IMAGE_2_MAX_PIXELS = 3840 * 2160;

/** Whether `model` matches `pattern`: an exact id, or a glob where `*` stands for any characters. */
export function modelMatches(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(model);
}

function positive(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`costGuards.${name} must be a positive integer; got ${String(value)}`);
  return value;
}

/** The UTC day of `now`, `YYYY-MM-DD`, and the seconds until it ends. */
function utcDay(now: number): { day: string; secondsLeft: number } {
  const day = new Date(now).toISOString().slice(0, 10);
  const end = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
  return { day, secondsLeft: Math.max(1, Math.ceil((end - now) / 1000)) };
}

/** The cost guards of one server: {@link CostGuards.admitChat} and {@link CostGuards.checkImage}. */
export interface CostGuards {
  /**
   * Checks a validated chat body for `user`, reserves its tokens against the daily budget, and
   * says what to forward. Throws an {@link HttpApiError} to refuse.
   */
  admitChat(body: Json, user: string): Promise<ChatAdmission>;
  /** Checks an images request's model, `n` and `size` (as sent: `undefined` when absent). */
  checkImage(operation: ImageOperation, fields: { model: unknown; n: number; size: unknown }): void;
}

/**
 * Builds the guards from their options (defaults for what is not given) and the store that
 * holds budgets, so that instances sharing a store share budgets.
 */
export function createCostGuards(options: CostGuardOptions, store: ServerStore): CostGuards {
  const maxN = positive('maxN', options.maxN, COST_GUARD_DEFAULTS.maxN)!;
  const maxTokens = positive('maxTokens', options.maxTokens, COST_GUARD_DEFAULTS.maxTokens)!;
  const maxPixels = positive('maxImagePixels', options.maxImagePixels, COST_GUARD_DEFAULTS.maxImagePixels)!;
  const budget = positive('dailyTokenBudget', options.dailyTokenBudget, undefined);
  const allowed = options.allowedModels?.length ? options.allowedModels : null;

  const checkModel = (model: unknown) => {
    if (allowed === null) return;
    const list = allowed.join(', ');
    if (typeof model !== 'string' || model === '') {
      throw new HttpApiError({
        status: 400,
        message: `This server accepts only these models: ${list}. Name one in 'model' (the server's PARLANCE_ALLOWED_MODELS, or costGuards.allowedModels, sets the list).`,
        param: 'model',
        code: 'model_not_allowed',
      });
    }
    if (!allowed.some((pattern) => modelMatches(pattern, model))) {
      throw new HttpApiError({
        status: 403,
        message: `The model '${model}' is not allowed on this server. Allowed: ${list} (set by PARLANCE_ALLOWED_MODELS, or costGuards.allowedModels).`,
        param: 'model',
        code: 'model_not_allowed',
      });
    }
  };

  const checkN = (n: unknown) => {
    if (typeof n === 'number' && n > maxN) {
      throw invalidRequest(
        `'n' is ${n}, above this server's limit of ${maxN}. Ask for at most ${maxN} (the server's PARLANCE_MAX_N, or costGuards.maxN, sets the limit).`,
        'n',
        'n_above_limit',
      );
    }
  };

  return {
    async admitChat(body, user) {
      checkModel(body.model);
      checkN(body.n);
      for (const param of ['max_tokens', 'max_completion_tokens'] as const) {
        const value = body[param];
        if (typeof value === 'number' && value > maxTokens) {
          throw invalidRequest(
            `'${param}' is ${value}, above this server's limit of ${maxTokens}. Ask for at most ${maxTokens} (the server's PARLANCE_MAX_TOKENS, or costGuards.maxTokens, sets the limit).`,
            param,
            'max_tokens_above_limit',
          );
        }
      }
      if (budget === undefined) return { body: undefined, captureUsage: false, onSettled: undefined };

      const model = body.model as string;
      let prompt: number;
      const estimated =
        stringLength([body.messages, body.tools], EXACT_COUNT_MAX_CHARS) > EXACT_COUNT_MAX_CHARS;
      try {
        prompt = estimated
          ? new TextEncoder().encode(JSON.stringify([body.messages, body.tools ?? null])).byteLength
          : await countChatTokens(body.messages as TokenMessage[], model, {
              tools: Array.isArray(body.tools) ? (body.tools as TokenTool[]) : undefined,
            });
      } catch {
        // The shapes were checked; what is left is a tool definition the counter cannot read.
        throw invalidRequest(
          "The prompt's tokens could not be counted for the daily token budget: check 'tools'.",
          'tools',
          'invalid_value',
        );
      }
      const replyLimit =
        (body.max_completion_tokens as number | undefined) ??
        (body.max_tokens as number | undefined) ??
        maxTokens;
      const reserve = prompt + ((body.n as number | undefined) ?? 1) * replyLimit;
      const { day, secondsLeft } = utcDay(Date.now());
      const key = `budget:tokens:${day}:${user}`;
      const total = await store.increment(key, reserve, DAY_MS + 60 * 60 * 1000);
      if (total > budget) {
        await store.increment(key, -reserve, DAY_MS + 60 * 60 * 1000);
        const used = total - reserve;
        throw new HttpApiError({
          status: 429,
          type: 'insufficient_quota',
          code: 'insufficient_quota',
          message: `This request needs up to ${reserve} tokens (${prompt} prompt + ${replyLimit} reply${(body.n as number | undefined) && (body.n as number) > 1 ? ` × ${body.n as number}` : ''}), and ${Math.max(0, used)} of this user's ${budget} tokens for today are used. The budget resets at 00:00 UTC; ask for fewer tokens with 'max_tokens', or raise the server's PARLANCE_DAILY_TOKEN_BUDGET (costGuards.dailyTokenBudget).`,
          headers: { 'retry-after': String(secondsLeft) },
        });
      }

      let forwarded: Uint8Array | undefined;
      if (body.stream === true) {
        const options = (body.stream_options as Json | null | undefined) ?? {};
        if (options.include_usage !== true) {
          forwarded = new TextEncoder().encode(
            JSON.stringify({ ...body, stream_options: { ...options, include_usage: true } }),
          );
        }
      }
      const onSettled = ({ ok, usage }: ForwardOutcome) => {
        let charge = reserve;
        if (!ok) charge = 0;
        else if (usage) {
          const completion =
            usage.completion_tokens ??
            (usage.total_tokens !== undefined
              ? usage.total_tokens - (usage.prompt_tokens ?? prompt)
              : undefined);
          // A prompt too long to count here was reserved at its size: the upstream's count settles it.
          const counted =
            estimated && typeof usage.prompt_tokens === 'number' && Number.isFinite(usage.prompt_tokens)
              ? Math.max(0, usage.prompt_tokens)
              : prompt;
          if (completion !== undefined && Number.isFinite(completion))
            charge = counted + Math.max(0, completion);
        }
        if (charge !== reserve)
          void store.increment(key, charge - reserve, DAY_MS + 60 * 60 * 1000).catch(() => undefined);
      };
      return { body: forwarded, captureUsage: true, onSettled };
    },

    checkImage(operation, { model, n, size }) {
      checkModel(model);
      checkN(n);
      if (typeof size !== 'string' || size === '') return;
      const name = typeof model === 'string' ? model : '';
      const known = IMAGE_SIZES.find((entry) => entry.model.test(name));
      const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
      const [width, height] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
      if (known) {
        if (operation === 'variation' && name !== 'dall-e-2') return; // the upstream refuses the model itself
        if (known.sizes.includes(size)) return;
        const long = Math.max(width, height);
        const short = Math.min(width, height);
        if (
          known.free &&
          match &&
          width % 16 === 0 &&
          height % 16 === 0 &&
          short > 0 &&
          long <= 3 * short &&
          long <= 3840 &&
          width * height <= GPT_IMAGE_2_MAX_PIXELS
        )
          return;
        const rule = known.free
          ? ` or WIDTHxHEIGHT with both sides divisible by 16, an aspect ratio within 3:1 and at most 3840x2160`
          : '';
        throw invalidRequest(
          `'${size}' is not a size ${name} takes. Use one of ${known.sizes.join(', ')}${rule}.`,
          'size',
          'image_size_not_allowed',
        );
      }
      if (size === 'auto') return;
      if (!match || width * height > maxPixels || width === 0 || height === 0) {
        throw invalidRequest(
          `'${size}' is above this server's limit of ${maxPixels} pixels for ${name || 'this model'}. Ask for a smaller WIDTHxHEIGHT (the server's PARLANCE_MAX_IMAGE_PIXELS, or costGuards.maxImagePixels, sets the limit).`,
          'size',
          'image_size_not_allowed',
        );
      }
    },
  };
}
