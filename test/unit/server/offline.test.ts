// Offline mode: chat from the docs in the real wire format with real usage; images that are real
// PNGs, deterministic, edited only inside the mask, and related to their input when varied.
import { decode } from 'fast-png';
import { countChatTokens, countTokens } from 'parlance/core';
import { describe, expect, test } from 'vitest';

import { createOfflineEngine, OFFLINE_NOTICE } from '../../../src/server/offline/index';
import { offlineServer, png, postForm, postJson } from './helpers';

const server = offlineServer();

async function readEvents(response: Response): Promise<Array<Record<string, unknown> | '[DONE]'>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      const data = event.slice(6);
      return data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Record<string, unknown>);
    });
}

describe('offline chat', () => {
  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'How do I stop a streaming reply with useChat?' },
  ];

  test('answers from the docs, opening with the offline notice, with exact usage', async () => {
    const response = await postJson(server, '/v1/chat/completions', { model: 'gpt-4o-mini', messages });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      object: string;
      choices: Array<{ message: { role: string; content: string }; finish_reason: string }>;
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body.object).toBe('chat.completion');
    const content = body.choices[0]!.message.content;
    expect(content.startsWith(OFFLINE_NOTICE)).toBe(true);
    expect(content).toMatch(/From \*\*.+\*\* \(`(README|docs\/[\w-]+)\.md`\)/);
    expect(content).toContain('stop');
    expect(body.choices[0]!.finish_reason).toBe('stop');
    expect(body.usage.prompt_tokens).toBe(await countChatTokens(messages, 'gpt-4o-mini'));
    expect(body.usage.completion_tokens).toBe(await countTokens(content, 'gpt-4o-mini'));
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  test('streams role, words, finish_reason, usage and [DONE], and the words add up to the reply', async () => {
    const plain = (await (
      await postJson(server, '/v1/chat/completions', { model: 'gpt-4o', messages })
    ).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(response);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as Array<{
      id: string;
      object: string;
      choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }>;
      usage?: { completion_tokens: number } | null;
    }>;
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(chunks.length).toBeGreaterThan(20);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage!.completion_tokens).toBe(await countTokens(text, 'gpt-4o'));
  });

  test.each([1, 5, 17])('honours max_tokens %i with finish_reason length', async (max) => {
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages,
      max_tokens: max,
    });
    const body = (await response.json()) as {
      choices: Array<{ message: { content: string }; finish_reason: string }>;
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]!.finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(max);
    expect(await countTokens(body.choices[0]!.message.content, 'gpt-4o')).toBe(max);
    expect(OFFLINE_NOTICE.startsWith(body.choices[0]!.message.content)).toBe(true);
  });

  test('a question the docs do not cover lists what it can answer', async () => {
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'zzqxj' }],
    });
    const content = ((await response.json()) as { choices: Array<{ message: { content: string } }> })
      .choices[0]!.message.content;
    expect(content).toContain('I found nothing');
    expect(content).toMatch(/docs\/tokens\.md|README\.md/);
  });

  test('the engine runs on web APIs alone, as a fetch for the client', async () => {
    const engine = createOfflineEngine({
      documents: [{ path: 'docs/a.md', text: '# Alpacas\n\nAlpacas hum when they are content.' }],
    });
    const response = await engine.fetch('https://offline.invalid/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'alpaca' }] }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toContain('Alpacas hum');
  });
});

interface Decoded {
  width: number;
  height: number;
  data: Uint8Array;
}

async function images(response: Response): Promise<Decoded[]> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    created: number;
    data: Array<{ b64_json?: string; url?: string }>;
  };
  expect(typeof body.created).toBe('number');
  return body.data.map((d) => {
    const png = decode(Buffer.from(d.b64_json!, 'base64'));
    expect(png.channels).toBe(4);
    return { width: png.width, height: png.height, data: png.data as Uint8Array };
  });
}

function meanColor(image: Decoded): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < image.data.length; i += 4) for (let k = 0; k < 3; k++) sum[k]! += image.data[i + k]!;
  const n = image.data.length / 4;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

function difference(a: Decoded, b: Decoded): number {
  let total = 0;
  for (let i = 0; i < a.data.length; i++) total += Math.abs(a.data[i]! - b.data[i]!);
  return total / a.data.length;
}

function encodeB64(image: Decoded): Blob {
  return png(image.width, image.height, (x, y) => {
    const i = (y * image.width + x) * 4;
    return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!, image.data[i + 3]!];
  });
}

describe('offline images', () => {
  const generate = (body: object) =>
    postJson(server, '/v1/images/generations', { response_format: 'b64_json', ...body });

  test('generations are deterministic per prompt, differ per prompt and index, at the requested size', async () => {
    const [a1, a2] = await images(await generate({ prompt: 'a lighthouse', n: 2, size: '256x256' }));
    const [again] = await images(await generate({ prompt: 'a lighthouse', size: '256x256' }));
    const [other] = await images(await generate({ prompt: 'a forest', size: '256x256' }));
    expect(a1!.width).toBe(256);
    expect(a1!.height).toBe(256);
    expect(Buffer.from(again!.data).equals(Buffer.from(a1!.data))).toBe(true);
    expect(difference(a1!, a2!)).toBeGreaterThan(5);
    expect(difference(a1!, other!)).toBeGreaterThan(5);
    const [big] = await images(await generate({ prompt: 'a lighthouse', size: '512x512' }));
    expect(big!.width).toBe(512);
  });

  test('gpt-image-1 takes its own sizes', async () => {
    const [wide] = await images(await generate({ prompt: 'wide', size: '1536x1024', model: 'gpt-image-1' }));
    expect([wide!.width, wide!.height]).toEqual([1536, 1024]);
  });

  test('url responses are served by the server for an hour', async () => {
    const response = await postJson(server, '/v1/images/generations', { prompt: 'a url', size: '256x256' });
    const { data } = (await response.json()) as { data: Array<{ url: string }> };
    const url = new URL(data[0]!.url);
    expect(url.pathname).toMatch(/^\/generated\/[0-9a-f]{24}\.png$/);
    const image = await server.fetch(new Request(url));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(decode(new Uint8Array(await image.arrayBuffer())).width).toBe(256);
    expect(
      (await server.fetch(new Request(new URL('/generated/000000000000000000000000.png', url)))).status,
    ).toBe(404);
  });

  test('an edit changes only the transparent area of the mask, and fills it', async () => {
    const [source] = await images(await generate({ prompt: 'edit me', size: '256x256' }));
    const inside = (x: number, y: number) => (x - 128) ** 2 + (y - 100) ** 2 < 40 ** 2;
    const mask = png(256, 256, (x, y) => [0, 0, 0, inside(x, y) ? 0 : 255]);
    const [edited] = await images(
      await postForm(server, '/v1/images/edits', {
        image: encodeB64(source!),
        mask,
        prompt: 'a red moon',
        size: '256x256',
        response_format: 'b64_json',
      }),
    );
    let changedInside = 0;
    let changedOutside = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        const i = (y * 256 + x) * 4;
        const same = [0, 1, 2, 3].every((k) => edited!.data[i + k] === source!.data[i + k]);
        if (inside(x, y)) changedInside += same ? 0 : 1;
        else changedOutside += same ? 0 : 1;
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(0.5 * Math.PI * 40 ** 2);
  });

  test("without a mask, the image's own transparent pixels are edited", async () => {
    const image = png(64, 64, (x) => (x < 16 ? [0, 0, 0, 0] : [200, 100, 50, 255]));
    const [edited] = await images(
      await postForm(server, '/v1/images/edits', {
        image,
        prompt: 'p',
        size: '256x256',
        response_format: 'b64_json',
      }),
    );
    expect(edited!.width).toBe(256);
    expect(edited!.data[3]).toBe(255);
  });

  test('variations keep the colours of their input and differ from each other', async () => {
    const [source] = await images(await generate({ prompt: 'vary me', size: '256x256' }));
    const [unrelated] = await images(await generate({ prompt: 'something else entirely', size: '256x256' }));
    const [v1, v2] = await images(
      await postForm(server, '/v1/images/variations', {
        image: encodeB64(source!),
        n: '2',
        size: '256x256',
        response_format: 'b64_json',
      }),
    );
    const distance = (a: Decoded, b: Decoded) => {
      const [x, y] = [meanColor(a), meanColor(b)];
      return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
    };
    expect(difference(v1!, source!)).toBeLessThan(difference(unrelated!, source!));
    expect(distance(v1!, source!)).toBeLessThan(25);
    expect(difference(v1!, v2!)).toBeGreaterThan(1);
  });
});

describe('offline Regenerate and Continue', () => {
  const documents = [
    {
      path: 'docs/kites.md',
      text: '# Kites\n\nA kite flies best in a steady wind of about 15 km/h, launched with your back to the wind.\n\n## Lines\n\nUse a 20 kg line for a small kite and a 50 kg line for a large kite in wind.\n\n## Tails\n\nA tail keeps a kite steady in gusty wind.',
    },
  ];
  const ask = async (engine: ReturnType<typeof createOfflineEngine>, body: object) => {
    const response = await engine.fetch('https://offline.invalid/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', ...body }),
    });
    const json = (await response.json()) as {
      choices: Array<{ message: { content: string }; finish_reason: string }>;
    };
    return { text: json.choices[0]!.message.content, finish: json.choices[0]!.finish_reason };
  };
  const question = [{ role: 'user', content: 'what wind does a kite need?' }];

  test('the same request again (a regenerate) reads differently per attempt, the same per attempt', async () => {
    const first = createOfflineEngine({ documents });
    const attempts = [];
    for (let i = 0; i < 3; i++) attempts.push((await ask(first, { messages: question })).text);
    expect(new Set(attempts).size).toBe(3);
    for (const text of attempts) expect(text.startsWith(OFFLINE_NOTICE)).toBe(true);
    const again = createOfflineEngine({ documents });
    for (const text of attempts) expect((await ask(again, { messages: question })).text).toBe(text);
  });

  test('a continue request goes on from the character where the cut reply stopped', async () => {
    const engine = createOfflineEngine({ documents });
    const whole = (await ask(createOfflineEngine({ documents }), { messages: question })).text;
    const cut = await ask(engine, { messages: question, max_tokens: 50 });
    expect(cut.finish).toBe('length');
    expect(whole.startsWith(cut.text)).toBe(true);
    const rest = await ask(engine, {
      messages: [
        ...question,
        { role: 'assistant', content: cut.text },
        {
          role: 'user',
          content: 'Continue exactly where your last reply stopped, without repeating anything.',
        },
      ],
    });
    expect(rest.finish).toBe('stop');
    expect(cut.text + rest.text).toBe(whole);
    // A cut from a regenerated version goes on with that version.
    expect((await ask(engine, { messages: question })).text).toBe(whole);
    const second = (await ask(engine, { messages: question })).text;
    expect(second).not.toBe(whole);
    const secondCut = second.slice(0, 260);
    const secondRest = await ask(engine, {
      messages: [...question, { role: 'assistant', content: secondCut }, { role: 'user', content: '继续' }],
    });
    expect(secondCut + secondRest.text).toBe(second);
  });
});
