// The offline engine runs in the browser as a transport, on web APIs alone: the core client streams
// a reply from it and gets real PNGs back, with no server at all.
import { createClient } from 'parlance/core';
import { expect, test } from 'vitest';

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
