import { adoptStyles } from './adopt-styles';
import { parsePosition, readAttributes } from './attributes';
import type { WidgetController } from './chat-panel';
import {
  ATTRIBUTES,
  type ParlanceChatEventMap,
  type ParlanceChatHeaders,
  type ParlanceChatInitialMessage,
  type WidgetSnapshot,
} from './contract';
import { lockScroll } from './scroll-lock';
import { WidgetShell } from './shell';
import { widgetStrings, type ParlanceChatStrings } from './strings';

// The chat (React, the kit's components, markdown, the client) is a separate chunk, so the first
// file holds only the element and its plain-DOM launcher, and the launcher works as soon as that
// file has run. The chat loads on first open, on `send()`/`clear()`, when the user points at or
// focuses the launcher, and ahead of time when the browser is idle.
const loadChatPanel = () => import('./chat-panel');

const NARROW = '(max-width: 479.98px)';

// On a server there is no HTMLElement; the class still has to be declarable so that importing
// this module there does nothing harmful.
const HTMLElementBase = (typeof HTMLElement === 'undefined' ? class {} : HTMLElement) as typeof HTMLElement;

/**
 * The `<parlance-chat>` custom element: a complete chat with a floating launcher, rendered into
 * its own shadow root so the host page's CSS cannot reach it.
 *
 * Attributes (reflected): `base-url`, `model`, `title`, `system`, `locale` (`en`, `zh-CN`),
 * `theme` (`light`, `dark`, `auto`), `position` (`bottom-right`, `bottom-left`, `inline`),
 * `open`, `storage-key`, `placeholder`, `allowed-image-origins` (space-separated origins),
 * `show-usage` (shows the model id, token meter and usage lines, hidden by default).
 *
 * Open or closed is remembered per `storage-key` across reloads (in localStorage). On a narrow
 * viewport the open panel is a full-screen modal dialog: Tab stays inside it, Escape closes it.
 *
 * @example
 * ```html
 * <script type="module" src="/parlance-chat.js"></script>
 * <parlance-chat base-url="/api/v1" model="gpt-4o-mini" title="Ask the docs"></parlance-chat>
 * ```
 */
export class ParlanceChatElement extends HTMLElementBase {
  static readonly observedAttributes: readonly string[] = ATTRIBUTES;

  #shell: WidgetShell | undefined;
  #unmountChat: (() => void) | undefined;
  #loading = false;
  /** The chat failed to load (or crashed): only the notice's retry loads it again. */
  #failed = false;
  #unread = false;
  #narrow: MediaQueryList | undefined;
  #releaseScroll: (() => void) | undefined;
  #cancelIdle: (() => void) | undefined;
  #listeners = new Set<() => void>();
  #snapshot: WidgetSnapshot | undefined;
  #controller: WidgetController | undefined;
  #pending: Array<(controller: WidgetController) => void> = [];
  #headers: ParlanceChatHeaders | undefined;
  #transport: typeof globalThis.fetch | undefined;
  #messages: readonly ParlanceChatInitialMessage[] | undefined;
  #strings: Partial<ParlanceChatStrings> | undefined;
  #wanted = false;
  /** Open/closed is saved only once the stored state has been restored (on first connect). */
  #remembering = false;
  /** The panel is open because it was open before the reload: on a wide page it takes no focus. */
  #restoredOpen = false;

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
    if (this.#shell) return;
    const view = this.ownerDocument.defaultView;
    // Before the shell exists: a restored open panel takes no focus from the page.
    if (!this.#remembering) {
      this.#remembering = true;
      const stored = readOpenState(view, this.#storageKey());
      if (stored !== undefined && !this.#isInline()) this.toggleAttribute('open', stored);
      this.#restoredOpen = stored === true && this.isOpen;
    }
    this.#shell = new WidgetShell(this.ownerDocument, {
      toggle: () => this.toggle(),
      dismiss: () => {
        this.close();
        this.#shell?.launcher.focus();
      },
      intent: this.#prefetch,
    });
    this.#narrow = view?.matchMedia(NARROW);
    this.#narrow?.addEventListener('change', this.#render);
    shadow.append(this.#shell.root);
    this.#render();
    this.#cancelIdle = whenIdle(view, this.#prefetch);
  }

  disconnectedCallback(): void {
    // A move (remove then append in the same task) must not lose the conversation in progress.
    queueMicrotask(() => {
      if (this.isConnected || !this.#shell) return;
      this.#unmountChat?.();
      this.#unmountChat = undefined;
      this.#shell.root.remove();
      this.#shell = undefined;
      this.#narrow?.removeEventListener('change', this.#render);
      this.#narrow = undefined;
      this.#releaseScroll?.();
      this.#releaseScroll = undefined;
      this.#cancelIdle?.();
      this.#cancelIdle = undefined;
      this.#controller = undefined;
      this.#failed = false;
    });
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next) return;
    if (name !== 'open' || (previous === null) === (next === null)) {
      this.#changed();
      return;
    }
    const shell = this.#shell;
    const focusInPanel = !!shell && shell.panel.contains(this.shadowRoot?.activeElement ?? null);
    if (this.#remembering) {
      this.#restoredOpen = false;
      writeOpenState(this.ownerDocument.defaultView, this.#storageKey(), next !== null);
    }
    this.#changed();
    // Focus follows the panel: into the composer on open (or, while the chat is still loading,
    // once it arrives: #onMounted), back to the launcher when the panel closes with focus inside.
    if (shell && !this.#isInline()) {
      if (next !== null) shell.focusChat();
      else if (focusInPanel) shell.launcher.focus();
    }
    this.#emit(next === null ? 'parlance-close' : 'parlance-open', undefined);
  }

  #changed(): void {
    this.#snapshot = undefined;
    for (const listener of this.#listeners) listener();
    this.#render();
  }

  #storageKey(): string {
    return readAttributes(this).storageKey;
  }

  #isInline(): boolean {
    return parsePosition(this.getAttribute('position')) === 'inline';
  }

  #render = (): void => {
    const shell = this.#shell;
    if (!shell) return;
    const snapshot = this.#getSnapshot();
    const inline = snapshot.position === 'inline';
    const shown = snapshot.open || inline;
    // Opening the panel reads the reply: the dot goes.
    if (shown) this.#unread = false;
    const strings = widgetStrings(snapshot.locale, snapshot.strings);
    const narrow = this.#narrow?.matches ?? false;
    shell.render({
      open: snapshot.open,
      inline,
      unread: this.#unread,
      narrow,
      title: snapshot.title || strings.title,
      locale: snapshot.locale,
      theme: snapshot.theme,
      strings,
    });
    // Full screen on a narrow viewport: the page behind must not scroll.
    const lock = snapshot.open && !inline && narrow;
    if (lock && !this.#releaseScroll) {
      this.#releaseScroll = lockScroll(this.ownerDocument);
    } else if (!lock && this.#releaseScroll) {
      this.#releaseScroll();
      this.#releaseScroll = undefined;
    }
    if (shown || snapshot.wanted) this.#activate();
  };

  /** Loads the chat chunk and mounts it in the panel, once. */
  #activate(): void {
    const shell = this.#shell;
    if (!shell || this.#unmountChat || this.#loading || this.#failed) return;
    this.#loading = true;
    shell.showLoading();
    loadChatPanel().then(
      ({ mountChatPanel }) => {
        this.#loading = false;
        if (this.#shell !== shell) return;
        shell.body.replaceChildren();
        this.#unmountChat = mountChatPanel(shell.body, {
          subscribe: this.#subscribe,
          getSnapshot: this.#getSnapshot,
          onController: this.#onController,
          onMounted: this.#onMounted,
          emit: this.#emit,
          onReplyEnded: this.#onReplyEnded,
          onCrash: this.#onCrash,
        });
      },
      (error: unknown) => {
        this.#loading = false;
        // The notice tells the user; the console tells the site which file did not arrive
        // (browsers name the chunk's URL in the import error).
        console.error(`<parlance-chat>: the chat panel could not be loaded. ${describeLoadError(error)}`);
        if (this.#shell === shell) this.#fail(shell);
      },
    );
  }

  #fail(shell: WidgetShell): void {
    this.#failed = true;
    const snapshot = this.#getSnapshot();
    shell.showLoadError(widgetStrings(snapshot.locale, snapshot.strings), () => {
      this.#failed = false;
      this.#activate();
    });
  }

  #prefetch = (): void => {
    // A failed prefetch is not an error yet: opening the panel tries again, and says so if it fails.
    loadChatPanel().catch(() => undefined);
  };

  #onMounted = (): void => {
    // A panel restored open on a wide page leaves focus where the page has it; full screen on a
    // phone it is a modal dialog, and focus goes in.
    if (this.#restoredOpen && !this.#narrow?.matches) return;
    if (this.isOpen && !this.#isInline()) this.#shell?.focusChat();
  };

  #onReplyEnded = (): void => {
    if (this.isOpen || this.#isInline()) return;
    this.#unread = true;
    this.#render();
  };

  #onCrash = (): void => {
    // Called while React commits: unmount once it has finished.
    queueMicrotask(() => {
      const shell = this.#shell;
      this.#unmountChat?.();
      this.#unmountChat = undefined;
      this.#controller = undefined;
      if (shell) this.#fail(shell);
    });
  };

  #subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #getSnapshot = (): WidgetSnapshot => {
    this.#snapshot ??= {
      ...readAttributes(this),
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

/** Where open/closed is kept: beside the conversation, under the same `storage-key`. */
const openStateKey = (storageKey: string) => `parlance:widget-open:${storageKey}`;

function readOpenState(view: Window | null, storageKey: string): boolean | undefined {
  try {
    const value = view?.localStorage.getItem(openStateKey(storageKey));
    return value === 'true' ? true : value === 'false' ? false : undefined;
  } catch {
    // Blocked storage (a sandboxed frame, privacy settings): the page's `open` attribute decides.
    return undefined;
  }
}

function writeOpenState(view: Window | null, storageKey: string, open: boolean): void {
  try {
    view?.localStorage.setItem(openStateKey(storageKey), String(open));
  } catch {
    // Full or blocked storage: the state lasts for this visit.
  }
}

function describeLoadError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /\.m?js\b/.test(message)
    ? message
    : `${message} (a file beside the widget's script is missing or was not served as JavaScript)`;
}

function whenIdle(view: Window | null, run: () => void): () => void {
  if (!view) return () => undefined;
  if ('requestIdleCallback' in view) {
    const handle = view.requestIdleCallback(run, { timeout: 3000 });
    return () => view.cancelIdleCallback(handle);
  }
  const timer = setTimeout(run, 1500);
  return () => clearTimeout(timer);
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
