import {
  EmptyPromptError,
  ImageCountError,
  ImageSizeNotAllowedError,
  PromptTooLongError,
} from '../../core/images/errors';
import {
  DEFAULT_IMAGE_MODEL,
  checkImageCount,
  checkImagePrompt,
  checkImageSize,
  getImageModelInfo,
  type ImageOperation,
} from '../../core/images/models';
import type { ChatCompletionRequest } from '../../core/wire/chat';
import { invalidRequest, type HttpApiError } from './errors';

type Json = Record<string, unknown>;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** The largest image file the images endpoints take: 4 MB, as the API documents. */
export const MAX_IMAGE_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The largest image the edits and variations endpoints take, checked from the PNG header before
 * anything decodes it. The API documents no input dimensions, only output ones: the largest is
 * `3840x2160` ("the maximum supported resolution is `3840x2160`", GPT image sizes in
 * openapi.yaml; DALL·E 2 edits and variations go up to `1024x1024`). No model accepts an image
 * with a side over 3,840 pixels or more than 3840×2160 pixels, so such an upload is refused here,
 * in offline and proxy mode alike: a 100 KB PNG can claim 8192×8192 and take gigabytes to decode.
 */
export const MAX_IMAGE_EDGE = 3840;
/** The most pixels an uploaded image may have: 3840×2160 (see {@link MAX_IMAGE_EDGE}). */
export const MAX_IMAGE_PIXELS = 3840 * 2160;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG header fields that size its pixels (IHDR). */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

/** Whether `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Reads a PNG's IHDR (the chunk that must come first, right after the signature): the
 * dimensions, without decoding anything. `undefined` when `bytes` are not a PNG or the header is
 * cut short or not IHDR.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader | undefined {
  if (!isPng(bytes) || bytes.length < 33) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(8);
  const type = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (type !== 'IHDR' || length !== 13) return undefined;
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: bytes[24]!,
    colorType: bytes[25]!,
    interlace: bytes[28]!,
  };
}

/**
 * Refuses a PNG whose header declares dimensions beyond `maxEdge` per side or `maxPixels` in all
 * (default: what any model accepts; `who` opens the limit in the message), or a PNG whose header
 * cannot be read. Anything that is not a
 * PNG passes: the offline engine refuses it when decoding, an upstream judges its own formats.
 */
export function checkImageDimensions(
  bytes: Uint8Array,
  param: string,
  maxEdge = MAX_IMAGE_EDGE,
  maxPixels = MAX_IMAGE_PIXELS,
  who = 'images may be',
): PngHeader | undefined {
  if (!isPng(bytes)) return undefined;
  const header = readPngHeader(bytes);
  if (!header || header.width === 0 || header.height === 0) {
    throw invalidRequest(
      `Invalid input image - the '${param}' PNG has no valid IHDR header.`,
      param,
      'invalid_image',
    );
  }
  const { width, height } = header;
  if (width > maxEdge || height > maxEdge || width * height > maxPixels) {
    throw invalidRequest(
      `Invalid input image - the '${param}' is ${width}x${height}; ${who} at most ${maxEdge} pixels on a side and ${maxPixels.toLocaleString('en')} pixels in all.`,
      param,
      'image_dimensions_too_large',
    );
  }
  return header;
}

/** Parses a JSON request body, with OpenAI's 400 when it is not a JSON object. */
export function parseJsonObject(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      null,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('The request body must be a JSON object.', null);
  }
  return value as Json;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function optionalNumber(body: Json, param: string, min: number, max: number, integer = false): void {
  const value = body[param];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw invalidRequest(
      `Invalid type for '${param}': expected ${integer ? 'an integer' : 'a number'}, but got ${typeName(value)} instead.`,
      param,
      'invalid_type',
    );
  }
  if (value < min || value > max) {
    const bound = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
    throw invalidRequest(`Invalid '${param}': ${value}. Expected a value ${bound}.`, param, 'invalid_value');
  }
}

function validateContent(content: unknown, param: string, role: string): void {
  if (typeof content === 'string') return;
  if (content === null && role === 'assistant') return;
  if (!Array.isArray(content)) {
    throw invalidRequest(
      `Invalid type for '${param}': expected one of a string or array of objects, but got ${typeName(content)} instead.`,
      param,
      'invalid_type',
    );
  }
  content.forEach((part: unknown, i) => {
    const at = `${param}[${i}]`;
    if (typeof part !== 'object' || part === null) {
      throw invalidRequest(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
    }
    const { type } = part as Json;
    if (type === 'text') {
      if (typeof (part as Json).text !== 'string') {
        throw invalidRequest(
          `Missing required parameter: '${at}.text'.`,
          `${at}.text`,
          'missing_required_parameter',
        );
      }
    } else if (type === 'image_url' && role === 'user') {
      const image = (part as Json).image_url as Json | undefined;
      if (typeof image?.url !== 'string') {
        throw invalidRequest(
          `Missing required parameter: '${at}.image_url.url'.`,
          `${at}.image_url.url`,
          'missing_required_parameter',
        );
      }
    } else if (type === 'file' && role === 'user') {
      const file = (part as Json).file as Json | undefined;
      if (typeof file?.file_data !== 'string' && typeof file?.file_id !== 'string') {
        throw invalidRequest(
          `Missing required parameter: '${at}.file.file_data'.`,
          `${at}.file.file_data`,
          'missing_required_parameter',
        );
      }
    } else {
      throw invalidRequest(
        `Invalid value: '${String(type)}'. Supported values are: 'text', 'image_url' and 'file'.`,
        `${at}.type`,
        'invalid_value',
      );
    }
  });
}

function requireString(value: unknown, param: string): void {
  if (value === undefined) {
    throw invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  if (typeof value !== 'string') {
    throw invalidRequest(
      `Invalid type for '${param}': expected a string, but got ${typeName(value)} instead.`,
      param,
      'invalid_type',
    );
  }
}

/**
 * An assistant message's `tool_calls`, as the API's schema says: an array of function calls
 * (`{id, type: 'function', function: {name, arguments}}`) or custom tool calls
 * (`{id, type: 'custom', custom: {name, input}}`), every field a string.
 */
function validateToolCalls(toolCalls: unknown, at: string): void {
  const param = `${at}.tool_calls`;
  if (!Array.isArray(toolCalls)) {
    throw invalidRequest(
      `Invalid type for '${param}': expected an array of objects, but got ${typeName(toolCalls)} instead.`,
      param,
      'invalid_type',
    );
  }
  toolCalls.forEach((call: unknown, j) => {
    const here = `${param}[${j}]`;
    if (typeof call !== 'object' || call === null || Array.isArray(call)) {
      throw invalidRequest(
        `Invalid type for '${here}': expected an object, but got ${typeName(call)} instead.`,
        here,
        'invalid_type',
      );
    }
    const { id, type } = call as Json;
    requireString(id, `${here}.id`);
    if (type !== 'function' && type !== 'custom') {
      throw invalidRequest(
        `Invalid value: '${String(type)}'. Supported values are: 'function' and 'custom'.`,
        `${here}.type`,
        'invalid_value',
      );
    }
    const body = (call as Json)[type];
    const fields = type === 'function' ? ['name', 'arguments'] : ['name', 'input'];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidRequest(
        body === undefined
          ? `Missing required parameter: '${here}.${type}'.`
          : `Invalid type for '${here}.${type}': expected an object, but got ${typeName(body)} instead.`,
        `${here}.${type}`,
        body === undefined ? 'missing_required_parameter' : 'invalid_type',
      );
    }
    for (const name of fields) requireString((body as Json)[name], `${here}.${type}.${name}`);
  });
}

/**
 * `tool_choice` and `parallel_tool_calls`, as far as a request can be judged without knowing the
 * model: a mode the API does not have, a named function without a name or that `tools` does
 * not define, or a `parallel_tool_calls` that is not a boolean is a 400.
 */
function validateToolChoice(body: Json): void {
  const parallel = body.parallel_tool_calls;
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean') {
    throw invalidRequest(
      `Invalid type for 'parallel_tool_calls': expected a boolean, but got ${typeName(parallel)} instead.`,
      'parallel_tool_calls',
      'invalid_type',
    );
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return;
  if (typeof choice === 'string') {
    if (choice === 'none' || choice === 'auto' || choice === 'required') return;
    throw invalidRequest(
      `Invalid value: '${choice}'. Supported values are: 'none', 'auto' and 'required'.`,
      'tool_choice',
      'invalid_value',
    );
  }
  if (typeof choice !== 'object' || Array.isArray(choice)) {
    throw invalidRequest(
      `Invalid type for 'tool_choice': expected a string or an object, but got ${typeName(choice)} instead.`,
      'tool_choice',
      'invalid_type',
    );
  }
  if ((choice as Json).type !== 'function') return;
  const fn = (choice as Json).function;
  const name = typeof fn === 'object' && fn !== null ? (fn as Json).name : undefined;
  requireString(name, 'tool_choice.function.name');
  const tools = Array.isArray(body.tools) ? (body.tools as unknown[]) : [];
  const defined = tools.some((tool) => {
    const f = typeof tool === 'object' && tool !== null ? (tool as Json).function : undefined;
    return typeof f === 'object' && f !== null && (f as Json).name === name;
  });
  if (!defined) {
    throw invalidRequest(
      `Invalid value for 'tool_choice': no function named '${String(name)}' is defined in 'tools'.`,
      'tool_choice',
      'invalid_value',
    );
  }
}

/**
 * Checks a `POST /chat/completions` body the way the API does, and returns it typed. Throws a
 * 400 {@link HttpApiError} whose `param` names the field at fault (`messages[2].role`, `temperature`…).
 */
export function validateChatRequest(body: Json): ChatCompletionRequest {
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalidRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
  }
  const { messages } = body;
  if (!Array.isArray(messages)) {
    throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (messages.length === 0) {
    throw invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw invalidRequest(
        `Invalid type for '${at}': expected an object, but got ${typeName(message)} instead.`,
        at,
        'invalid_type',
      );
    }
    const { role, content, name, tool_calls: toolCalls, tool_call_id: toolCallId } = message as Json;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw invalidRequest(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.`,
        `${at}.role`,
        'invalid_value',
      );
    }
    if (content === undefined && role !== 'assistant') {
      throw invalidRequest(
        `Missing required parameter: '${at}.content'.`,
        `${at}.content`,
        'missing_required_parameter',
      );
    }
    if (content !== undefined) validateContent(content, `${at}.content`, role);
    if (name !== undefined && typeof name !== 'string') {
      throw invalidRequest(`Invalid type for '${at}.name': expected a string.`, `${at}.name`, 'invalid_type');
    }
    if (role === 'assistant' && toolCalls !== undefined && toolCalls !== null) {
      validateToolCalls(toolCalls, at);
    }
    if (role === 'tool') requireString(toolCallId, `${at}.tool_call_id`);
  });
  optionalNumber(body, 'temperature', 0, 2);
  optionalNumber(body, 'top_p', 0, 1);
  optionalNumber(body, 'presence_penalty', -2, 2);
  optionalNumber(body, 'frequency_penalty', -2, 2);
  optionalNumber(body, 'max_tokens', 1, Number.MAX_SAFE_INTEGER, true);
  optionalNumber(body, 'max_completion_tokens', 1, Number.MAX_SAFE_INTEGER, true);
  optionalNumber(body, 'n', 1, 128, true);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw invalidRequest(
      `Invalid type for 'stream': expected a boolean, but got ${typeName(body.stream)} instead.`,
      'stream',
      'invalid_type',
    );
  }
  if (body.stream_options !== undefined && body.stream_options !== null) {
    if (body.stream !== true) {
      throw invalidRequest(
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        'stream_options',
        'invalid_value',
      );
    }
    if (typeof body.stream_options !== 'object') {
      throw invalidRequest(
        "Invalid type for 'stream_options': expected an object.",
        'stream_options',
        'invalid_type',
      );
    }
  }
  validateToolChoice(body);
  const { stop } = body;
  if (stop !== undefined && stop !== null && typeof stop !== 'string') {
    if (!Array.isArray(stop) || stop.length > 4 || stop.some((s) => typeof s !== 'string')) {
      throw invalidRequest(
        "Invalid 'stop': expected a string or an array of at most 4 strings.",
        'stop',
        'invalid_value',
      );
    }
  }
  return body as unknown as ChatCompletionRequest;
}

/** The fields common to the three images endpoints, checked and with defaults applied. */
export interface ImageRequestFields {
  model: string;
  /** Absent for variations. */
  prompt: string | undefined;
  n: number;
  /** `WxH`; `auto` resolves to 1024x1024. */
  size: string;
  width: number;
  height: number;
  responseFormat: 'url' | 'b64_json';
}

/**
 * How to check an image model the table does not know: `default` applies the API's default
 * model's rules (offline mode, which draws any model the same way); `generic` only the API's
 * generic limits (a proxy, whose upstream may serve models of its own).
 */
export type UnknownImageModelRules = 'default' | 'generic';

const GENERIC_IMAGE_MODEL = { sizes: {}, maxN: 10, maxPromptLength: 32_000, supportsUrl: true } as const;

function sizeNotAllowed(size: string, allowed: readonly string[]): HttpApiError {
  return invalidRequest(
    `'${size}' is not one of [${allowed.map((s) => `'${s}'`).join(', ')}] - 'size'`,
    'size',
    'invalid_value',
  );
}

/**
 * Runs one of the core's image checks (src/core/images/models.ts, the rules the kit applies
 * before sending) and answers its failure as the API does: a 400 naming the parameter.
 */
function asApiError(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (PromptTooLongError.isInstance(error)) {
      throw invalidRequest(
        `Invalid 'prompt': string too long. Expected a string with maximum length ${error.maxLength}, but got a string with length ${error.length} instead.`,
        'prompt',
        'string_above_max_length',
      );
    }
    if (ImageCountError.isInstance(error)) {
      throw invalidRequest(
        error.n < error.min
          ? `Invalid 'n': ${error.n}. Expected a value greater than or equal to ${error.min}.`
          : `Invalid 'n': ${error.n}. Expected a value less than or equal to ${error.max}.`,
        'n',
        'invalid_value',
      );
    }
    if (ImageSizeNotAllowedError.isInstance(error)) throw sizeNotAllowed(error.size, error.allowed);
    if (EmptyPromptError.isInstance(error)) {
      throw invalidRequest("Invalid 'prompt': empty string.", 'prompt', 'empty_string');
    }
    throw error;
  }
}

function checkImageFields(
  operation: ImageOperation,
  raw: { model?: unknown; prompt?: unknown; n?: unknown; size?: unknown; response_format?: unknown },
  unknown: UnknownImageModelRules,
): ImageRequestFields {
  const model = raw.model ?? DEFAULT_IMAGE_MODEL;
  if (typeof model !== 'string' || model === '')
    throw invalidRequest("Invalid type for 'model': expected a string.", 'model', 'invalid_type');
  const known = getImageModelInfo(model);
  const info =
    known ?? (unknown === 'default' ? getImageModelInfo(DEFAULT_IMAGE_MODEL)! : GENERIC_IMAGE_MODEL);
  const anySize = !known && unknown === 'generic';

  let prompt: string | undefined;
  if (operation !== 'variation') {
    if (raw.prompt === undefined || raw.prompt === null || raw.prompt === '') {
      throw invalidRequest("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
    }
    if (typeof raw.prompt !== 'string')
      throw invalidRequest("Invalid type for 'prompt': expected a string.", 'prompt', 'invalid_type');
    const text = raw.prompt;
    asApiError(() => checkImagePrompt(text, model, info.maxPromptLength));
    prompt = text;
  }

  let n = 1;
  if (raw.n !== undefined && raw.n !== null && raw.n !== '') {
    const value = typeof raw.n === 'string' ? Number(raw.n) : raw.n;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw invalidRequest("Invalid type for 'n': expected an integer.", 'n', 'invalid_type');
    }
    asApiError(() => checkImageCount(value, model, info.maxN));
    n = value;
  }

  const allowed: readonly string[] =
    (info.sizes as Partial<Record<ImageOperation, readonly string[]>>)[operation] ?? [];
  let size = '1024x1024';
  if (raw.size !== undefined && raw.size !== null && raw.size !== '') {
    // A model the table does not know, behind a proxy: any well-formed size (the API's limit).
    if (typeof raw.size !== 'string' || (anySize && !/^(\d{2,5}x\d{2,5}|auto)$/.test(raw.size))) {
      throw sizeNotAllowed(String(raw.size), allowed);
    }
    const sent = raw.size;
    if (!anySize) asApiError(() => checkImageSize(sent, model, allowed));
    size = sent === 'auto' ? '1024x1024' : sent;
  }
  const [width, height] = size.split('x').map(Number) as [number, number];

  let responseFormat: 'url' | 'b64_json' = info.supportsUrl ? 'url' : 'b64_json';
  if (raw.response_format !== undefined && raw.response_format !== null && raw.response_format !== '') {
    if (raw.response_format !== 'url' && raw.response_format !== 'b64_json') {
      throw invalidRequest(
        `'${String(raw.response_format)}' is not one of ['url', 'b64_json'] - 'response_format'`,
        'response_format',
        'invalid_value',
      );
    }
    if (raw.response_format === 'url' && !info.supportsUrl) {
      throw invalidRequest(
        `Unknown parameter: 'response_format' is not supported by ${model}.`,
        'response_format',
        'unknown_parameter',
      );
    }
    responseFormat = raw.response_format;
  }
  return { model, prompt, n, size, width, height, responseFormat };
}

/** Checks a `POST /images/generations` body (JSON). */
export function validateImageGeneration(
  body: Json,
  unknown: UnknownImageModelRules = 'default',
): ImageRequestFields {
  return checkImageFields('generate', body, unknown);
}

/** An image edit or variation, read from its multipart form. */
export interface ImageUpload extends ImageRequestFields {
  image: Uint8Array;
  /** Edits only, when given. */
  mask: Uint8Array | undefined;
}

async function readFile(form: FormData, param: string, required: boolean): Promise<Uint8Array | undefined> {
  const entry = form.get(param);
  if (entry === null) {
    if (required)
      throw invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
    return undefined;
  }
  if (typeof entry === 'string') {
    throw invalidRequest(
      `Invalid type for '${param}': expected a file, but got a string instead.`,
      param,
      'invalid_type',
    );
  }
  if (entry.size > MAX_IMAGE_FILE_BYTES) {
    throw invalidRequest(
      `Invalid input image - image file size (${entry.size} bytes) exceeds 4 MB. Please provide a smaller image.`,
      param,
      'image_too_large',
    );
  }
  const bytes = new Uint8Array(await entry.arrayBuffer());
  checkImageDimensions(bytes, param);
  return bytes;
}

function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads and checks the multipart form of `POST /images/edits` or `/images/variations`: the
 * fields, and the files' presence, 4 MB limit and (for PNGs) their dimensions, read from the
 * header: see {@link MAX_IMAGE_EDGE}. Decoding and squareness are checked by whoever
 * reads the pixels (the offline engine; the upstream in proxy mode).
 */
export async function readImageForm(
  form: FormData,
  operation: 'edit' | 'variation',
  unknown: UnknownImageModelRules = 'default',
): Promise<ImageUpload> {
  const fields = checkImageFields(
    operation,
    {
      model: field(form, 'model'),
      prompt: form.get('prompt') ?? undefined,
      n: field(form, 'n'),
      size: field(form, 'size'),
      response_format: field(form, 'response_format'),
    },
    unknown,
  );
  const image = (await readFile(form, 'image', true))!;
  const mask = operation === 'edit' ? await readFile(form, 'mask', false) : undefined;
  return { ...fields, image, mask };
}
