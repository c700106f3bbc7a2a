// The contract of <parlance-chat>: the names and shapes an embedding page relies on (its
// attributes, properties and events), and the snapshot the chat panel renders from.
import type { ParlanceLocale, ParlanceTheme } from '../hooks/parlance-provider';

import type { ParlanceChatStrings } from './strings';

/** Where the widget sits: a floating launcher in a bottom corner, or filling its container. */
export type ParlanceChatPosition = 'bottom-right' | 'bottom-left' | 'inline';

/** Request headers, or a function returning them (called before every request, e.g. for a session token). */
export type ParlanceChatHeaders =
  Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/** A message given to the `messages` property: the conversation to start from when storage holds none. */
export interface ParlanceChatInitialMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The bubbling, composed DOM events `<parlance-chat>` dispatches, by name. */
export interface ParlanceChatEventMap {
  /** The panel opened. */
  'parlance-open': CustomEvent<undefined>;
  /** The panel closed. */
  'parlance-close': CustomEvent<undefined>;
  /** The user (or `send()`) sent a message. */
  'parlance-send': CustomEvent<{ text: string }>;
  /** A reply ended: the finished assistant message and the request's token usage, when reported. */
  'parlance-reply': CustomEvent<{ message: unknown; usage: unknown }>;
  /** A request failed. */
  'parlance-error': CustomEvent<{ error: unknown }>;
  /** The user rated a reply with the thumbs buttons (again with `comment` if they wrote one). */
  'parlance-feedback': CustomEvent<{ messageId: string; value: 'up' | 'down'; comment?: string }>;
}

/** Everything the widget renders from: the element's attributes and properties, read once per change. */
export interface WidgetSnapshot {
  open: boolean;
  baseUrl: string | undefined;
  model: string | undefined;
  title: string | undefined;
  system: string | undefined;
  locale: ParlanceLocale;
  theme: ParlanceTheme;
  position: ParlanceChatPosition;
  storageKey: string;
  placeholder: string | undefined;
  allowedImageOrigins: string[] | undefined;
  /** Developer details (model id, token meter, each reply's usage): hidden unless `show-usage` is set. */
  showUsage: boolean;
  headers: ParlanceChatHeaders | undefined;
  transport: typeof globalThis.fetch | undefined;
  messages: readonly ParlanceChatInitialMessage[] | undefined;
  strings: Partial<ParlanceChatStrings> | undefined;
  /** `send()` or `clear()` was called: the chat must be loaded even if the panel never opened. */
  wanted: boolean;
}

/** The attributes `<parlance-chat>` observes (and reflects). */
export const ATTRIBUTES = [
  'base-url',
  'model',
  'title',
  'system',
  'locale',
  'theme',
  'position',
  'open',
  'storage-key',
  'placeholder',
  'allowed-image-origins',
  'show-usage',
] as const;

/** Default `storage-key`: the same on every page of the host site, so the conversation follows the user. */
export const DEFAULT_STORAGE_KEY = 'parlance-chat';
