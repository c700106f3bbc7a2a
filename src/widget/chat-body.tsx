// The panel's content. A minimal chat on the core client, standing in until the styled ChatWindow
// and useChat are available to render here instead.
import { useEffect, useId, useRef, useState } from 'react';

import { createClient, type CompletionUsage } from '../core';
import { useLatest } from '../hooks/internal/use-latest';
import { useParlanceConfig } from '../hooks/parlance-provider';

import type { WidgetSnapshot } from './element';
import type { WidgetController, WidgetEmit } from './widget-app';

interface StoredMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  status: 'complete' | 'streaming' | 'interrupted' | 'error';
}

interface ChatBodyProps {
  snapshot: WidgetSnapshot;
  onController: (controller: WidgetController | undefined) => void;
  emit: WidgetEmit;
  onReplyEnded: () => void;
}

export function ChatBody({ snapshot, onController, emit, onReplyEnded }: ChatBodyProps) {
  const config = useParlanceConfig();
  const { storageKey } = snapshot;
  const [messages, setMessages] = useState<StoredMessage[]>(() => load(storageKey, snapshot));
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const latest = useLatest({ messages, config, snapshot, emit, onReplyEnded });

  useEffect(() => {
    save(storageKey, messages);
  }, [storageKey, messages]);

  const controller = useRef<WidgetController>(null as unknown as WidgetController);
  controller.current ??= {
    async send(text) {
      const { config, snapshot, emit, onReplyEnded } = latest.current;
      const user: StoredMessage = { id: newId(), role: 'user', content: text, status: 'complete' };
      const reply: StoredMessage = { id: newId(), role: 'assistant', content: '', status: 'streaming' };
      const history = [...latest.current.messages, user];
      const update = (patch: Partial<StoredMessage>) =>
        setMessages((all) => all.map((m) => (m.id === reply.id ? { ...m, ...patch } : m)));
      setMessages([...history, reply]);
      setBusy(true);
      emit('parlance-send', { text });
      let content = '';
      let usage: CompletionUsage | undefined;
      try {
        const client = createClient({
          baseUrl: config.baseUrl ?? '/v1',
          ...(config.fetch ? { fetch: config.fetch } : {}),
        });
        const stream = await client.chat.completions.create({
          model: config.model ?? 'gpt-4o-mini',
          messages: [
            ...(snapshot.system ? [{ role: 'system' as const, content: snapshot.system }] : []),
            ...history.map(({ role, content }) => ({ role, content })),
          ],
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const chunk of stream) {
          content += chunk.choices[0]?.delta.content ?? '';
          usage = chunk.usage ?? usage;
          // Written to storage on every chunk, so a navigation mid-reply keeps what arrived.
          update({ content });
        }
        update({ status: 'complete' });
        emit('parlance-reply', { message: { ...reply, content, status: 'complete' }, usage });
      } catch (error) {
        update({ status: 'error' });
        emit('parlance-error', { error });
      } finally {
        setBusy(false);
        onReplyEnded();
      }
    },
    async clear() {
      setMessages([]);
    },
  };

  useEffect(() => {
    onController(controller.current);
    return () => onController(undefined);
  }, [onController]);

  const submit = () => {
    const text = draft.trim();
    if (!text || busy) return;
    setDraft('');
    // The Send button disables itself while the reply streams; keep focus where typing continues.
    inputRef.current?.focus();
    void controller.current.send(text);
  };

  return (
    <div className="parlance-root parlance-widget-fallback">
      <div role="log" aria-live="polite" className="parlance-widget-fallback-log">
        {messages.map((m) => (
          <div
            key={m.id}
            data-role={m.role}
            data-status={m.status}
            className="parlance-widget-fallback-message"
          >
            {m.content}
          </div>
        ))}
      </div>
      <form
        className="parlance-widget-fallback-composer"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label htmlFor={inputId} className="parlance-widget-fallback-label">
          {snapshot.locale === 'zh-CN' ? '消息' : 'Message'}
        </label>
        <textarea
          ref={inputRef}
          id={inputId}
          value={draft}
          placeholder={snapshot.placeholder}
          rows={2}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" disabled={busy || !draft.trim()}>
          {snapshot.locale === 'zh-CN' ? '发送' : 'Send'}
        </button>
      </form>
    </div>
  );
}

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function load(key: string, snapshot: WidgetSnapshot): StoredMessage[] {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (raw) {
      const stored = JSON.parse(raw) as StoredMessage[];
      return stored.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' } : m));
    }
  } catch {
    // Unreadable storage starts an empty conversation.
  }
  return (snapshot.messages ?? []).map((m) => ({ ...m, id: newId(), status: 'complete' }));
}

function save(key: string, messages: StoredMessage[]): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(messages));
  } catch {
    // Storage full or blocked: the conversation still works for this page.
  }
}
