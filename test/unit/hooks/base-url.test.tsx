// @vitest-environment jsdom
// A hook that sends requests and has no baseUrl (neither its options nor a provider give one)
// throws a ConfigurationError while rendering, instead of posting to a path relative to the page.
import { cleanup, render, renderHook } from '@testing-library/react';
import {
  ChatWindow,
  ParlanceProvider,
  useChat,
  useImageEdit,
  useImageGeneration,
  useImageVariation,
} from 'parlance';
import { ConfigurationError, ParlanceError, type ChatTransport } from 'parlance/core';
import { Component, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, test, vi } from 'vitest';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Renders `node`; returns what it threw while rendering (React logs it too: kept quiet here). */
function renderError(node: ReactNode): unknown {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  let caught: unknown;
  class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
    override state = { failed: false };
    static getDerivedStateFromError() {
      return { failed: true };
    }
    override componentDidCatch(error: unknown) {
      caught = error;
    }
    override render() {
      return this.state.failed ? null : this.props.children;
    }
  }
  render(<Boundary>{node}</Boundary>);
  return caught;
}

function expectConfigurationError(error: unknown, hook: string) {
  expect(ConfigurationError.isInstance(error)).toBe(true);
  expect(ParlanceError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ name: 'ConfigurationError', option: 'baseUrl' });
  const message = (error as Error).message;
  expect(message).toContain(`${hook} has no baseUrl`);
  expect(message).toContain('<ParlanceProvider baseUrl="https://…/v1">');
  expect(message).toContain(`pass baseUrl to ${hook}`);
}

const echo: ChatTransport = {
  async *send() {
    yield {
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }],
    };
  },
};

describe('useChat and ChatWindow', () => {
  test('with no provider and no baseUrl, useChat throws while rendering', () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    vi.stubGlobal('fetch', fetch);
    function Chat() {
      useChat();
      return null;
    }
    expectConfigurationError(renderError(<Chat />), 'useChat');
    expect(fetch).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });

  test('ChatWindow with no provider throws the same error, on the server too', () => {
    expectConfigurationError(renderError(<ChatWindow />), 'useChat');
    let serverError: unknown;
    try {
      renderToString(<ChatWindow />);
    } catch (error) {
      serverError = error;
    }
    expectConfigurationError(serverError, 'useChat');
  });

  test('a provider without baseUrl (only a model or a locale) is not enough', () => {
    const error = renderError(
      <ParlanceProvider model="gpt-4o-mini" locale="en">
        <ChatWindow />
      </ParlanceProvider>,
    );
    expectConfigurationError(error, 'useChat');
  });

  test('an empty baseUrl (an unset environment variable) is refused and named as empty', () => {
    function Chat() {
      useChat({ baseUrl: '  ' });
      return null;
    }
    const error = renderError(<Chat />);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('useChat has an empty baseUrl');
  });

  test('baseUrl from the provider or from the options, or a transport instead, renders', () => {
    const fromProvider = renderHook(() => useChat(), {
      wrapper: ({ children }) => <ParlanceProvider baseUrl="http://api.test/v1">{children}</ParlanceProvider>,
    });
    expect(fromProvider.result.current.status).toBe('idle');
    const fromOptions = renderHook(() => useChat({ baseUrl: 'http://api.test/v1' }));
    expect(fromOptions.result.current.status).toBe('idle');
    const withTransport = renderHook(() => useChat({ transport: echo }));
    expect(withTransport.result.current.status).toBe('idle');
  });
});

describe('image hooks', () => {
  test.each([
    ['useImageGeneration', () => useImageGeneration()],
    ['useImageEdit', () => useImageEdit()],
    ['useImageVariation', () => useImageVariation()],
  ] as const)('%s with no baseUrl throws while rendering', (hook, use) => {
    function Images() {
      use();
      return null;
    }
    expectConfigurationError(renderError(<Images />), hook);
  });

  test('with a provider baseUrl they render', () => {
    const { result } = renderHook(() => useImageGeneration({ pacer: null }), {
      wrapper: ({ children }) => <ParlanceProvider baseUrl="http://api.test/v1">{children}</ParlanceProvider>,
    });
    expect(result.current.status).toBe('idle');
  });
});
