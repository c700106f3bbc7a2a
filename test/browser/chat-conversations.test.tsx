// Real Chromium, real HTTP, a real reload: several conversations made in a ChatWindow with its
// conversation list come back after the page reloads, titled, newest first, each with its messages.
// The page imports react-dom/client: imported here too, it is pre-bundled before the test starts,
// so Vite does not reload the run to optimise it midway.
import 'react-dom/client';
import { afterEach, beforeEach, expect, inject, test } from 'vitest';

const baseUrl = inject('testServerUrl');

// The page lists every conversation in this origin's localStorage: start from none, whatever an
// earlier file in the same browser left there.
beforeEach(() => localStorage.clear());
afterEach(() => {
  localStorage.clear();
  document.querySelectorAll('iframe').forEach((frame) => frame.remove());
});

/** Polls `read` until it gives a value; generous, for a machine busy with other tests. */
async function until<T>(read: () => T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${read.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function button(doc: Document, name: string, within: ParentNode = doc): HTMLButtonElement | undefined {
  return [...within.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
  );
}

/** Types into the composer as a user would (React listens to the input event) and sends. */
async function send(doc: Document, text: string) {
  const box = await until(() => doc.querySelector<HTMLTextAreaElement>('textarea'));
  // The page's own realm: React tracks the value through that prototype's setter.
  const view = doc.defaultView!;
  const setter = Object.getOwnPropertyDescriptor(view.HTMLTextAreaElement.prototype, 'value')!.set!;
  setter.call(box, text);
  box.dispatchEvent(new view.Event('input', { bubbles: true }));
  const sendButton = await until(() => {
    const b = button(doc, 'Send');
    return b && !b.disabled ? b : null;
  });
  sendButton.click();
  // The reply has ended when the last message is an assistant message that is done.
  await until(() => {
    const last = [...doc.querySelectorAll('[data-slot="message"]')].at(-1);
    return last?.getAttribute('data-role') === 'assistant' && last.getAttribute('data-status') === 'done';
  });
}

function titles(doc: Document): string[] {
  return [...doc.querySelectorAll('.parlance-conversation-item')].map((b) => b.textContent ?? '');
}

test('a reload with several conversations: all listed, newest first and open, each with its own messages', async () => {
  const frame = document.createElement('iframe');
  frame.style.width = '1000px';
  frame.style.height = '700px';
  frame.srcdoc = `<!doctype html><meta charset="utf-8"><body><script type="module">
    window.__baseUrl = ${JSON.stringify(baseUrl)};
    import('/test/browser/pages/conversations-page.tsx');
  </script></body>`;
  document.body.append(frame);
  const loaded = () => frame.contentDocument!;
  // A first visit starts a conversation (listed as Untitled, and open) before anything is typed.
  await until(() => loaded().querySelector('.parlance-conversation-item[aria-current="true"]'), 30_000);

  await send(loaded(), 'First topic: the sea');
  await until(() => titles(loaded()).includes('First topic: the sea'));
  button(loaded(), 'New conversation', loaded().querySelector('[data-slot="chat-header"]')!)!.click();
  await until(() => loaded().querySelectorAll('[data-slot="message"]').length === 0);
  await send(loaded(), 'Second topic: mountains');
  await send(loaded(), 'And a follow-up');
  await until(() => titles(loaded()).length === 2);

  frame.contentWindow!.location.reload();
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const doc = await until(() => {
    const d = frame.contentDocument!;
    return d.querySelectorAll('[data-slot="message"]').length > 0 ? d : null;
  });
  expect(titles(doc)).toEqual(['Second topic: mountains', 'First topic: the sea']);
  const current = doc.querySelector('.parlance-conversation-item[aria-current="true"]');
  expect(current?.textContent).toBe('Second topic: mountains');
  expect(doc.querySelectorAll('[data-slot="message"]')).toHaveLength(4);
  expect(doc.querySelectorAll('[data-slot="message"] time[datetime]')).toHaveLength(4);

  button(doc, 'First topic: the sea')!.click();
  await until(() => doc.querySelectorAll('[data-slot="message"]').length === 2);
  expect(doc.querySelector('[data-slot="message"][data-role="user"]')?.textContent).toContain(
    'First topic: the sea',
  );
}, 120_000);
