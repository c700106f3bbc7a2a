import type { CompletionUsage } from '../wire/chat';
import { endingOf } from './ending';
import { ChatStorageError } from './storage';
import type { ChatMessage } from './types';

/** The marker and version written with every stored conversation. */
export const CHAT_FORMAT = 'parlance.chat';
export const CHAT_FORMAT_VERSION = 1;

/** A conversation as it is stored (version 1). */
export interface PersistedChat {
  format: typeof CHAT_FORMAT;
  version: typeof CHAT_FORMAT_VERSION;
  id: string;
  messages: ChatMessage[];
  usage: CompletionUsage;
  /** When it was written, in ms since the epoch. */
  savedAt: number;
}

/** The storage key of conversation `id`. */
export function chatStorageKey(id: string): string {
  return `parlance:chat:${id}`;
}

export function toPersisted(id: string, messages: ChatMessage[], usage: CompletionUsage): PersistedChat {
  return { format: CHAT_FORMAT, version: CHAT_FORMAT_VERSION, id, messages, usage, savedAt: Date.now() };
}

const STATUSES = new Set(['pending', 'streaming', 'done', 'stopped', 'interrupted', 'error']);
const ROLES = new Set(['system', 'user', 'assistant']);

function isMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    ROLES.has(m.role as string) &&
    (typeof m.content === 'string' || Array.isArray(m.content)) &&
    typeof m.createdAt === 'number' &&
    STATUSES.has(m.status as string) &&
    (m.alternatives === undefined ||
      (Array.isArray(m.alternatives) &&
        m.alternatives.every((tail) => Array.isArray(tail) && tail.every(isMessage))))
  );
}

/**
 * A reply that was streaming when the page closed can never finish: it comes back
 * `interrupted`, its text kept, so the UI offers retry and continue.
 */
function reviveMessage(message: ChatMessage): ChatMessage {
  const revived: ChatMessage = {
    ...message,
    finishReason: message.finishReason ?? null,
    endState: message.endState ?? null,
    usage: message.usage ?? null,
    error: message.error ?? null,
  };
  // A user message still `pending` waits in the outbox (sent offline): it stays there.
  if ((message.status === 'streaming' || message.status === 'pending') && message.role !== 'user') {
    Object.assign(revived, endingOf('interrupted'));
  }
  // A call whose `execute` was running when the page closed never settled; it is not run again
  // (it may have had effects), the model is told it failed. Calls waiting for the user still wait.
  if (message.toolCalls?.some((c) => c.status === 'running')) {
    revived.toolCalls = message.toolCalls.map((c) =>
      c.status === 'running' ? { ...c, status: 'error', error: 'The page closed while the tool ran' } : c,
    );
  }
  if (message.alternatives)
    revived.alternatives = message.alternatives.map((tail) => tail.map(reviveMessage));
  return revived;
}

/**
 * A stored entry's envelope checked: it carries `format` (else a `foreign` {@link ChatStorageError})
 * at `version` (else `version`). The conversation and the image history are stored this way.
 */
export function checkStoredFormat<T>(
  key: string,
  value: unknown,
  format: string,
  version: number,
  what: string,
): Partial<T> {
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== format) {
    throw new ChatStorageError('foreign', key, `The entry "${key}" is not a Parlance ${what}`);
  }
  const entry = value as Partial<T> & { version?: unknown };
  if (entry.version !== version) {
    throw new ChatStorageError(
      'version',
      key,
      `The entry "${key}" has format version ${String(entry.version)}; this Parlance reads version ${version}`,
    );
  }
  return entry;
}

const ZERO_USAGE: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/**
 * Reads a stored value: `undefined` when nothing is stored, the conversation when it is ours,
 * and a {@link ChatStorageError} (`corrupt`, `foreign`, `version`) for anything else.
 */
export function fromPersisted(
  key: string,
  value: unknown,
): { messages: ChatMessage[]; usage: CompletionUsage } | undefined {
  if (value === undefined || value === null) return undefined;
  const entry = checkStoredFormat<PersistedChat>(
    key,
    value,
    CHAT_FORMAT,
    CHAT_FORMAT_VERSION,
    'conversation',
  );
  if (!Array.isArray(entry.messages) || !entry.messages.every(isMessage)) {
    throw new ChatStorageError('corrupt', key, `The entry "${key}" has unreadable messages`);
  }
  const usage = entry.usage && typeof entry.usage.total_tokens === 'number' ? entry.usage : ZERO_USAGE;
  return { messages: entry.messages.map(reviveMessage), usage };
}
