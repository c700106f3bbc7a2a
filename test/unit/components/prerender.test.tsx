// Prerendering (Next.js with `cacheComponents`, any static shell): a server render must not read
// the clock or a random source, or the page cannot be prerendered and the markup would not match
// what the browser renders first. Each impure source throws here while the tree renders.
import {
  ChatWindow,
  Composer,
  ImageGallery,
  MaskEditor,
  MessageList,
  ParlanceProvider,
  TokenMeter,
  useChat,
  useImageEdit,
  useImageGeneration,
  useImageVariation,
  useTokenCount,
  type ImageHistoryEntry,
} from 'parlance';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, test, vi } from 'vitest';

class ImpureCallError extends Error {}

const RealDate = Date;

/** Makes `Date.now()`, `Date()`, `new Date()`, `Math.random()` and `crypto.randomUUID()` throw. */
function forbidImpureCalls(): string[] {
  const calls: string[] = [];
  const refuse = (name: string) => {
    calls.push(name);
    throw new ImpureCallError(`${name} was called during render`);
  };
  // A Date that still parses given times (libraries format timestamps) but refuses "now".
  const StrictDate = function (this: unknown, ...args: unknown[]) {
    if (!new.target) return refuse('Date()');
    if (args.length === 0) return refuse('new Date()');
    return new RealDate(...(args as [number]));
  } as unknown as DateConstructor;
  Object.setPrototypeOf(StrictDate, RealDate);
  Object.defineProperty(StrictDate, 'prototype', { value: RealDate.prototype });
  StrictDate.now = () => refuse('Date.now()');
  vi.stubGlobal('Date', StrictDate);
  vi.spyOn(Math, 'random').mockImplementation(() => refuse('Math.random()'));
  vi.spyOn(globalThis.crypto, 'randomUUID').mockImplementation(() => refuse('crypto.randomUUID()'));
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function prerender(node: React.ReactNode): { html: string; calls: string[] } {
  const calls = forbidImpureCalls();
  let html: string;
  try {
    html = renderToString(
      <ParlanceProvider baseUrl="http://127.0.0.1:9/v1" model="gpt-4o-mini" locale="en">
        {node}
      </ParlanceProvider>,
    );
  } finally {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  }
  return { html, calls };
}

describe('server rendering reads no clock and no random source', () => {
  test('the stubs do refuse (so the tests below can fail)', () => {
    forbidImpureCalls();
    expect(() => Date.now()).toThrow(ImpureCallError);
    expect(() => new Date()).toThrow(ImpureCallError);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(() => Math.random()).toThrow(ImpureCallError);
    expect(() => crypto.randomUUID()).toThrow(ImpureCallError);
  });

  test('ChatWindow with no id (an anonymous conversation)', () => {
    const { html, calls } = prerender(<ChatWindow />);
    expect(calls).toEqual([]);
    expect(html).toContain('parlance-chat-window');
    expect(html).toContain('Send');
  });

  test('ChatWindow with an id and initial messages that carry no id or time', () => {
    const { html, calls } = prerender(
      <ChatWindow
        id="support"
        storage={null}
        initialMessages={[
          { role: 'assistant', content: 'Welcome!' },
          { role: 'user', content: 'Hello' },
        ]}
      />,
    );
    expect(calls).toEqual([]);
    // The list is virtualised, so the server renders its frame; the rows come with measurement.
    expect(html).toContain('parlance-message-list');
    expect(html).toContain('aria-label="Message"');
  });

  test('the hooks alone, and the parts: MessageList, Composer, TokenMeter', () => {
    function Headless() {
      const chat = useChat({ initialMessages: [{ role: 'assistant', content: 'Hi there' }] });
      useTokenCount('Hello there', { model: 'gpt-4o' });
      useImageGeneration();
      useImageEdit();
      useImageVariation();
      return (
        <>
          <ol data-chat={chat.id}>
            {chat.messages.map((m) => (
              <li key={m.id} data-id={m.id} data-created={m.createdAt}>
                {String(m.content)}
              </li>
            ))}
          </ol>
          <MessageList messages={chat.messages} />
          <Composer value="" onValueChange={() => {}} onSend={() => {}} status={chat.status} />
          <TokenMeter promptTokens={10} replyRoom={100} contextWindow={128_000} />
        </>
      );
    }
    const { html, calls } = prerender(<Headless />);
    expect(calls).toEqual([]);
    // Ids from the message's position and React's useId: the same markup in the browser's first render.
    expect(html).toMatch(
      /<ol data-chat="anonymous[^"]+"><li data-id="initial-0" data-created="0">Hi there<\/li><\/ol>/,
    );
    expect(html).toContain('parlance-token-meter');
  });

  test('ImageGallery with images that expire', () => {
    const request: ImageHistoryEntry = {
      id: 'r1',
      operation: 'generate',
      prompt: 'A red fox in snow',
      n: 1,
      status: 'success',
      images: [{ src: 'https://images.test/fox.png', expiresAt: 4_102_444_800_000 }],
      error: null,
      createdAt: 0,
      reduced: null,
    };
    const { html, calls } = prerender(<ImageGallery requests={[request]} />);
    expect(calls).toEqual([]);
    expect(html).toContain('https://images.test/fox.png');
  });

  test('MaskEditor (it prepares its image in an effect)', () => {
    const { html, calls } = prerender(<MaskEditor image="https://images.test/fox.png" />);
    expect(calls).toEqual([]);
    expect(html).toContain('parlance-mask-editor');
  });
});
