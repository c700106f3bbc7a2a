// @vitest-environment jsdom
// The browser's first render of server markup must match it: no id, time or random value may
// differ between the two, or React throws the server's markup away (a recoverable error).
import { act } from '@testing-library/react';
import { ChatWindow, ImageGallery, ParlanceProvider, useChat, type ImageHistoryEntry } from 'parlance';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, expect, test, vi } from 'vitest';

afterEach(() => {
  document.body.innerHTML = '';
});

async function hydrate(node: React.ReactNode) {
  const tree = (
    <ParlanceProvider baseUrl="http://127.0.0.1:9/v1" model="gpt-4o-mini" locale="en">
      {node}
    </ParlanceProvider>
  );
  const container = document.createElement('div');
  document.body.append(container);
  container.innerHTML = renderToString(tree);
  const serverHtml = container.innerHTML;
  const onRecoverableError = vi.fn();
  const root = await act(async () => hydrateRoot(container, tree, { onRecoverableError }));
  return { container, serverHtml, onRecoverableError, unmount: () => act(() => root.unmount()) };
}

test('ChatWindow (anonymous) and a headless useChat with initial messages hydrate without a mismatch', async () => {
  function Ids() {
    const chat = useChat({ initialMessages: [{ role: 'assistant', content: 'Welcome!' }] });
    return <p data-chat={chat.id}>{chat.messages.map((m) => `${m.id}@${m.createdAt}`).join(' ')}</p>;
  }
  const { container, serverHtml, onRecoverableError, unmount } = await hydrate(
    <>
      <Ids />
      <ChatWindow initialMessages={[{ role: 'user', content: 'Hello' }]} />
    </>,
  );
  expect(serverHtml).toContain('initial-0@0');
  expect(onRecoverableError).not.toHaveBeenCalled();
  expect(container.querySelector('p')?.textContent).toBe('initial-0@0');
  expect(container.querySelector('.parlance-chat-window')).not.toBeNull();
  await unmount();
});

test('ImageGallery hydrates with an image that has already expired, then shows it expired', async () => {
  const request: ImageHistoryEntry = {
    id: 'r1',
    operation: 'generate',
    prompt: 'A red fox in snow',
    n: 1,
    status: 'success',
    images: [{ src: 'https://images.test/fox.png', expiresAt: 1 }],
    error: null,
    createdAt: 0,
    reduced: null,
  };
  const { container, serverHtml, onRecoverableError, unmount } = await hydrate(
    <ImageGallery requests={[request]} />,
  );
  // The server cannot know the time: it renders the image, and the browser marks it after hydrating.
  expect(serverHtml).toContain('data-state="ready"');
  expect(onRecoverableError).not.toHaveBeenCalled();
  await vi.waitFor(() =>
    expect(container.querySelector('li[data-slot="item"]')?.getAttribute('data-state')).toBe('expired'),
  );
  await unmount();
});
