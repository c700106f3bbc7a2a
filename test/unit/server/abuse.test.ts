// Nothing a request carries can stall or bloat the offline server. Each request of the audit's
// abuse mix runs through the built app while the event loop's longest block and the RSS growth are
// measured. The bounds are generous (250 ms, 300 MB: the machine is shared); the audit measured
// seconds and gigabytes, the target is 50 ms and 200 MB (bench/node/server-abuse.ts reports it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { MAX_IMAGE_EDGE } from '../../../src/server/protocol/validate';
import { createServer } from '../../../src/server/index';
import { cjkRun, deflateBombPng, lyingHeaderPng, longWord, measure } from './abuse-mix';
import { envelope, offlineServer, png, postForm, postJson } from './helpers';
import { startUpstream } from './upstream';

const BLOCK_MS = 250;
const RSS_MB = 300;

const server = offlineServer();
const chat = (content: string) =>
  postJson(server, '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content }] });

beforeAll(async () => {
  // What any first request loads (the tokenizer's tables, the image threads) is not the attack.
  await (await chat('How do I stream a reply?')).text();
  const warm = await postJson(server, '/v1/images/generations', {
    prompt: 'warm up',
    size: '256x256',
    response_format: 'b64_json',
  });
  expect(warm.status).toBe(200);
  await warm.arrayBuffer();
}, 60_000);

describe('chat', () => {
  test('a message of one 32,000-letter word answers without blocking or bloating', async () => {
    const { blockMs, rssGrowthMb, result } = await measure(async () => {
      const response = await chat(longWord());
      return { status: response.status, body: await response.text() };
    });
    expect(result.status).toBe(200);
    expect(result.body).toContain('Offline mode');
    expect(blockMs).toBeLessThan(BLOCK_MS);
    expect(rssGrowthMb).toBeLessThan(RSS_MB);
  });

  test('20,000 CJK characters answer without blocking or bloating', async () => {
    const { blockMs, rssGrowthMb, result } = await measure(async () => {
      const response = await chat(cjkRun());
      return { status: response.status, body: await response.text() };
    });
    expect(result.status).toBe(200);
    expect(blockMs).toBeLessThan(BLOCK_MS);
    expect(rssGrowthMb).toBeLessThan(RSS_MB);
  });

  test('a long question still finds its section: retrieval reads the start of the message', async () => {
    const response = await chat(`How do I stop a streaming reply with useChat? ${'filler '.repeat(5_000)}`);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toMatch(/stop/i);
  });
});

describe('PNG bombs', () => {
  test('an 8192×8192 deflate bomb (a few hundred KB) is refused from its header, in milliseconds', async () => {
    const bomb = deflateBombPng(8192, 8192);
    expect(bomb.size).toBeLessThan(1024 * 1024);
    for (const path of ['/v1/images/edits', '/v1/images/variations']) {
      const { blockMs, rssGrowthMb, result } = await measure(async () => {
        const response = await postForm(server, path, { image: bomb, prompt: 'a hat', n: '1' });
        return { status: response.status, error: await envelope(response) };
      });
      expect(result.status).toBe(400);
      expect(result.error.type).toBe('invalid_request_error');
      expect(result.error.param).toBe('image');
      expect(result.error.code).toBe('image_dimensions_too_large');
      expect(result.error.message).toContain('8192x8192');
      expect(result.error.message).toContain(String(MAX_IMAGE_EDGE));
      expect(blockMs).toBeLessThan(BLOCK_MS);
      expect(rssGrowthMb).toBeLessThan(RSS_MB);
    }
  });

  test('in proxy mode the bomb is refused the same way and never reaches the upstream', async () => {
    const upstream = await startUpstream();
    try {
      const proxy = createServer({
        upstream: { baseUrl: upstream.url, apiKey: 'sk-test' },
        staticDir: null,
        rateLimits: false,
      });
      const response = await postForm(proxy, '/v1/images/edits', {
        image: deflateBombPng(8192, 8192),
        prompt: 'a hat',
        model: 'gpt-image-1',
      });
      expect(response.status).toBe(400);
      expect((await envelope(response)).code).toBe('image_dimensions_too_large');
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await upstream.close();
    }
  });

  test('the mask is checked too, and a header that lies about a tiny file is refused the same way', async () => {
    const image = png(64, 64, () => [10, 20, 30, 255]);
    const response = await postForm(server, '/v1/images/edits', {
      image,
      mask: lyingHeaderPng(4000, 4000),
      prompt: 'a hat',
    });
    expect(response.status).toBe(400);
    const error = await envelope(response);
    expect(error.param).toBe('mask');
    expect(error.code).toBe('image_dimensions_too_large');
  });

  test('more pixels than any model takes is refused even with both sides in range', async () => {
    const response = await postForm(server, '/v1/images/variations', { image: lyingHeaderPng(3840, 3840) });
    expect(response.status).toBe(400);
    expect((await envelope(response)).message).toMatch(/8,294,400 pixels/);
  });

  test('a PNG whose data inflates past what its header declares is refused before it is decoded', async () => {
    // 256×256 RGBA needs 263,424 bytes; this one's data inflates to 200 MB.
    const bomb = deflateBombPng(256, 256, 200 * 1024 * 1024);
    const { blockMs, rssGrowthMb, result } = await measure(async () => {
      const response = await postForm(server, '/v1/images/variations', { image: bomb });
      return { status: response.status, error: await envelope(response) };
    });
    expect(result.status).toBe(400);
    expect(result.error.message).toMatch(/inflates to more than/);
    expect(blockMs).toBeLessThan(BLOCK_MS);
    expect(rssGrowthMb).toBeLessThan(RSS_MB);
  });

  test('offline mode decodes at most 2048 pixels a side, and says so', async () => {
    const response = await postForm(server, '/v1/images/variations', { image: deflateBombPng(2500, 2500) });
    expect(response.status).toBe(400);
    expect((await envelope(response)).message).toContain(
      'offline mode reads images of at most 2048 pixels on a side',
    );
  });
});

describe('image work runs off the event loop', () => {
  test('n=10 at the largest allowed size (1536x1024) blocks the event loop for no more than a moment', async () => {
    const { blockMs, rssGrowthMb, result } = await measure(async () => {
      const response = await postJson(server, '/v1/images/generations', {
        model: 'gpt-image-1',
        prompt: 'a lighthouse at dusk',
        n: 10,
        size: '1536x1024',
      });
      return {
        status: response.status,
        body: (await response.json()) as { data: Array<{ b64_json: string }> },
      };
    });
    expect(result.status).toBe(200);
    expect(result.body.data).toHaveLength(10);
    expect(new Set(result.body.data.map((d) => d.b64_json.slice(-64))).size).toBe(10);
    expect(blockMs).toBeLessThan(BLOCK_MS);
    expect(rssGrowthMb).toBeLessThan(RSS_MB);
  }, 60_000);

  test('an edit with n=10 from a 1024×1024 image blocks no more than a moment', async () => {
    const image = png(1024, 1024, (x, y) => [x % 256, y % 256, 128, x > 400 && x < 600 ? 0 : 255]);
    const { blockMs, result } = await measure(async () => {
      const response = await postForm(server, '/v1/images/edits', {
        image,
        prompt: 'a boat',
        n: '10',
        size: '1024x1024',
        response_format: 'b64_json',
      });
      return { status: response.status, body: (await response.json()) as { data: unknown[] } };
    });
    expect(result.status).toBe(200);
    expect(result.body.data).toHaveLength(10);
    expect(blockMs).toBeLessThan(BLOCK_MS);
  }, 60_000);

  test('an invalid upload decoded on a worker thread is still the 400 naming the field', async () => {
    const response = await postForm(server, '/v1/images/variations', {
      image: png(64, 32, () => [0, 0, 0, 255]),
    });
    expect(response.status).toBe(400);
    const error = await envelope(response);
    expect(error.param).toBe('image');
    expect(error.code).toBe('image_not_square');
  });

  describe('limits of the pool', () => {
    const slow = offlineServer({ imageWorkers: { threads: 1, taskTimeoutMs: 1 } });
    const busy = offlineServer({ imageWorkers: { threads: 1, maxQueue: 1 } });
    afterAll(async () => {
      // Their threads are unref'd and idle-closed; nothing to wait for.
    });

    test('a task past its time limit is stopped and the request gets a 503 saying why', async () => {
      const response = await postJson(slow, '/v1/images/generations', {
        model: 'gpt-image-1',
        prompt: 'a very slow picture',
        size: '1536x1024',
        response_format: 'b64_json',
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      const error = await envelope(response);
      expect(error.type).toBe('server_error');
      expect(error.code).toBe('image_task_timeout');
      expect(error.message).toMatch(/ran past 0\.001 s/);
    });

    test('past the queue bound, a request gets a 503 instead of waiting behind everyone', async () => {
      const response = await postJson(busy, '/v1/images/generations', {
        model: 'gpt-image-1',
        prompt: 'many pictures',
        n: 10,
        size: '1024x1024',
        response_format: 'b64_json',
      });
      expect(response.status).toBe(503);
      expect((await envelope(response)).code).toBe('server_busy');
    });
  });
});

describe('malformed tool calls are 400s naming the field', () => {
  const cases: Array<[string, unknown[], string]> = [
    [
      'tool_calls not an array',
      [{ role: 'assistant', content: null, tool_calls: 'x' }],
      'messages[0].tool_calls',
    ],
    [
      'a tool call that is null',
      [{ role: 'assistant', content: null, tool_calls: [null] }],
      'messages[0].tool_calls[0]',
    ],
    [
      'a function call without its function',
      [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function' }] }],
      'messages[0].tool_calls[0].function',
    ],
    [
      'a function name that is not a string',
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 7, arguments: '{}' } }],
        },
      ],
      'messages[0].tool_calls[0].function.name',
    ],
    [
      'arguments that are an object, not a JSON string',
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: { a: 1 } } }],
        },
      ],
      'messages[0].tool_calls[0].function.arguments',
    ],
    [
      'an unknown tool call type',
      [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'magic', magic: {} }] }],
      'messages[0].tool_calls[0].type',
    ],
    [
      'a tool message without tool_call_id',
      [{ role: 'tool', content: 'result' }],
      'messages[0].tool_call_id',
    ],
    [
      'a tool_call_id that is a number',
      [{ role: 'tool', content: 'result', tool_call_id: 5 }],
      'messages[0].tool_call_id',
    ],
  ];

  test.each(cases)('%s', async (_name, messages, param) => {
    const response = await postJson(server, '/v1/chat/completions', { model: 'gpt-4o', messages });
    expect(response.status).toBe(400);
    const error = await envelope(response);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
  });

  test('well-formed function and custom tool calls with their results are answered', async () => {
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'What is the weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            { id: 'c2', type: 'custom', custom: { name: 'grep', input: 'useChat' } },
          ],
        },
        { role: 'tool', content: 'Sunny', tool_call_id: 'c1' },
        { role: 'tool', content: 'docs/use-chat.md', tool_call_id: 'c2' },
        { role: 'user', content: 'How do I stop a reply?' },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { usage: { prompt_tokens: number } };
    expect(body.usage.prompt_tokens).toBeGreaterThan(20);
  });
});
