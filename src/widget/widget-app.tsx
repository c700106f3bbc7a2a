import {
  Component,
  Suspense,
  lazy,
  type ComponentType,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';

import { useLatest } from '../hooks/internal/use-latest';

import type { ChatPanelProps } from './chat-panel';
import type { ParlanceChatElement, ParlanceChatEventMap, WidgetSnapshot } from './element';
import { lockScroll } from './scroll-lock';
import { widgetStrings } from './strings';

/** What the element calls into once the chat is mounted. */
export interface WidgetController {
  send(text: string): Promise<void>;
  clear(): Promise<void>;
}

export type WidgetEmit = <K extends keyof ParlanceChatEventMap>(
  type: K,
  detail: ParlanceChatEventMap[K]['detail'],
) => void;

interface WidgetAppProps {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => WidgetSnapshot;
  host: ParlanceChatElement;
  onController: (controller: WidgetController | undefined) => void;
  emit: WidgetEmit;
}

const NARROW = '(max-width: 479.98px)';

// The chat itself (the kit's components, markdown, the client) is a separate chunk, so the first
// download is only what the launcher needs. It loads on first open, on `send()`/`clear()`, and is
// fetched ahead when the browser is idle.
const loadChatPanel = () => import('./chat-panel');

interface LoadBoundaryProps {
  strings: { loadError: string; retry: string };
  children: (attempt: number) => ReactNode;
}

/** A failed chunk download (offline, a deploy that removed it) shows a notice and a retry, never a blank panel. */
class LoadBoundary extends Component<LoadBoundaryProps, { failed: boolean; attempt: number }> {
  override state = { failed: false, attempt: 0 };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children(this.state.attempt);
    return (
      <div className="parlance-widget-error" role="alert">
        <p>{this.props.strings.loadError}</p>
        <button
          type="button"
          className="parlance-widget-retry"
          onClick={() => this.setState(({ attempt }) => ({ failed: false, attempt: attempt + 1 }))}
        >
          {this.props.strings.retry}
        </button>
      </div>
    );
  }
}

// `lazy` remembers a failed import, so each retry gets its own.
const panels = new Map<number, ComponentType<ChatPanelProps>>();
function chatPanel(attempt: number) {
  let panel = panels.get(attempt);
  if (!panel) {
    panel = lazy(loadChatPanel);
    panels.set(attempt, panel);
  }
  return panel;
}

export function WidgetApp({ subscribe, getSnapshot, host, onController, emit }: WidgetAppProps) {
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  const { open, position, locale, theme } = snapshot;
  const inline = position === 'inline';
  const shown = open || inline;
  const strings = widgetStrings(locale, snapshot.strings);
  const title = snapshot.title || strings.title;

  const launcherRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [unread, setUnread] = useState(false);
  const shownRef = useLatest(shown);
  // Opening the panel reads the reply: the dot goes (state derived during render, not in an effect).
  if (shown && unread) setUnread(false);

  const [activated, setActivated] = useState(shown || snapshot.wanted);
  if ((shown || snapshot.wanted) && !activated) setActivated(true);

  useEffect(() => {
    const view = host.ownerDocument.defaultView;
    if (!view) return;
    // A failed prefetch is not an error yet: opening the panel tries again, and says so if it fails.
    const prefetch = () => void loadChatPanel().catch(() => undefined);
    if ('requestIdleCallback' in view) {
      const handle = view.requestIdleCallback(prefetch, { timeout: 3000 });
      return () => view.cancelIdleCallback(handle);
    }
    const timer = setTimeout(prefetch, 1500);
    return () => clearTimeout(timer);
  }, [host]);

  const focusComposer = useCallback(() => {
    const target =
      panelRef.current?.querySelector<HTMLElement>('textarea:not([disabled])') ??
      panelRef.current?.querySelector<HTMLElement>('button');
    target?.focus();
  }, []);

  const inlineRef = useLatest(inline);
  // The chat chunk may arrive after the panel opened: focus the composer once it is there.
  const onChatMounted = useCallback(() => {
    if (host.isOpen && !inlineRef.current) focusComposer();
  }, [host, focusComposer, inlineRef]);

  const onReplyEnded = useCallback(() => {
    if (!shownRef.current) setUnread(true);
  }, [shownRef]);

  // Focus follows the panel: into the composer on open, back to the launcher when the panel
  // closes with focus inside it (Escape, the close button, or `close()` while the user was typing).
  const wasOpen = useRef(open);
  useEffect(() => {
    if (inline || wasOpen.current === open) return;
    wasOpen.current = open;
    const root = host.shadowRoot;
    if (open) {
      const frame = requestAnimationFrame(focusComposer);
      return () => cancelAnimationFrame(frame);
    }
    if (root?.activeElement === null || panelRef.current?.contains(root?.activeElement ?? null)) {
      launcherRef.current?.focus();
    }
    return undefined;
  }, [open, inline, host, focusComposer]);

  // Full screen on a narrow viewport: the page behind must not scroll.
  const narrow = useMediaQuery(host.ownerDocument.defaultView, NARROW);
  useEffect(() => {
    if (!open || inline || !narrow) return;
    return lockScroll(host.ownerDocument);
  }, [open, inline, narrow, host]);

  const fetch = useMemo(
    () => widgetFetch(snapshot.headers, snapshot.transport),
    [snapshot.headers, snapshot.transport],
  );

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape' && !inline && !event.defaultPrevented) {
      event.preventDefault();
      host.close();
      launcherRef.current?.focus();
    }
  };

  return (
    <div className="parlance-widget" data-theme={theme} data-state={shown ? 'open' : 'closed'} lang={locale}>
      {!inline && (
        <button
          ref={launcherRef}
          type="button"
          className="parlance-widget-launcher"
          aria-label={open ? strings.close : unread ? `${strings.open} (${strings.unread})` : strings.open}
          aria-expanded={open}
          aria-controls="parlance-widget-panel"
          data-unread={unread || undefined}
          onClick={() => host.toggle()}
        >
          {open ? <CloseIcon /> : <ChatIcon />}
          {unread && <span className="parlance-widget-unread" data-slot="unread" aria-hidden="true" />}
        </button>
      )}
      {/* The panel stays mounted while closed, so a reply keeps streaming and can mark itself unread. */}
      <div
        ref={panelRef}
        id="parlance-widget-panel"
        className="parlance-widget-panel"
        // Inline, the chat window inside is already the labelled region.
        role={inline ? undefined : 'dialog'}
        aria-modal={!inline && narrow ? true : undefined}
        aria-label={inline ? undefined : title}
        hidden={!shown}
        onKeyDown={onKeyDown}
      >
        {!inline && (
          <button
            type="button"
            className="parlance-widget-close"
            aria-label={strings.close}
            onClick={() => {
              host.close();
              launcherRef.current?.focus();
            }}
          >
            <CloseIcon />
          </button>
        )}
        <div className="parlance-widget-body">
          {activated && (
            <LoadBoundary strings={strings}>
              {(attempt) => {
                const ChatPanel = chatPanel(attempt);
                return (
                  <Suspense fallback={<div className="parlance-widget-loading" aria-busy="true" />}>
                    <ChatPanel
                      snapshot={snapshot}
                      fetch={fetch}
                      onController={onController}
                      onMounted={onChatMounted}
                      emit={emit}
                      onReplyEnded={onReplyEnded}
                    />
                  </Suspense>
                );
              }}
            </LoadBoundary>
          )}
        </div>
      </div>
    </div>
  );
}

function useMediaQuery(view: Window | null, query: string): boolean {
  const list = useMemo(() => view?.matchMedia(query), [view, query]);
  return useSyncExternalStore(
    (listener) => {
      list?.addEventListener('change', listener);
      return () => list?.removeEventListener('change', listener);
    },
    () => list?.matches ?? false,
    () => false,
  );
}

/** The `headers` property may be a function (a session token that changes): call it per request. */
function widgetFetch(
  headers: WidgetSnapshot['headers'],
  transport: WidgetSnapshot['transport'],
): typeof globalThis.fetch | undefined {
  if (!headers && !transport) return undefined;
  return async (input, init) => {
    const send = transport ?? globalThis.fetch;
    if (!headers) return send(input, init);
    const extra = typeof headers === 'function' ? await headers() : headers;
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(extra)) merged.set(name, value);
    return send(input, { ...init, headers: merged });
  };
}

function ChatIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z" />
    </svg>
  );
}

function CloseIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}
