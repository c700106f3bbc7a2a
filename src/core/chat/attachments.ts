import { ParlanceError } from '../errors';
import { ImageValidationError } from '../images/errors';
import { prepareVisionImage, type PrepareVisionImageOptions } from '../images/prepare-vision';
import { brand, hasMarker } from '../internal/brand';
import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartFile,
  ChatCompletionContentPartText,
} from '../wire/chat';

/** What a file becomes in a message: an image part, a text part with its name, or a `file` part. */
export type AttachmentKind = 'image' | 'text' | 'pdf';

/** Why a file was not attached. */
export type AttachmentErrorCode =
  /** Not an image, a text file or a PDF. */
  | 'unsupported-type'
  /** A kind this composer does not take (images or files are off). */
  | 'kind-not-allowed'
  /** A PDF, and the model does not read PDFs. */
  | 'pdf-not-accepted'
  /** Larger than the limit for its kind. */
  | 'too-large'
  /** A text file that is not UTF-8 text (binary, or another encoding). */
  | 'not-text'
  /** An image that could not be decoded or made small enough. */
  | 'image-failed'
  /** The file could not be read. */
  | 'unreadable'
  /** More files than one message may carry (the composer's `maxAttachments`). */
  | 'too-many';

/**
 * A file the user picked could not be attached. `fileName` names it and `code` says why, for a
 * message in the app's own words; the message itself names the file too.
 *
 * @example
 * ```ts
 * try { part = await prepareAttachment(file) }
 * catch (e) { if (AttachmentError.isInstance(e)) show(`${e.fileName}: ${e.code}`) }
 * ```
 */
export class AttachmentError extends ParlanceError {
  override readonly name = 'AttachmentError';
  readonly code: AttachmentErrorCode;
  /** The file's name, as the user knows it. */
  readonly fileName: string;
  /** What the file would have become, when that is known (`null` for an unsupported type). */
  readonly kind: AttachmentKind | null;
  /** The limit that was passed, for `too-large`. */
  readonly maxBytes: number | undefined;

  constructor(
    code: AttachmentErrorCode,
    fileName: string,
    message: string,
    options?: { cause?: unknown; maxBytes?: number; kind?: AttachmentKind | null },
  ) {
    super(`"${fileName}" was not attached: ${message}`, options);
    this.code = code;
    this.fileName = fileName;
    this.kind = options?.kind ?? null;
    this.maxBytes = options?.maxBytes;
  }

  static override isInstance(error: unknown): error is AttachmentError {
    return hasMarker(error, ATTACHMENT_MARKER);
  }
}
const ATTACHMENT_MARKER = brand(AttachmentError, 'AttachmentError');

const TEXT_TYPES = new Set([
  'application/json',
  'application/ld+json',
  'application/x-ndjson',
  'application/xml',
  'application/javascript',
  'application/typescript',
  'application/x-javascript',
  'application/x-typescript',
  'application/x-sh',
  'application/x-python',
  'application/x-yaml',
  'application/yaml',
  'application/toml',
  'application/sql',
  'application/graphql',
]);

/** File name extensions read as text (prose, data and source code), lower case. */
export const TEXT_FILE_EXTENSIONS: readonly string[] = [
  // prose and data
  'txt', 'text', 'md', 'markdown', 'mdx', 'rst', 'adoc', 'org', 'tex', 'log',
  'csv', 'tsv', 'json', 'jsonl', 'ndjson', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'env',
  'xml', 'html', 'htm', 'svg', 'css', 'scss', 'sass', 'less', 'sql', 'graphql', 'gql', 'proto',
  // source code
  'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'vue', 'svelte', 'astro',
  'py', 'pyi', 'rb', 'php', 'pl', 'pm', 'lua', 'r', 'jl', 'ex', 'exs', 'erl', 'hs', 'ml', 'mli',
  'clj', 'cljs', 'scala', 'kt', 'kts', 'java', 'groovy', 'gradle', 'go', 'rs', 'c', 'h', 'cc',
  'cpp', 'cxx', 'hpp', 'hh', 'cs', 'fs', 'swift', 'm', 'mm', 'dart', 'zig', 'nim', 'sol',
  'sh', 'bash', 'zsh', 'fish', 'ps1', 'bat', 'cmd', 'mk', 'cmake', 'tf', 'hcl', 'nix',
  'dockerfile', 'gitignore', 'editorconfig', 'diff', 'patch',
]; // prettier-ignore
const TEXT_EXTENSIONS = new Set(TEXT_FILE_EXTENSIONS);
const TEXT_NAMES = new Set(['dockerfile', 'makefile', 'license', 'readme', 'gemfile', 'procfile']);
const IMAGE_TYPES = /^image\/(png|jpe?g|webp|gif|bmp|avif|heic|heif|tiff|x-icon|vnd\.microsoft\.icon)$/;
const IMAGE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'webp',
  'gif',
  'bmp',
  'avif',
  'heic',
  'heif',
  'tif',
  'tiff',
]);

function extension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot === -1 ? base : base.slice(dot + 1);
}

/**
 * What a file becomes when attached, by its type and, when the browser gives no useful type, by
 * its name: `'image'`, `'text'` (plain text, markdown, CSV, JSON, source code), `'pdf'`, or
 * `null` for anything else. SVG is text: it is markup, not an image a vision model takes.
 *
 * @example
 * classifyFile({ name: 'notes.md', type: '' }) // 'text'
 */
export function classifyFile(file: { name: string; type: string }): AttachmentKind | null {
  const type = file.type.toLowerCase().split(';')[0]!.trim();
  const ext = extension(file.name);
  if (type === 'application/pdf' || (ext === 'pdf' && (type === '' || type === 'application/octet-stream'))) {
    return 'pdf';
  }
  if (type === 'image/svg+xml') return 'text';
  if (IMAGE_TYPES.test(type)) return 'image';
  if (type.startsWith('text/') || TEXT_TYPES.has(type) || /\+(json|xml)$/.test(type)) return 'text';
  if (type === '' || type === 'application/octet-stream') {
    if (IMAGE_EXTENSIONS.has(ext)) return 'image';
    if (TEXT_EXTENSIONS.has(ext) || TEXT_NAMES.has(ext)) return 'text';
  }
  // A browser's guess for a source file is often odd (`.ts` as video/mp2t): trust a known extension.
  if (TEXT_EXTENSIONS.has(ext) && !type.startsWith('image/') && !type.startsWith('audio/')) return 'text';
  return null;
}

/**
 * Models that read PDFs in a `file` part: OpenAI's vision models (the gpt-4o family, gpt-4.1,
 * gpt-5, o1, o3, o4-mini). Other models get the PDF refused before sending; pass `allowPdf` to
 * override for a server that reads them.
 */
const PDF_MODELS = /^(chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1(?!-mini)|o3(?!-mini)|o4-mini)/i;

/**
 * Whether `model` reads PDF `file` parts. Unknown model names (a local server's) are `false`, as
 * is no model; the gpt-4o family and later OpenAI vision models are `true`.
 *
 * @example
 * modelAcceptsPdf('gpt-4o-mini') // true
 * modelAcceptsPdf('gpt-3.5-turbo') // false
 */
export function modelAcceptsPdf(model: string | null | undefined): boolean {
  if (!model) return false;
  return PDF_MODELS.test(model.replace(/^(openai\/|ft:)/, ''));
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|quot|lt|gt);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'quot' ? '"' : name === 'lt' ? '<' : '>',
  );
}

const FILE_TEXT = /^<file name="([^"]*)">\n([\s\S]*)\n<\/file>$/;

/**
 * The text part a text file becomes: its content between `<file name="…">` and `</file>`, so the
 * model knows its name and where it ends, and the message list can show it as a file.
 *
 * @example
 * textFilePart('notes.md', '# Hi') // { type: 'text', text: '<file name="notes.md">\n# Hi\n</file>' }
 */
export function textFilePart(name: string, text: string): ChatCompletionContentPartText {
  return { type: 'text', text: `<file name="${escapeAttribute(name)}">\n${text}\n</file>` };
}

/** A file a message carries, as the message list shows it. */
export interface MessageFile {
  name: string;
  kind: 'text' | 'pdf';
  /** The text of a text file. */
  text?: string;
}

/**
 * The file a content part carries (a text file's part from {@link textFilePart}, or a `file`
 * part), or `undefined` for any other part.
 */
export function partFile(part: ChatCompletionContentPart): MessageFile | undefined {
  if (part.type === 'file') return { name: part.file.filename ?? 'file.pdf', kind: 'pdf' };
  if (part.type !== 'text') return undefined;
  const match = FILE_TEXT.exec(part.text);
  return match ? { name: unescapeAttribute(match[1]!), kind: 'text', text: match[2]! } : undefined;
}

/** Options of {@link prepareAttachment}. */
export interface PrepareAttachmentOptions {
  /** Take images. Default: true. */
  allowImages?: boolean;
  /** Take text files and PDFs. Default: true. */
  allowFiles?: boolean;
  /** The model the message goes to: PDFs are taken when it reads them ({@link modelAcceptsPdf}). */
  model?: string | null;
  /** Take PDFs whatever the model (true) or never (false). Default: by `model`. */
  allowPdf?: boolean;
  /** The largest text file, in bytes. Default 512 KB. */
  maxTextBytes?: number;
  /** The largest PDF, in bytes. Default 10 MB. */
  maxPdfBytes?: number;
  /** How images are prepared (longest side 2048, at most 2 MB by default). */
  image?: PrepareVisionImageOptions;
}

/** A prepared attachment: the content part to send, and what it is. */
export interface PreparedAttachment {
  kind: AttachmentKind;
  part: ChatCompletionContentPart;
  /** The prepared image's size, for images. */
  size?: { width: number; height: number };
}

const MAX_TEXT_BYTES = 512 * 1024;
const MAX_PDF_BYTES = 10 * 1024 * 1024;

function readError(file: File, cause: unknown): AttachmentError {
  return new AttachmentError('unreadable', file.name, 'the file could not be read', { cause });
}

async function readBytes(file: File): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (cause) {
    throw readError(file, cause);
  }
}

/** Base64 of bytes, in chunks (a spread of millions of bytes overflows the call stack). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * The checks {@link prepareAttachment} makes before reading a file, at once: what the file will
 * become, or the {@link AttachmentError} that refuses it (its type, a kind not allowed, a PDF the
 * model does not read, a text file or PDF over its size limit). A UI shows a refusal right away.
 */
export function checkAttachment(
  file: { name: string; type: string; size: number },
  options: PrepareAttachmentOptions = {},
): AttachmentKind | AttachmentError {
  const kind = classifyFile(file);
  if (kind === null) {
    return new AttachmentError(
      'unsupported-type',
      file.name,
      `${file.type || 'this type of file'} is not an image, a text file or a PDF`,
    );
  }
  if (kind === 'image' ? options.allowImages === false : options.allowFiles === false) {
    return new AttachmentError(
      'kind-not-allowed',
      file.name,
      `${kind === 'image' ? 'images' : 'text files and PDFs'} are not accepted here`,
      { kind },
    );
  }
  if (kind === 'pdf' && !(options.allowPdf ?? modelAcceptsPdf(options.model))) {
    return new AttachmentError(
      'pdf-not-accepted',
      file.name,
      options.model ? `${options.model} does not read PDF files` : 'the model does not read PDF files',
    );
  }
  const maxBytes =
    kind === 'text'
      ? (options.maxTextBytes ?? MAX_TEXT_BYTES)
      : kind === 'pdf'
        ? (options.maxPdfBytes ?? MAX_PDF_BYTES)
        : Infinity;
  if (file.size > maxBytes) {
    return new AttachmentError('too-large', file.name, `it is ${file.size} bytes; the limit is ${maxBytes}`, {
      maxBytes,
    });
  }
  return kind;
}

/**
 * Turns a file the user picked into the content part a chat message sends, or throws an
 * {@link AttachmentError} naming the file and saying why not:
 * - images are prepared for vision models ({@link prepareVisionImage}: longest side ≤ 2048, ≤ 2 MB,
 *   PNG, JPEG or WebP) and sent inline as `image_url` parts;
 * - text files (plain text, markdown, CSV, JSON, source code) become text parts with their name
 *   ({@link textFilePart}); they must be UTF-8 and at most `maxTextBytes`;
 * - PDFs become `file` parts (`file_data` a `data:application/pdf;base64,…` URL) for models that
 *   read them.
 *
 * @example
 * ```ts
 * const { part } = await prepareAttachment(file, { model: 'gpt-4o' });
 * chat.send([{ type: 'text', text: 'Summarise this' }, part]);
 * ```
 */
export async function prepareAttachment(
  file: File,
  options: PrepareAttachmentOptions = {},
): Promise<PreparedAttachment> {
  const checked = checkAttachment(file, options);
  if (checked instanceof AttachmentError) throw checked;
  const kind = checked;
  if (kind === 'image') {
    try {
      const prepared = await prepareVisionImage(file, options.image);
      const url = `data:${prepared.type};base64,${toBase64(new Uint8Array(await prepared.blob.arrayBuffer()))}`;
      return {
        kind,
        part: { type: 'image_url', image_url: { url } },
        size: { width: prepared.width, height: prepared.height },
      };
    } catch (cause) {
      if (options.image?.signal?.aborted) throw cause;
      const reason = ImageValidationError.isInstance(cause)
        ? cause.message
        : 'the image could not be prepared';
      throw new AttachmentError('image-failed', file.name, reason, { cause });
    }
  }
  if (kind === 'text') {
    const bytes = await readBytes(file);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch (cause) {
      throw new AttachmentError('not-text', file.name, 'it is not UTF-8 text', { cause });
    }
    if (text.includes('\0'))
      throw new AttachmentError('not-text', file.name, 'it is not text (it has NUL bytes)');
    return { kind, part: textFilePart(file.name, text.replace(/\r\n?/g, '\n')) };
  }
  const bytes = await readBytes(file);
  if (String.fromCharCode(...bytes.subarray(0, 5)) !== '%PDF-') {
    throw new AttachmentError('unsupported-type', file.name, 'it is named a PDF but is not one');
  }
  const part: ChatCompletionContentPartFile = {
    type: 'file',
    file: { filename: file.name, file_data: `data:application/pdf;base64,${toBase64(bytes)}` },
  };
  return { kind, part };
}
