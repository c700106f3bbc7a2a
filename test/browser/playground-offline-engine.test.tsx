// The offline engine runs in the browser as a transport, on web APIs alone: the core client streams
// a reply from it and gets real PNGs back, with no server at all.
import { ChatWindow, ParlanceProvider, useChat, type UseChatResult } from 'parlance';
import 'parlance/styles.css';
import { createClient } from 'parlance/core';
import { describe, expect, it, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { createOfflineEngine, OFFLINE_NOTICE } from '../../src/server/offline/index';

const engine = createOfflineEngine({
  documents: [
    {
      path: 'docs/kites.md',
      text: '# Kites\n\nA kite flies best in a steady wind of about 15 km/h.\n\n## Lines\n\nUse a 20 kg line.',
    },
  ],
});
const client = createClient({ baseUrl: 'https://offline.invalid/v1', fetch: engine.fetch });

test('streams a reply from the documents in the browser', async () => {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'what wind does a kite need?' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let chunks = 0;
  let completionTokens = 0;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta.content ?? '';
    completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
  }
  expect(text.startsWith(OFFLINE_NOTICE)).toBe(true);
  expect(text).toContain('steady wind of about 15 km/h');
  expect(chunks).toBeGreaterThan(10);
  expect(completionTokens).toBeGreaterThan(20);
});

test('generates an image that the browser decodes at the requested size', async () => {
  const result = await client.images.generate({ prompt: 'a red kite', size: '256x256', n: 1 });
  const src = result.data![0]!.url!;
  expect(src.startsWith('data:image/png;base64,')).toBe(true);
  const image = new Image();
  image.src = src;
  await image.decode();
  expect([image.naturalWidth, image.naturalHeight]).toEqual([256, 256]);
});

test('refuses a bad request with the API error the client types', async () => {
  const error = await client.images.generate({ prompt: 'x', n: 11 }).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'ApiError', status: 400, param: 'n' });
});

describe('Continue and Regenerate in a ChatWindow on the offline engine', () => {
  const docs = createOfflineEngine({
    documents: [
      {
        path: 'docs/kites.md',
        text: [
          '# Kites',
          'A kite flies best in a steady wind of about 15 km/h. Launch it with your back to the wind and let the line out slowly, a metre at a time, while the kite climbs.',
          '## Lines',
          'Use a 20 kg line for a small kite and a 50 kg line for a large one. Wind the line on a reel, never on your hand.',
          '## Tails',
          'A tail keeps a kite steady in gusty wind. Make it about seven times as long as the kite.',
        ].join('\n\n'),
      },
    ],
  });
  const CHAT_ID = `offline-${Date.now()}`;
  let latest: UseChatResult | undefined;
  function Chat() {
    const chat = useChat({ id: CHAT_ID, maxTokens: 60 });
    latest = chat;
    return <ChatWindow chat={chat} />;
  }
  /** The last reply's text as the chat holds it (not as rendered). */
  const reply = () => {
    const content = latest!.messages.findLast((m) => m.role === 'assistant')?.content;
    return typeof content === 'string' ? content : '';
  };
  const idle = () => expect.poll(() => latest!.isBusy, { timeout: 15_000 }).toBe(false);

  it('continues a cut reply from where it stopped, and a regenerated reply differs', async () => {
    const screen = await render(
      <ParlanceProvider baseUrl="https://offline.invalid/v1" fetch={docs.fetch} model="gpt-4o-mini">
        <div style={{ height: 700, width: 700 }}>
          <Chat />
        </div>
      </ParlanceProvider>,
    );
    await userEvent.fill(screen.getByRole('textbox', { name: 'Message' }), 'what wind does a kite need?');
    await userEvent.keyboard('{Enter}');
    const cont = screen.getByRole('button', { name: 'Continue' });
    await expect.element(cont).toBeVisible();
    await idle();
    const cut = reply();
    expect(cut.length).toBeGreaterThan(40);

    await userEvent.click(cont);
    await expect.poll(() => reply().length, { timeout: 15_000 }).toBeGreaterThan(cut.length + 20);
    await idle();
    const continued = reply();
    // The same message goes on: it starts with the cut text, and what follows is new text.
    expect(continued.startsWith(cut)).toBe(true);
    const added = continued.slice(cut.length);
    expect(cut.includes(added.trim().slice(0, 30))).toBe(false);
    expect(continued).toContain('back to the wind');

    // Regenerate: a second version, with other words than the first.
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate' }));
    await expect.element(screen.getByText('2 of 2')).toBeVisible();
    await idle();
    const second = reply();
    expect(second).not.toBe(cut);
    expect(second.slice(0, 40)).toBe(cut.slice(0, 40)); // the same notice opens both…
    expect(second.slice(0, 400)).not.toBe(continued.slice(0, 400)); // …then they part
  });
});
