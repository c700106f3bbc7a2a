import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { MessageList, type ChatMessage } from 'parlance';

import 'parlance/styles.css';

import { message } from '../../stories/support/chat-fixtures';
import { ALLOWED_IMAGE_ORIGIN, xssPayloads } from '../fixtures/xss/payloads';

declare global {
  interface Window {
    __xss?: number;
  }
}

const hits: string[] = [];
const resources: string[] = [];
let observer: PerformanceObserver;
const originals = {
  alert: window.alert,
  confirm: window.confirm,
  prompt: window.prompt,
  print: window.print,
};

beforeAll(() => {
  window.alert = (value?: unknown) => void hits.push(`alert ${String(value)}`);
  window.confirm = (value?: string) => (hits.push(`confirm ${value}`), false);
  window.prompt = (value?: string) => (hits.push(`prompt ${value}`), null);
  window.print = () => void hits.push('print');
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) resources.push(entry.name);
  });
  observer.observe({ type: 'resource', buffered: false });
});

afterAll(() => {
  Object.assign(window, originals);
  observer.disconnect();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

function List({ messages, userMarkdown = false }: { messages: ChatMessage[]; userMarkdown?: boolean }) {
  // Tall enough that the virtualiser mounts every message.
  return (
    <div style={{ height: 200_000 }}>
      <MessageList
        messages={messages}
        userMarkdown={userMarkdown}
        allowedImageOrigins={[ALLOWED_IMAGE_ORIGIN]}
      />
    </div>
  );
}

function assertInert(root: HTMLElement) {
  expect(hits).toEqual([]);
  expect(window.__xss).toBeUndefined();
  const offOrigin = resources.filter((name) => {
    const url = new URL(name, location.href);
    return url.origin !== location.origin && url.origin !== ALLOWED_IMAGE_ORIGIN;
  });
  expect(offOrigin).toEqual([]);
  const dangerous = root.querySelectorAll(
    'script, iframe, object, embed, frame, frameset, portal, style, link, meta, base, svg, math, video, audio, source, picture, form, template, marquee, details',
  );
  expect([...dangerous].map((e) => e.outerHTML)).toEqual([]);
  for (const element of root.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      expect(attribute.name.startsWith('on'), `${element.tagName} has ${attribute.name}`).toBe(false);
    }
  }
  for (const image of root.querySelectorAll('img')) {
    const src = new URL(image.getAttribute('src') ?? '', location.href);
    expect(src.origin).toBe(ALLOWED_IMAGE_ORIGIN);
  }
  for (const link of root.querySelectorAll('a')) {
    const href = new URL(link.getAttribute('href') ?? '', location.href);
    expect(['http:', 'https:', 'mailto:']).toContain(href.protocol);
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.getAttribute('rel')).toContain('noreferrer');
  }
}

describe(`XSS corpus (${xssPayloads.length} payloads)`, () => {
  it('has at least 150 payloads', () => {
    expect(xssPayloads.length).toBeGreaterThanOrEqual(150);
  });

  it('renders every payload whole, as assistant and user messages, without effect', async () => {
    const messages = xssPayloads.flatMap((payload) => [
      message({ role: 'user', content: payload }),
      message({ role: 'assistant', content: payload }),
    ]);
    const screen = await render(<List messages={messages} />);
    const root = screen.container as HTMLElement;
    await expect.poll(() => root.querySelectorAll('article').length).toBe(messages.length);
    await settle();
    assertInert(root);
  });

  it('renders every payload as user markdown without effect', async () => {
    const messages = xssPayloads.map((payload) => message({ role: 'user', content: payload }));
    const screen = await render(<List messages={messages} userMarkdown />);
    const root = screen.container as HTMLElement;
    await expect.poll(() => root.querySelectorAll('article').length).toBe(messages.length);
    await settle();
    assertInert(root);
  });

  it('streams every payload in small pieces without effect at any point', async () => {
    const screen = await render(<List messages={[]} />);
    const root = screen.container as HTMLElement;
    for (const [n, payload] of xssPayloads.entries()) {
      const question = message({ role: 'user', content: `payload ${n}` });
      for (let end = 1; end <= payload.length; end += 5) {
        const reply = {
          ...message({ role: 'assistant', content: payload.slice(0, end) }),
          id: 'r',
          status: 'streaming' as const,
        };
        await screen.rerender(<List messages={[question, reply]} />);
        assertInert(root);
      }
      const done = { ...message({ role: 'assistant', content: payload }), id: 'r', status: 'done' as const };
      await screen.rerender(<List messages={[question, done]} />);
    }
    await settle();
    assertInert(root);
  });
});
