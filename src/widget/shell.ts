import type { ParlanceLocale, ParlanceTheme } from '../hooks/parlance-provider';

import type { ParlanceChatStrings } from './strings';

/** What the shell shows; everything else (the chat itself) is the lazily loaded panel's. */
export interface ShellView {
  open: boolean;
  inline: boolean;
  unread: boolean;
  narrow: boolean;
  title: string;
  locale: ParlanceLocale;
  theme: ParlanceTheme;
  strings: ParlanceChatStrings;
}

export interface ShellActions {
  toggle(): void;
  /** The close button, or Escape inside the panel: close and give focus back to the launcher. */
  dismiss(): void;
  /** The user is about to open the panel: pointer over or down on the launcher, or focus on it. */
  intent(): void;
}

const SVG = 'http://www.w3.org/2000/svg';
/** What Tab can reach inside the panel. */
const TABBABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]',
  '[contenteditable="true"]',
].join(', ');
const CHAT_PATH = 'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z';
const CLOSE_PATH = 'M6 6l12 12M18 6 6 18';

/**
 * The widget's frame in plain DOM: launcher, unread dot, panel, close button, and the loading and
 * failure states of the chat inside. It needs no React, so the launcher works as soon as the
 * element's small first file has run; the chat (React and the kit) loads into `body` later.
 */
export class WidgetShell {
  readonly root: HTMLDivElement;
  readonly launcher: HTMLButtonElement;
  readonly panel: HTMLDivElement;
  /** Where the chat mounts. */
  readonly body: HTMLDivElement;
  readonly #close: HTMLButtonElement;
  readonly #launcherIcon: SVGPathElement;
  readonly #dot: HTMLSpanElement;
  #view: ShellView | undefined;

  constructor(doc: Document, actions: ShellActions) {
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string) => {
      const node = doc.createElement(tag);
      node.className = className;
      return node;
    };
    this.root = el('div', 'parlance-widget');

    this.launcher = el('button', 'parlance-widget-launcher');
    this.launcher.type = 'button';
    this.launcher.setAttribute('aria-controls', 'parlance-widget-panel');
    const launcherIcon = icon(doc, CHAT_PATH);
    this.#launcherIcon = launcherIcon.firstChild as SVGPathElement;
    this.launcher.append(launcherIcon);
    this.launcher.addEventListener('click', () => actions.toggle());
    for (const type of ['pointerenter', 'pointerdown', 'focus']) {
      this.launcher.addEventListener(type, () => actions.intent());
    }
    this.#dot = el('span', 'parlance-widget-unread');
    this.#dot.dataset.slot = 'unread';
    this.#dot.setAttribute('aria-hidden', 'true');

    // The panel stays in the DOM while closed, so a reply keeps streaming and can mark itself unread.
    this.panel = el('div', 'parlance-widget-panel');
    this.panel.id = 'parlance-widget-panel';
    this.panel.hidden = true;
    this.panel.addEventListener('keydown', (event) => {
      // Bubbling from inside the chat: its own Escape handling (a menu, an edit) runs first.
      if (event.key === 'Escape' && !this.#view?.inline && !event.defaultPrevented) {
        event.preventDefault();
        actions.dismiss();
      } else if (event.key === 'Tab' && this.#modal()) {
        this.#trapTab(event);
      }
    });
    this.#close = el('button', 'parlance-widget-close');
    this.#close.type = 'button';
    this.#close.append(icon(doc, CLOSE_PATH));
    this.#close.addEventListener('click', () => actions.dismiss());
    this.body = el('div', 'parlance-widget-body');
    this.panel.append(this.body);
    this.root.append(this.panel);
  }

  render(view: ShellView): void {
    const previous = this.#view;
    this.#view = view;
    const { open, inline, unread, strings } = view;
    const shown = open || inline;
    const root = this.root;
    root.dataset.theme = view.theme;
    root.dataset.state = shown ? 'open' : 'closed';
    root.lang = view.locale;

    if (inline !== previous?.inline) {
      if (inline) {
        this.launcher.remove();
        this.#close.remove();
        // Inline, the chat window inside is already the labelled region.
        this.panel.removeAttribute('role');
        this.panel.removeAttribute('aria-label');
      } else {
        root.prepend(this.launcher);
        this.panel.prepend(this.#close);
        this.panel.setAttribute('role', 'dialog');
      }
    }
    if (!inline) {
      this.panel.setAttribute('aria-label', view.title);
      this.launcher.setAttribute(
        'aria-label',
        open ? strings.close : unread ? `${strings.open} (${strings.unread})` : strings.open,
      );
      this.launcher.setAttribute('aria-expanded', String(open));
      this.#launcherIcon.setAttribute('d', open ? CLOSE_PATH : CHAT_PATH);
      this.#close.setAttribute('aria-label', strings.close);
    }
    if (unread) {
      this.launcher.dataset.unread = 'true';
      if (!this.#dot.isConnected) this.launcher.append(this.#dot);
    } else {
      delete this.launcher.dataset.unread;
      this.#dot.remove();
    }
    if (!inline && view.narrow) this.panel.setAttribute('aria-modal', 'true');
    else this.panel.removeAttribute('aria-modal');
    this.panel.hidden = !shown;
  }

  /** Full screen on a narrow viewport, the open panel is a modal dialog: focus stays inside it. */
  #modal(): boolean {
    const view = this.#view;
    return !!view && view.open && !view.inline && view.narrow;
  }

  /** Tab from the last control goes to the first (the close button), Shift+Tab from the first to the last. */
  #trapTab(event: KeyboardEvent): void {
    const stops = [...this.panel.querySelectorAll<HTMLElement>(TABBABLE)].filter(
      (node) => node.tabIndex >= 0 && !node.closest('[hidden], [inert]') && node.getClientRects().length > 0,
    );
    const first = stops[0];
    const last = stops.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const root = this.panel.getRootNode() as ShadowRoot | Document;
    const active = root.activeElement;
    const inside = active instanceof Node && this.panel.contains(active);
    if (event.shiftKey && (!inside || active === first)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || active === last)) {
      event.preventDefault();
      first.focus();
    }
  }

  /** Moves focus into the chat: its composer, else its first button. */
  focusChat(): void {
    const target =
      this.panel.querySelector<HTMLElement>('textarea:not([disabled])') ??
      this.panel.querySelector<HTMLElement>('button');
    target?.focus();
  }

  showLoading(): void {
    const loading = this.body.ownerDocument.createElement('div');
    loading.className = 'parlance-widget-loading';
    loading.setAttribute('aria-busy', 'true');
    this.body.replaceChildren(loading);
  }

  /** A failed download (offline, a deploy that removed the chunk): a notice and a retry, never a blank panel. */
  showLoadError(strings: ParlanceChatStrings, retry: () => void): void {
    const doc = this.body.ownerDocument;
    const notice = doc.createElement('div');
    notice.className = 'parlance-widget-error';
    notice.setAttribute('role', 'alert');
    const text = doc.createElement('p');
    text.textContent = strings.loadError;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'parlance-widget-retry';
    button.textContent = strings.retry;
    button.addEventListener('click', retry);
    notice.append(text, button);
    this.body.replaceChildren(notice);
  }
}

function icon(doc: Document, d: string): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = doc.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}
