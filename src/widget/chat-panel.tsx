// Loaded on demand (see element.ts): React, the provider, useChat and the styled ChatWindow,
// configured from the element and mounted into the shell's panel.
import { Component, type ReactNode, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';

import { ConfigurationError, type ChatMessageInput, type ChatTransport } from '../core';
import { ChatWindow } from '../components/chat-window/chat-window';
import { useLatest } from '../hooks/internal/use-latest';
import { ParlanceProvider } from '../hooks/parlance-provider';
import { useChat } from '../hooks/use-chat';

import type { ParlanceChatEventMap, WidgetSnapshot } from './contract';

/** What the element calls into once the chat is mounted. */
export interface WidgetController {
  send(text: string): Promise<void>;
  clear(): Promise<void>;
}

export type WidgetEmit = <K extends keyof ParlanceChatEventMap>(
  type: K,
  detail: ParlanceChatEventMap[K]['detail'],
) => void;

export interface ChatPanelOptions {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => WidgetSnapshot;
  onController: (controller: WidgetController | undefined) => void;
  /** The chat is in the DOM (it may arrive after the panel opened). */
  onMounted: () => void;
  emit: WidgetEmit;
  onReplyEnded: () => void;
  /** The chat threw while rendering; the element shows its notice and may mount again. */
  onCrash: () => void;
}

/** Renders the chat into `container` with its own React root; returns the unmount function. */
export function mountChatPanel(container: HTMLElement, options: ChatPanelOptions): () => void {
  const { onCrash, ...panel } = options;
  const root = createRoot(container);
  root.render(
    <CrashBoundary onCrash={onCrash}>
      <ChatPanel {...panel} />
    </CrashBoundary>,
  );
  return () => root.unmount();
}

class CrashBoundary extends Component<{ onCrash: () => void; children: ReactNode }, { crashed: boolean }> {
  override state = { crashed: false };
  static getDerivedStateFromError() {
    return { crashed: true };
  }
  override componentDidCatch() {
    this.props.onCrash();
  }
  override render() {
    return this.state.crashed ? null : this.props.children;
  }
}

function ChatPanel({ subscribe, getSnapshot, ...rest }: Omit<ChatPanelOptions, 'onCrash'>) {
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  const fetch = useMemo(
    () => widgetFetch(snapshot.headers, snapshot.transport),
    [snapshot.headers, snapshot.transport],
  );
  return (
    <ParlanceProvider
      baseUrl={snapshot.baseUrl}
      model={snapshot.model}
      locale={snapshot.locale}
      theme={snapshot.theme}
      fetch={fetch}
    >
      <WidgetChat snapshot={snapshot} {...rest} />
    </ParlanceProvider>
  );
}

interface WidgetChatProps extends Omit<ChatPanelOptions, 'subscribe' | 'getSnapshot' | 'onCrash'> {
  snapshot: WidgetSnapshot;
}

/** Why a `<parlance-chat>` with no `base-url` cannot chat: logged once and shown in place of the composer. */
function missingBaseUrl(): ConfigurationError {
  return new ConfigurationError(
    'This chat is not configured: <parlance-chat> has no base-url attribute. Set it to an ' +
      'OpenAI-style base URL ending in /v1, e.g. <parlance-chat base-url="/api/v1">.',
    { option: 'base-url' },
  );
}

function WidgetChat({ snapshot, onController, onMounted, emit, onReplyEnded }: WidgetChatProps) {
  const handlers = useLatest({ emit, onReplyEnded });
  // No base-url: requests would go to a path relative to the host page. The chat still opens,
  // with the reason where the composer would be, and nothing is sent.
  const unconfigured = useMemo(
    () => (snapshot.baseUrl?.trim() ? null : missingBaseUrl()),
    [snapshot.baseUrl],
  );
  useEffect(() => {
    if (unconfigured) console.error(unconfigured);
  }, [unconfigured]);
  const initialMessages = useMemo(
    () => snapshot.messages?.map((m): ChatMessageInput => ({ role: m.role, content: m.content })),
    [snapshot.messages],
  );
  // The storage key is the first conversation's id (every page of the site with the same key shares
  // it) and the prefix of the others the user starts from the conversation list.
  const [conversationId, setConversationId] = useState(snapshot.storageKey);
  const [storageKey, setStorageKey] = useState(snapshot.storageKey);
  if (storageKey !== snapshot.storageKey) {
    setStorageKey(snapshot.storageKey);
    setConversationId(snapshot.storageKey);
  }
  const chat = useChat({
    id: conversationId,
    system: snapshot.system,
    initialMessages,
    ...(unconfigured ? { transport: refusingTransport(unconfigured) } : {}),
    onFinish: ({ message }) => {
      if (message.role === 'assistant') {
        handlers.current.emit('parlance-reply', { message, usage: message.usage });
      }
      handlers.current.onReplyEnded();
    },
    onError: (error) => handlers.current.emit('parlance-error', { error }),
  });
  const { store } = chat;

  // `parlance-send` for every user turn, from the composer or from `send()`: a request starting
  // with a user message the element has not announced yet (regenerate and retry reuse one).
  useEffect(() => {
    let announced = lastUserId(store.getSnapshot().messages);
    let wasSubmitted = false;
    return store.subscribe(() => {
      const { status, messages } = store.getSnapshot();
      const submitted = status === 'submitted';
      if (submitted && !wasSubmitted) {
        const last = messages.findLast((m) => m.role === 'user');
        if (last && last.id !== announced) {
          announced = last.id;
          handlers.current.emit('parlance-send', {
            text: typeof last.content === 'string' ? last.content : '',
          });
        }
      }
      wasSubmitted = submitted;
    });
  }, [store, handlers]);

  useEffect(() => {
    onController({
      send: async (text) => {
        await store.send(text);
      },
      clear: async () => {
        await store.clear();
      },
    });
    return () => onController(undefined);
  }, [store, onController]);

  useEffect(onMounted, [onMounted]);

  return (
    <ChatWindow
      chat={chat}
      title={snapshot.title}
      theme={snapshot.theme}
      allowedImageOrigins={snapshot.allowedImageOrigins}
      showUsage={snapshot.showUsage}
      strings={snapshot.placeholder ? { composerPlaceholder: snapshot.placeholder } : undefined}
      disabled={unconfigured ? unconfigured.message : undefined}
      conversations={{ idPrefix: snapshot.storageKey }}
      onConversationChange={setConversationId}
      onFeedback={(messageId, value, comment) =>
        handlers.current.emit('parlance-feedback', { messageId, value, ...(comment ? { comment } : {}) })
      }
    />
  );
}

/** Stands in for the request when there is nowhere to send it (`send()` from the host page). */
function refusingTransport(error: ConfigurationError): ChatTransport {
  return {
    send() {
      throw error;
    },
  };
}

function lastUserId(messages: readonly { id: string; role: string }[]): string | undefined {
  return messages.findLast((m) => m.role === 'user')?.id;
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
