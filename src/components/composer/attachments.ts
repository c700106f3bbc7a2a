import type {
  AttachmentError,
  AttachmentKind,
  ChatCompletionContentPart,
  ChatMessageContent,
} from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';

/** A file the user attached to the draft. */
export interface ComposerAttachment {
  id: string;
  file: File;
  /** What the file becomes: an image part, a text part with its name, or a PDF `file` part. */
  kind: AttachmentKind;
  /** An object URL for an image's preview; revoked when the attachment is removed. */
  previewUrl?: string;
  /** `preparing` while an image is scaled or a file read; `ready` once `part` is set. */
  status: 'preparing' | 'ready';
  /** The content part as it will be sent (the prepared image, the file's text), once ready. */
  part?: ChatCompletionContentPart;
}

/** A file that was not attached, and why. */
export interface ComposerNotice {
  id: string;
  error: AttachmentError;
}

let counter = 0;

export function nextAttachmentId(): string {
  counter += 1;
  return `attachment-${counter}`;
}

export function toAttachment(file: File, kind: AttachmentKind): ComposerAttachment {
  return {
    id: nextAttachmentId(),
    file,
    kind,
    previewUrl: kind === 'image' ? URL.createObjectURL(file) : undefined,
    status: 'preparing',
  };
}

/**
 * The message the draft sends: the text alone, or the text then each ready attachment's part.
 * The composer sends it and the chat window counts it, so both see the same content.
 */
export function draftContent(text: string, attachments: readonly ComposerAttachment[]): ChatMessageContent {
  const parts = attachments.flatMap((a) => (a.part ? [a.part] : []));
  if (parts.length === 0) return text;
  return [...(text ? [{ type: 'text' as const, text }] : []), ...parts];
}

/** A number of bytes as the locale writes it (`512 kB`, `2 MB`). */
function formatBytes(bytes: number, locale: string): string {
  const [unit, value] = bytes >= 1024 * 1024 ? ['megabyte', bytes / 1024 / 1024] : ['kilobyte', bytes / 1024];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/** The sentence a refused file shows: its name and, in the locale's words, why. */
export function refusalText(
  error: AttachmentError,
  strings: ChatStrings,
  locale: string,
  maxAttachments: number,
): string {
  let reason: string;
  switch (error.code) {
    case 'unsupported-type':
      reason = strings.refusedUnsupported;
      break;
    case 'kind-not-allowed':
      reason = error.kind === 'image' ? strings.refusedImagesOff : strings.refusedFilesOff;
      break;
    case 'pdf-not-accepted':
      reason = strings.refusedPdf;
      break;
    case 'too-large':
      reason = format(strings.refusedTooLarge, { max: formatBytes(error.maxBytes ?? 0, locale) });
      break;
    case 'not-text':
      reason = strings.refusedNotText;
      break;
    case 'image-failed':
      reason = strings.refusedImageFailed;
      break;
    case 'too-many':
      reason = format(strings.refusedTooMany, { max: String(maxAttachments) });
      break;
    default:
      reason = strings.refusedUnreadable;
  }
  return format(strings.attachmentRefused, { name: error.fileName, reason });
}
