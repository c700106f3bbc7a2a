// Loaded on demand (see widget-app.tsx): the provider, useChat and the styled ChatWindow,
// configured from the element.
import { useEffect, useMemo } from 'react';

import type { ChatMessageInput } from '../core';
import { ChatWindow } from '../components/chat-window/chat-window';
import { useLatest } from '../hooks/internal/use-latest';
import { ParlanceProvider } from '../hooks/parlance-provider';
import { useChat } from '../hooks/use-chat';

import type { WidgetSnapshot } from './element';
import type { WidgetController, WidgetEmit } from './widget-app';

export interface ChatPanelProps {
  snapshot: WidgetSnapshot;
  fetch: typeof globalThis.fetch | undefined;
  onController: (controller: WidgetController | undefined) => void;
  onMounted: () => void;
  emit: WidgetEmit;
  onReplyEnded: () => void;
}

export default function ChatPanel({ snapshot, fetch, ...rest }: ChatPanelProps) {
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

function WidgetChat({
  snapshot,
  onController,
  onMounted,
  emit,
  onReplyEnded,
}: Omit<ChatPanelProps, 'fetch'>) {
  const handlers = useLatest({ emit, onReplyEnded });
  const initialMessages = useMemo(
    () => snapshot.messages?.map((m): ChatMessageInput => ({ role: m.role, content: m.content })),
    [snapshot.messages],
  );
  const chat = useChat({
    // The storage key is the conversation id: every page of the site with the same key shares it.
    id: snapshot.storageKey,
    system: snapshot.system,
    initialMessages,
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
      strings={snapshot.placeholder ? { composerPlaceholder: snapshot.placeholder } : undefined}
    />
  );
}

function lastUserId(messages: readonly { id: string; role: string }[]): string | undefined {
  return messages.findLast((m) => m.role === 'user')?.id;
}
