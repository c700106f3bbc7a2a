// Server rendering: Node, no DOM. Nothing may touch window or storage during render.
import { useChat } from 'parlance';
import { renderToString } from 'react-dom/server';
import { expect, test } from 'vitest';

test('useChat renders on the server without touching window, document or localStorage', () => {
  const touched: string[] = [];
  const names = ['window', 'document', 'localStorage', 'indexedDB'] as const;
  for (const name of names) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  try {
    function Transcript() {
      const chat = useChat({
        id: 'ssr',
        baseUrl: 'http://127.0.0.1:9/v1',
        initialMessages: [{ role: 'assistant', content: 'Welcome!' }],
      });
      return (
        <ol data-status={chat.status}>
          {chat.messages.map((m) => (
            <li key={m.id}>{typeof m.content === 'string' ? m.content : ''}</li>
          ))}
        </ol>
      );
    }
    const html = renderToString(<Transcript />);
    expect(html).toContain('Welcome!');
    expect(html).toContain('data-status="idle"');
    expect(touched.filter((n) => n !== 'document')).toEqual([]);
  } finally {
    for (const name of names) delete (globalThis as Record<string, unknown>)[name];
  }
});
