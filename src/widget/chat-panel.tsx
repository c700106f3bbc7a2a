// Loaded on demand (see widget-app.tsx): the provider and the chat, configured from the element.
import { useEffect } from 'react';

import { ParlanceProvider } from '../hooks/parlance-provider';

import { ChatBody } from './chat-body';
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

export default function ChatPanel({
  snapshot,
  fetch,
  onController,
  onMounted,
  emit,
  onReplyEnded,
}: ChatPanelProps) {
  useEffect(onMounted, [onMounted]);
  return (
    <ParlanceProvider
      baseUrl={snapshot.baseUrl}
      model={snapshot.model}
      locale={snapshot.locale}
      theme={snapshot.theme}
      fetch={fetch}
    >
      <ChatBody snapshot={snapshot} onController={onController} emit={emit} onReplyEnded={onReplyEnded} />
    </ParlanceProvider>
  );
}
