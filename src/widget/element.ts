import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';

import type { ParlanceLocale, ParlanceTheme } from '../hooks/parlance-provider';

import { adoptStyles } from './adopt-styles';
import { resolveLocale, type ParlanceChatStrings } from './strings';
import { WidgetApp, type WidgetController } from './widget-app';

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
}

/** Everything the React tree renders from: the element's attributes and properties, read once per change. */
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
  headers: ParlanceChatHeaders | undefined;
  transport: typeof globalThis.fetch | undefined;
  messages: readonly ParlanceChatInitialMessage[] | undefined;
  strings: Partial<ParlanceChatStrings> | undefined;
  /** `send()` or `clear()` was called: the chat must be loaded even if the panel never opened. */
  wanted: boolean;
}

const ATTRIBUTES = [
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
] as const;

/** Default `storage-key`: the same on every page of the host site, so the conversation follows the user. */
export const DEFAULT_STORAGE_KEY = 'parlance-chat';

// On a server there is no HTMLElement; the class still has to be declarable so that importing
// this module there does nothing harmful.
const HTMLElementBase = (typeof HTMLElement === 'undefined' ? class {} : HTMLElement) as typeof HTMLElement;

/**
 * The `<parlance-chat>` custom element: a complete chat with a floating launcher, rendered with
 * React into its own shadow root so the host page's CSS cannot reach it.
 *
 * Attributes (reflected): `base-url`, `model`, `title`, `system`, `locale` (`en`, `zh-CN`),
 * `theme` (`light`, `dark`, `auto`), `position` (`bottom-right`, `bottom-left`, `inline`),
 * `open`, `storage-key`, `placeholder`, `allowed-image-origins` (space-separated origins).
 *
 * @example
 * ```html
 * <script type="module" src="/parlance-chat.js"></script>
 * <parlance-chat base-url="/api/v1" model="gpt-4o-mini" title="Ask the docs"></parlance-chat>
 * ```
 */
export class ParlanceChatElement extends HTMLElementBase {
  static readonly observedAttributes: readonly string[] = ATTRIBUTES;

  #root: Root | undefined;
  #mount: HTMLElement | undefined;
  #listeners = new Set<() => void>();
  #snapshot: WidgetSnapshot | undefined;
  #controller: WidgetController | undefined;
  #pending: Array<(controller: WidgetController) => void> = [];
  #headers: ParlanceChatHeaders | undefined;
  #transport: typeof globalThis.fetch | undefined;
  #messages: readonly ParlanceChatInitialMessage[] | undefined;
  #strings: Partial<ParlanceChatStrings> | undefined;
  #wanted = false;

  constructor() {
    super();
    // Properties set before the element was upgraded sit on the instance and would shadow the accessors.
    for (const name of ['headers', 'transport', 'messages', 'strings'] as const) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = (this as Record<string, unknown>)[name];
        delete (this as Record<string, unknown>)[name];
        (this as Record<string, unknown>)[name] = value;
      }
    }
  }

  /** Request headers sent with every request: an object, or a function called before each request. */
  get headers(): ParlanceChatHeaders | undefined {
    return this.#headers;
  }
  set headers(value: ParlanceChatHeaders | undefined) {
    this.#headers = value;
    this.#changed();
  }

  /** A `fetch` to send requests through instead of the global one. */
  get transport(): typeof globalThis.fetch | undefined {
    return this.#transport;
  }
  set transport(value: typeof globalThis.fetch | undefined) {
    this.#transport = value;
    this.#changed();
  }

  /** The conversation to start from when storage holds none for this `storage-key`. */
  get messages(): readonly ParlanceChatInitialMessage[] | undefined {
    return this.#messages;
  }
  set messages(value: readonly ParlanceChatInitialMessage[] | undefined) {
    this.#messages = value;
    this.#changed();
  }

  /** Overrides for the widget's own words (launcher and close labels, default title). */
  get strings(): Partial<ParlanceChatStrings> | undefined {
    return this.#strings;
  }
  set strings(value: Partial<ParlanceChatStrings> | undefined) {
    this.#strings = value;
    this.#changed();
  }

  /** Whether the panel is open (the `open` attribute). */
  get isOpen(): boolean {
    return this.hasAttribute('open');
  }

  /** Opens the panel and moves focus to the composer. */
  open(): void {
    this.toggleAttribute('open', true);
  }

  /** Closes the panel. */
  close(): void {
    this.toggleAttribute('open', false);
  }

  /** Opens the panel when closed, closes it when open. */
  toggle(): void {
    this.toggleAttribute('open');
  }

  /** Sends `text` as the user; resolves when the reply has ended, whatever the ending. */
  send(text: string): Promise<void> {
    return this.#withController((controller) => controller.send(text));
  }

  /** Deletes the conversation, in the panel and in storage. */
  clear(): Promise<void> {
    return this.#withController((controller) => controller.clear());
  }

  connectedCallback(): void {
    let shadow = this.shadowRoot;
    if (!shadow) {
      shadow = this.attachShadow({ mode: 'open' });
      adoptStyles(shadow);
    }
    if (this.#root) return;
    this.#mount = this.ownerDocument.createElement('div');
    this.#mount.className = 'parlance-widget-mount';
    shadow.append(this.#mount);
    this.#root = createRoot(this.#mount);
    this.#root.render(
      createElement(WidgetApp, {
        subscribe: this.#subscribe,
        getSnapshot: this.#getSnapshot,
        host: this,
        onController: this.#onController,
        emit: this.#emit,
      }),
    );
  }

  disconnectedCallback(): void {
    // A move (remove then append in the same task) must not lose the conversation in progress.
    queueMicrotask(() => {
      if (this.isConnected || !this.#root) return;
      this.#root.unmount();
      this.#mount?.remove();
      this.#root = undefined;
      this.#mount = undefined;
      this.#controller = undefined;
    });
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next) return;
    this.#changed();
    if (name === 'open' && (previous === null) !== (next === null)) {
      this.#emit(next === null ? 'parlance-close' : 'parlance-open', undefined);
    }
  }

  #changed(): void {
    this.#snapshot = undefined;
    for (const listener of this.#listeners) listener();
  }

  #subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #getSnapshot = (): WidgetSnapshot => {
    this.#snapshot ??= {
      open: this.hasAttribute('open'),
      baseUrl: this.getAttribute('base-url') ?? undefined,
      model: this.getAttribute('model') ?? undefined,
      title: this.getAttribute('title') ?? undefined,
      system: this.getAttribute('system') ?? undefined,
      locale: resolveLocale(this.getAttribute('locale')),
      theme: parseTheme(this.getAttribute('theme')),
      position: parsePosition(this.getAttribute('position')),
      storageKey: this.getAttribute('storage-key') || DEFAULT_STORAGE_KEY,
      placeholder: this.getAttribute('placeholder') ?? undefined,
      allowedImageOrigins: this.getAttribute('allowed-image-origins')?.split(/\s+/).filter(Boolean),
      headers: this.#headers,
      transport: this.#transport,
      messages: this.#messages,
      strings: this.#strings,
      wanted: this.#wanted,
    };
    return this.#snapshot;
  };

  #onController = (controller: WidgetController | undefined): void => {
    this.#controller = controller;
    if (!controller) return;
    const pending = this.#pending.splice(0);
    for (const run of pending) run(controller);
  };

  #withController(run: (controller: WidgetController) => Promise<void>): Promise<void> {
    if (this.#controller) return run(this.#controller);
    const queued = new Promise<void>((resolve, reject) => {
      this.#pending.push((controller) => run(controller).then(resolve, reject));
    });
    if (!this.#wanted) {
      this.#wanted = true;
      this.#changed();
    }
    return queued;
  }

  #emit = <K extends keyof ParlanceChatEventMap>(
    type: K,
    detail: ParlanceChatEventMap[K]['detail'],
  ): void => {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  };
}

function parseTheme(value: string | null): ParlanceTheme {
  return value === 'light' || value === 'dark' ? value : 'auto';
}

function parsePosition(value: string | null): ParlanceChatPosition {
  return value === 'bottom-left' || value === 'inline' ? value : 'bottom-right';
}

/**
 * Registers `<parlance-chat>` (or `tagName`). Does nothing on a server, and nothing when the name
 * is already taken (a second copy of the script), so it never throws for either.
 *
 * @param tagName Default `parlance-chat`.
 * @returns The element class, or `undefined` on a server.
 */
export function defineParlanceChat(tagName = 'parlance-chat'): CustomElementConstructor | undefined {
  if (typeof customElements === 'undefined') return undefined;
  const existing = customElements.get(tagName);
  if (existing) return existing;
  // A constructor can back only one tag name.
  const constructor =
    tagName === 'parlance-chat' ? ParlanceChatElement : class extends ParlanceChatElement {};
  customElements.define(tagName, constructor);
  return constructor;
}
