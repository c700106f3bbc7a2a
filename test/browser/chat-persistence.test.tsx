// Real Chromium, real HTTP: the chat store against the fake OpenAI server (global-setup.ts),
// including a real page reload in the middle of a streamed reply.
import { createChatStore, createClientTransport, createLocalStorage, chatStorageKey } from 'parlance/core';
import { useChat, type ChatMessage } from 'parlance';
import { afterEach, expect, inject, test } from 'vitest';
import { render } from 'vitest-browser-react';

const baseUrl = inject('testServerUrl');

afterEach(() => {
  localStorage.clear();
  document.querySelectorAll('iframe').forEach((frame) => frame.remove());
});

interface PageReport {
  load: number;
  status: string;
  messages: Array<Pick<ChatMessage, 'role' | 'content' | 'status'>>;
}

/**
 * A page of its own (same origin, so same localStorage) that mounts a chat store on
 * localStorage, sends once, and reports every snapshot to this test by postMessage. The test
 * reloads it with `location.reload()` while the reply streams: the page's JavaScript, its fetch
 * and its timers all die, as they do when a user reloads a tab.
 */
function pageSource(id: string) {
  return `<!doctype html><meta charset="utf-8"><script type="module">
    import { createChatStore, createClientTransport, createLocalStorage } from '/src/core/index.ts';
    const load = Number(sessionStorage.getItem('load') ?? 0) + 1;
    sessionStorage.setItem('load', String(load));
    const store = createChatStore({
      id: ${JSON.stringify(id)},
      model: 'scenario-stream',
      storage: createLocalStorage(),
      transport: createClientTransport({ baseUrl: ${JSON.stringify(baseUrl)}, headers: { 'x-test-id': 'chat-reload' } }),
      persistThrottleMs: 40,
    });
    const report = () => {
      const s = store.getSnapshot();
      parent.postMessage({ load, status: s.status, messages: s.messages.map(({ role, content, status }) => ({ role, content, status })) }, '*');
    };
    store.subscribe(report);
    store.mount();
    report();
    if (store.getSnapshot().messages.length === 0) store.send('Tell me about the sea');
  </script>`;
}

function nextReport(predicate: (report: PageReport) => boolean, timeoutMs = 10_000): Promise<PageReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new Error('No matching report from the page'));
    }, timeoutMs);
    const onMessage = (event: MessageEvent<PageReport>) => {
      if (!event.data || typeof event.data.load !== 'number' || !predicate(event.data)) return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
  });
}

test('a page reloaded mid-stream finds the conversation intact, the partial reply interrupted', async () => {
  const id = `reload-${Date.now()}`;
  const frame = document.createElement('iframe');
  frame.srcdoc = pageSource(id);
  // The partial reply must be long enough to have been saved once (persistThrottleMs 40) before the reload.
  const streaming = nextReport(
    (r) => r.load === 1 && r.status === 'streaming' && (r.messages[1]?.content.length ?? 0) > 40,
  );
  document.body.append(frame);
  const before = await streaming;
  expect(before.messages[0]).toEqual({ role: 'user', content: 'Tell me about the sea', status: 'done' });

  // The page keeps streaming (and saving) until the reload lands, so remember the longest reply it showed.
  let longest = String(before.messages[1]!.content);
  const track = (event: MessageEvent<PageReport>) => {
    const content = event.data?.load === 1 ? String(event.data.messages[1]?.content ?? '') : '';
    if (content.length > longest.length) longest = content;
  };
  window.addEventListener('message', track);
  const restored = nextReport((r) => r.load === 2);
  frame.contentWindow!.location.reload();
  const after = await restored;
  window.removeEventListener('message', track);

  expect(after.status).toBe('idle');
  expect(after.messages).toHaveLength(2);
  expect(after.messages[0]).toEqual({ role: 'user', content: 'Tell me about the sea', status: 'done' });
  const partial = after.messages[1]!;
  expect(partial.status).toBe('interrupted');
  expect(partial.content.length).toBeGreaterThan(0);
  // What was saved is what had arrived: a beginning of the same reply the page was showing (the
  // last save may be a frame ahead of the last snapshot the page managed to post).
  const saved = String(partial.content);
  expect(longest.startsWith(saved) || saved.startsWith(longest)).toBe(true);
  const shown = String(before.messages[1]!.content);
  expect(shown.startsWith(saved) || saved.startsWith(shown)).toBe(true);
  // The stored entry itself is still versioned and intact.
  const stored = JSON.parse(localStorage.getItem(chatStorageKey(id))!);
  expect(stored).toMatchObject({ format: 'parlance.chat', version: 1, id });
});

test('useChat in Chromium: streams from the server, shows each message with its status', async () => {
  function Chat() {
    const chat = useChat({
      baseUrl,
      model: 'scenario-stream',
      headers: { 'x-test-id': 'chat-hook-stream' },
    });
    return (
      <div>
        <button type="button" onClick={() => void chat.send('What is the capital of France?')}>
          Send
        </button>
        <ol aria-label="Conversation">
          {chat.messages.map((m) => (
            <li key={m.id} data-role={m.role} data-status={m.status}>
              {typeof m.content === 'string' ? m.content : ''}
            </li>
          ))}
        </ol>
        <p data-testid="usage">{chat.usage.total_tokens}</p>
      </div>
    );
  }
  const screen = await render(<Chat />);
  await screen.getByRole('button', { name: 'Send' }).click();
  const reply = screen.getByRole('listitem').nth(1);
  await expect.element(reply).toHaveAttribute('data-status', 'streaming');
  await expect.element(reply, { timeout: 5000 }).toHaveAttribute('data-status', 'done');
  const text = reply.element().textContent ?? '';
  expect(text.length).toBeGreaterThan(20);
  await expect.element(screen.getByTestId('usage')).not.toHaveTextContent(/^0$/);
});

test('a socket reset mid-stream over HTTP: the partial reply is interrupted, then continue appends', async () => {
  const store = createChatStore({
    model: 'scenario-reset',
    transport: createClientTransport({ baseUrl, headers: { 'x-test-id': 'chat-reset' } }),
    storage: createLocalStorage(),
    id: 'reset',
  });
  store.mount();
  await store.send('Hi');
  const reply = store.getSnapshot().messages[1]!;
  expect(reply.status).toBe('interrupted');
  expect(String(reply.content).length).toBeGreaterThan(0);
  expect(store.getSnapshot().status).toBe('error');

  store.setOptions({ ...optionsFor('scenario-stream'), id: 'reset' });
  await store.continue();
  const continued = store.getSnapshot().messages[1]!;
  expect(continued.id).toBe(reply.id);
  expect(String(continued.content).startsWith(String(reply.content))).toBe(true);
  expect(continued.status).toBe('done');
});

test('a 429 over HTTP is waited out and retried by the store', async () => {
  const store = createChatStore(optionsFor('scenario-rate-limited', 'chat-429'));
  const waits: number[] = [];
  store.subscribe(() => {
    const wait = store.getSnapshot().retryWait;
    if (wait) waits.push(wait.attempt);
  });
  await store.send('Hi');
  expect(waits).toContain(1);
  expect(store.getSnapshot().messages[1]!.status).toBe('done');
});

function optionsFor(model: string, testId = model) {
  return {
    model,
    storage: createLocalStorage(),
    transport: createClientTransport({ baseUrl, headers: { 'x-test-id': testId } }),
  };
}
