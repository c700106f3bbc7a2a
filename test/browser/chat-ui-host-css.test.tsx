// ChatWindow on a host page: it holds its size (fills a container with a height, stays bounded
// in one without) and its layout against the ordinary element rules of the host's own CSS.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { ChatWindow, ParlanceProvider, type ChatMessage } from 'parlance';

import 'parlance/styles.css';

import { longConversation, message } from '../../stories/support/chat-fixtures';

/** What a host page commonly has: Vite's template (#root) and a reset or two, all unlayered. */
const HOSTILE_CSS = `
  * { box-sizing: content-box; }
  #host-root { max-width: 1280px; margin: 0 auto; padding: 2rem; text-align: center; }
  code { display: inline-flex; }
  pre { display: flex; }
`;

let style: HTMLStyleElement | undefined;
afterEach(() => {
  style?.remove();
  style = undefined;
});

function hostCss(css: string) {
  style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}

const CODE_REPLY = message({
  role: 'assistant',
  content:
    'Run `npm start` in the project, then:\n\n```sh\ncurl http://127.0.0.1:8787/v1/models\n```\n\nThat is all.',
});

function Chat({
  messages,
  children,
}: {
  messages: ChatMessage[];
  children?: (chat: React.ReactNode) => React.ReactNode;
}) {
  const chat = <ChatWindow initialMessages={messages} showTokenMeter={false} storage={null} />;
  return (
    <ParlanceProvider baseUrl="http://127.0.0.1:9/v1" model="gpt-4o-mini" locale="en" theme="light">
      {children ? children(chat) : chat}
    </ParlanceProvider>
  );
}

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

function windowOf(container: Element): HTMLElement {
  const element = container.querySelector<HTMLElement>('.parlance-chat-window');
  if (!element) throw new Error('no .parlance-chat-window');
  return element;
}

describe('ChatWindow in a host page', () => {
  it('in page flow with hostile host CSS: bounded height, text starts at the start, code laid out as code', async () => {
    hostCss(HOSTILE_CSS);
    const messages = [
      ...longConversation(20),
      message({ role: 'user', content: 'And the server?' }),
      CODE_REPLY,
    ];
    const screen = await render(
      <Chat messages={messages}>{(chat) => <div id="host-root">{chat}</div>}</Chat>,
    );
    const root = screen.container;
    const win = windowOf(root);
    await expect.poll(() => root.querySelector('pre code')).not.toBeNull();
    await frame();

    // Not the height of 42 messages (thousands of pixels): the parts plus the message area's basis.
    const height = win.getBoundingClientRect().height;
    expect(height).toBeGreaterThanOrEqual(480);
    expect(height).toBeLessThan(720);
    const log = root.querySelector<HTMLElement>('[role="log"]')!;
    expect(log.scrollHeight).toBeGreaterThan(log.clientHeight * 2);

    const reply = [...root.querySelectorAll<HTMLElement>('[data-role="assistant"]')].at(-1)!;
    expect(getComputedStyle(win).textAlign).toBe('start');
    expect(getComputedStyle(reply).textAlign).toBe('start');
    const paragraph = reply.querySelector('p')!;
    expect(getComputedStyle(paragraph).textAlign).toBe('start');
    // The paragraph's text begins at its left edge, not centred.
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    expect(range.getBoundingClientRect().left - paragraph.getBoundingClientRect().left).toBeLessThan(2);

    const inline = paragraph.querySelector('code')!;
    expect(inline.textContent).toBe('npm start');
    expect(getComputedStyle(inline).display).toBe('inline');
    const pre = reply.querySelector('pre')!;
    const block = pre.querySelector('code')!;
    expect(getComputedStyle(pre).display).toBe('block');
    expect(getComputedStyle(block).display).toBe('block');
    expect(block.textContent).toBe('curl http://127.0.0.1:8787/v1/models');

    for (const element of [win, log, pre, root.querySelector('textarea')!]) {
      expect(getComputedStyle(element).boxSizing).toBe('border-box');
    }
  });

  it('fills a container that has a height, and takes the rest of a flex column beside a header', async () => {
    const messages = longConversation(20);
    const fixed = await render(
      <Chat messages={messages}>{(chat) => <div style={{ height: 900 }}>{chat}</div>}</Chat>,
    );
    expect(windowOf(fixed.container).getBoundingClientRect().height).toBe(900);
    await fixed.unmount();

    const small = await render(
      <Chat messages={messages}>{(chat) => <div style={{ height: 400 }}>{chat}</div>}</Chat>,
    );
    expect(windowOf(small.container).getBoundingClientRect().height).toBe(400);
    await small.unmount();

    const column = await render(
      <Chat messages={messages}>
        {(chat) => (
          <div style={{ height: 800, display: 'flex', flexDirection: 'column' }}>
            <header style={{ height: 100, flex: 'none' }}>App</header>
            {chat}
          </div>
        )}
      </Chat>,
    );
    expect(windowOf(column.container).getBoundingClientRect().height).toBe(700);
  });

  it('--parlance-chat-messages-height sets the message area when the container has no height', async () => {
    const messages = longConversation(20);
    const screen = await render(
      <Chat messages={messages}>
        {(chat) => <div style={{ ['--parlance-chat-messages-height' as string]: '200px' }}>{chat}</div>}
      </Chat>,
    );
    const list = screen.container.querySelector<HTMLElement>('.parlance-chat-messages')!;
    expect(list.getBoundingClientRect().height).toBe(200);
  });
});
