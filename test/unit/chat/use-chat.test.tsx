// @vitest-environment jsdom
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import {
  createChatStore,
  createMemoryStorage,
  chatStorageKey,
  type ChatFinishEvent,
  type ChatStore,
} from 'parlance/core';
import {
  ParlanceProvider,
  useChat,
  type ChatMessage,
  type UseChatOptions,
  type UseChatResult,
} from 'parlance';
import { memo, StrictMode } from 'react';
import { afterEach, describe, expect, expectTypeOf, test, vi } from 'vitest';

import { chunk, reply, scriptedTransport } from './scripted-transport';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function hook(options: UseChatOptions = {}) {
  const script = scriptedTransport();
  const view = renderHook((props: UseChatOptions) => useChat(props), {
    initialProps: { model: 'gpt-test', transport: script.transport, throttle: 0, ...options },
  });
  return { script, ...view };
}

describe('useChat', () => {
  test('streams a reply, with status and derived flags following the store', async () => {
    const { result, script } = hook();
    const stream = script.controlled();
    expect(result.current).toMatchObject({ status: 'idle', isBusy: false, error: null, messages: [] });

    let sent!: Promise<unknown>;
    act(() => {
      sent = result.current.send('Hi');
    });
    await act(() => stream.started);
    expect(result.current).toMatchObject({ status: 'submitted', isBusy: true });
    await act(async () => {
      stream.push(chunk('Hel'), chunk('lo'));
    });
    expect(result.current.status).toBe('streaming');
    expect(result.current.messages[1]).toMatchObject({ content: 'Hello', status: 'streaming' });
    await act(async () => {
      stream.push(chunk(undefined, 'length'));
      stream.end();
      await sent;
    });
    expect(result.current).toMatchObject({ status: 'idle', isBusy: false, canContinue: true });
    expect(result.current.messages[1]).toMatchObject({ status: 'done', finishReason: 'length' });
  });

  test('the store is created once per mount; actions keep their identity across renders', async () => {
    const { result, rerender, script } = hook();
    const first = result.current;
    rerender({ model: 'gpt-other', transport: script.transport, throttle: 0 });
    expect(result.current.store).toBe(first.store);
    expect(result.current.send).toBe(first.send);
    expect(result.current.stop).toBe(first.stop);
    // the new option applies to the next request
    script.stream(reply(['ok']));
    await act(() => result.current.send('Hi'));
    expect(script.requests[0]!.model).toBe('gpt-other');
  });

  test('callbacks are read fresh: the latest onFinish is called, and the store is not rebuilt', async () => {
    const a = vi.fn<(e: ChatFinishEvent) => void>();
    const b = vi.fn<(e: ChatFinishEvent) => void>();
    const { result, rerender, script } = hook({ onFinish: a });
    const store = result.current.store;
    rerender({ model: 'gpt-test', transport: script.transport, throttle: 0, onFinish: b });
    script.stream(reply(['ok']));
    await act(() => result.current.send('Hi'));
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith(expect.objectContaining({ reason: 'stop' }));
    expect(result.current.store).toBe(store);
  });

  test('a new id means a new conversation, restored from storage; the old one is kept', async () => {
    const storage = createMemoryStorage();
    const { result, rerender, script } = hook({ id: 'one', storage });
    script.stream(reply(['first reply']));
    await act(() => result.current.send('first'));
    const storeOne = result.current.store;

    rerender({ id: 'two', storage, model: 'gpt-test', transport: script.transport, throttle: 0 });
    await waitFor(() => expect(result.current.id).toBe('two'));
    expect(result.current.store).not.toBe(storeOne);
    expect(result.current.messages).toEqual([]);

    rerender({ id: 'one', storage, model: 'gpt-test', transport: script.transport, throttle: 0 });
    await waitFor(() =>
      expect(result.current.messages.map((m) => m.content)).toEqual(['first', 'first reply']),
    );
  });

  test('with an id and no storage given, the conversation persists in localStorage (the browser default)', async () => {
    const { result, script, unmount } = hook({ id: 'ls' });
    script.stream(reply(['kept']));
    await act(() => result.current.send('remember me'));
    unmount();
    expect(JSON.parse(localStorage.getItem(chatStorageKey('ls'))!)).toMatchObject({
      format: 'parlance.chat',
      messages: [{ content: 'remember me' }, { content: 'kept' }],
    });
    const again = hook({ id: 'ls' });
    expect(again.result.current.messages.map((m) => m.content)).toEqual(['remember me', 'kept']);
    expect(again.result.current.restore).toBe('ready');
  });

  test('without an id nothing is stored', async () => {
    const { result, script } = hook();
    script.stream(reply(['x']));
    await act(() => result.current.send('y'));
    expect(localStorage.length).toBe(0);
    expect(result.current.restore).toBe('none');
  });

  test('the provider supplies baseUrl, model, headers and fetch to the default transport', async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => {
      const body = [chunk('from provider', 'stop'), '[DONE]']
        .map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`)
        .join('');
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const { result } = renderHook(() => useChat({ throttle: 0 }), {
      wrapper: ({ children }) => (
        <ParlanceProvider
          baseUrl="http://api.test/v1"
          model="gpt-provider"
          headers={{ 'x-app': 'a' }}
          fetch={fetch as unknown as typeof globalThis.fetch}
        >
          {children}
        </ParlanceProvider>
      ),
    });
    await act(() => result.current.send('Hi'));
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://api.test/v1/chat/completions');
    expect(new Headers(init.headers).get('x-app')).toBe('a');
    expect(JSON.parse(init.body as string)).toMatchObject({ model: 'gpt-provider', stream: true });
    expect(result.current.messages[1]!.content).toBe('from provider');
  });

  test('works in StrictMode (double effects restore once)', async () => {
    const storage = createMemoryStorage({
      [chatStorageKey('strict')]: {
        format: 'parlance.chat',
        version: 1,
        id: 'strict',
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        savedAt: 0,
        messages: [{ id: 'a', role: 'user', content: 'stored', createdAt: 1, status: 'done' }],
      },
    });
    const get = vi.spyOn(storage, 'get');
    const { result } = renderHook(() => useChat({ id: 'strict', storage, baseUrl: 'http://api.test/v1' }), {
      wrapper: StrictMode,
    });
    await waitFor(() => expect(result.current.messages.map((m) => m.content)).toEqual(['stored']));
    expect(get).toHaveBeenCalledTimes(1);
  });
});

describe('render count', () => {
  test('500 chunks into a 200-message conversation re-render only the streaming row', async () => {
    const renders = new Map<string, number>();
    const Row = memo(function Row({ message }: { message: ChatMessage }) {
      renders.set(message.id, (renders.get(message.id) ?? 0) + 1);
      return (
        <li data-role={message.role} data-status={message.status}>
          {typeof message.content === 'string' ? message.content : ''}
        </li>
      );
    });
    const initialMessages = Array.from({ length: 200 }, (_, i) => ({
      id: `h${i}`,
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      content: `history ${i}`,
    }));
    const script = scriptedTransport();
    const stream = script.controlled();
    let chat!: ReturnType<typeof useChat>;
    function Chat() {
      // throttle 0: one store notification per chunk, the worst case for rendering
      chat = useChat({ initialMessages, transport: script.transport, throttle: 0, model: 'm' });
      return (
        <ul>
          {chat.messages.map((m) => (
            <Row key={m.id} message={m} />
          ))}
        </ul>
      );
    }
    render(<Chat />);
    expect(screen.getAllByRole('listitem')).toHaveLength(200);

    let sent!: Promise<unknown>;
    act(() => {
      sent = chat.send('and now?');
    });
    await act(() => stream.started);
    for (let i = 0; i < 500; i++) {
      await act(async () => stream.push(chunk(`t${i} `)));
    }
    await act(async () => {
      stream.push(chunk(undefined, 'stop'));
      stream.end();
      await sent;
    });

    const userId = chat.messages[200]!.id;
    const replyId = chat.messages[201]!.id;
    for (let i = 0; i < 200; i++) expect(renders.get(`h${i}`)).toBe(1);
    expect(renders.get(userId)).toBe(1);
    // every chunk was shown: the streaming row rendered once per chunk (plus pending and done)
    expect(renders.get(replyId)).toBeGreaterThanOrEqual(500);
    expect(chat.messages[201]!.content).toBe(Array.from({ length: 500 }, (_, i) => `t${i} `).join(''));
    expect(screen.getAllByRole('listitem').at(-1)!.dataset.status).toBe('done');
  }, 60_000);
});

describe('bound to an existing store, with a selector', () => {
  test('{ chat } binds to the given store: no new store, no URL needed, the same actions', async () => {
    const script = scriptedTransport();
    const owner = renderHook(() => useChat({ model: 'm', transport: script.transport, throttle: 0 }));
    const bound = renderHook((chat: UseChatResult | ChatStore) => useChat({ chat }), {
      initialProps: owner.result.current,
    });
    expect(bound.result.current.store).toBe(owner.result.current.store);
    expect(bound.result.current.send).toBe(owner.result.current.send);
    script.stream(reply(['shared']));
    await act(() => bound.result.current.send('Hi'));
    expect(owner.result.current.messages.map((m) => m.content)).toEqual(['Hi', 'shared']);
    expect(bound.result.current.messages).toBe(owner.result.current.messages);
    // a bare store works too
    const plain = renderHook(() => useChat({ chat: owner.result.current.store }));
    expect(plain.result.current.messages).toBe(owner.result.current.messages);
  });

  test('a selector returns its part of the state, kept while isEqual says it is the same', async () => {
    const script = scriptedTransport();
    const store = createChatStore({ model: 'm', transport: script.transport, throttle: 0 });
    let renders = 0;
    const count = renderHook(() => {
      renders++;
      return useChat({ chat: store, select: (s) => s.messages.length });
    });
    const ids = renderHook(() =>
      useChat({
        chat: store,
        select: (s) => s.messages.map((m) => m.id),
        isEqual: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
      }),
    );
    const firstIds = ids.result.current;
    // the selection's type, and the whole result's without a selector (checked by tsc)
    expectTypeOf(count.result.current).toEqualTypeOf<number>();
    expectTypeOf(ids.result.current).toEqualTypeOf<string[]>();
    expectTypeOf<ReturnType<typeof useChat>>().toEqualTypeOf<UseChatResult>();
    expect(count.result.current).toBe(0);
    const stream = script.controlled();
    let sent!: Promise<unknown>;
    act(() => {
      sent = store.send('Hi');
    });
    await act(() => stream.started);
    expect(count.result.current).toBe(2);
    const twoIds = ids.result.current;
    expect(twoIds).not.toBe(firstIds);
    const rendersBefore = renders;
    for (let i = 0; i < 20; i++) await act(async () => stream.push(chunk(`t${i}`)));
    await act(async () => {
      stream.push(chunk(undefined, 'stop'));
      stream.end();
      await sent;
    });
    // the length never changed while the reply streamed: no re-render; the ids kept their array
    expect(renders).toBe(rendersBefore);
    expect(ids.result.current).toBe(twoIds);
  });

  test('per-message subscriptions: a streamed frame re-renders only the live message', async () => {
    const renders = new Map<string, number>();
    let listRenders = 0;
    // Not memoised: only its own subscription can re-render it.
    function Row({ chat, id }: { chat: ChatStore; id: string }) {
      const message = useChat({ chat, select: (s) => s.messages.find((m) => m.id === id) });
      renders.set(id, (renders.get(id) ?? 0) + 1);
      return (
        <li data-status={message?.status}>{typeof message?.content === 'string' ? message.content : ''}</li>
      );
    }
    const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
    function List({ chat }: { chat: ChatStore }) {
      const ids = useChat({ chat, select: (s) => s.messages.map((m) => m.id), isEqual: sameIds });
      listRenders++;
      return (
        <ul>
          {ids.map((id) => (
            <Row key={id} chat={chat} id={id} />
          ))}
        </ul>
      );
    }
    const initialMessages = Array.from({ length: 50 }, (_, i) => ({
      id: `h${i}`,
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      content: `history ${i}`,
    }));
    const script = scriptedTransport();
    const store = createChatStore({ initialMessages, transport: script.transport, throttle: 0, model: 'm' });
    render(<List chat={store} />);
    expect(screen.getAllByRole('listitem')).toHaveLength(50);
    expect(listRenders).toBe(1);

    const stream = script.controlled();
    let sent!: Promise<unknown>;
    act(() => {
      sent = store.send('and now?');
    });
    await act(() => stream.started);
    // The new turn changed the ids: the list, and so every row once, rendered again. From here on
    // only the live message changes.
    const listAfterStart = listRenders;
    const rowsAfterStart = new Map(renders);
    for (let i = 0; i < 100; i++) await act(async () => stream.push(chunk(`t${i} `)));
    await act(async () => {
      stream.push(chunk(undefined, 'stop'));
      stream.end();
      await sent;
    });

    const { messages } = store.getSnapshot();
    const userId = messages[50]!.id;
    const replyId = messages[51]!.id;
    for (let i = 0; i < 50; i++) expect(renders.get(`h${i}`)).toBe(rowsAfterStart.get(`h${i}`));
    expect(renders.get(userId)).toBe(rowsAfterStart.get(userId));
    expect(rowsAfterStart.get(userId)).toBe(1);
    // the list did not re-render while the reply streamed (its ids did not change)
    expect(listRenders).toBe(listAfterStart);
    // the live row rendered for every chunk (plus pending and done), and shows the whole text
    expect(renders.get(replyId)! - rowsAfterStart.get(replyId)!).toBeGreaterThanOrEqual(100);
    expect(screen.getAllByRole('listitem').at(-1)!.textContent).toBe(
      Array.from({ length: 100 }, (_, i) => `t${i} `).join(''),
    );
    expect(screen.getAllByRole('listitem').at(-1)!.dataset.status).toBe('done');
  }, 60_000);
});
