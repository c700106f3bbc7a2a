// @vitest-environment jsdom
// <parlance-chat> with no base-url: the chat opens with the reason in place of the composer, the
// console names the missing attribute, and nothing is sent to a path relative to the host page.
import { act, waitFor } from '@testing-library/react';
import { ConfigurationError } from 'parlance/core';
import { afterEach, expect, test, vi } from 'vitest';

import { mountChatPanel, type WidgetController } from '../../../src/widget/chat-panel';
import type { WidgetSnapshot } from '../../../src/widget/contract';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

function snapshot(patch: Partial<WidgetSnapshot>): WidgetSnapshot {
  return {
    open: true,
    baseUrl: undefined,
    model: 'gpt-4o-mini',
    title: 'Help',
    system: undefined,
    locale: 'en',
    theme: 'light',
    position: 'bottom-right',
    storageKey: 'widget-base-url-test',
    placeholder: undefined,
    allowedImageOrigins: undefined,
    showUsage: false,
    headers: undefined,
    transport: undefined,
    messages: undefined,
    strings: undefined,
    wanted: false,
    ...patch,
  };
}

async function mount(state: WidgetSnapshot) {
  const container = document.createElement('div');
  document.body.append(container);
  let controller: WidgetController | undefined;
  const onCrash = vi.fn();
  const emit = vi.fn();
  let unmount!: () => void;
  await act(async () => {
    unmount = mountChatPanel(container, {
      subscribe: () => () => {},
      getSnapshot: () => state,
      onController: (c) => (controller = c),
      onMounted: () => {},
      emit,
      onReplyEnded: () => {},
      onCrash,
    });
  });
  await waitFor(() => expect(controller).toBeDefined());
  return { container, controller: controller!, onCrash, emit, unmount };
}

test('no base-url: the reason shows, the composer is disabled, the console names the attribute', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  const fetch = vi.fn<typeof globalThis.fetch>();
  vi.stubGlobal('fetch', fetch);
  const { container, controller, onCrash, emit, unmount } = await mount(snapshot({}));

  expect(onCrash).not.toHaveBeenCalled();
  expect(container.textContent).toContain('<parlance-chat> has no base-url attribute');
  expect(container.querySelector('textarea')?.disabled).toBe(true);
  const reported = logged.mock.calls.map(([first]) => first).filter((e) => ConfigurationError.isInstance(e));
  expect(reported).toHaveLength(1);
  expect(reported[0]).toMatchObject({ option: 'base-url' });

  // send() from the host page is refused with the same error, and nothing reaches the network.
  await act(() => controller.send('Hello'));
  expect(fetch).not.toHaveBeenCalled();
  expect(emit).toHaveBeenCalledWith(
    'parlance-error',
    expect.objectContaining({ error: expect.objectContaining({ option: 'base-url' }) }),
  );
  act(unmount);
});

test('with a base-url the composer is enabled and nothing is logged', async () => {
  const logged = vi.spyOn(console, 'error');
  const { container, unmount } = await mount(snapshot({ baseUrl: 'http://127.0.0.1:9/v1' }));
  expect(container.querySelector('textarea')?.disabled).toBe(false);
  expect(container.textContent).not.toContain('base-url');
  expect(logged).not.toHaveBeenCalled();
  act(unmount);
});
