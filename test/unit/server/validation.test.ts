// Each bad input gets the right 4xx, in OpenAI's error envelope, with `param` naming the field.
import { describe, expect, test } from 'vitest';

import { envelope, offlineServer, png, postForm, postJson } from './helpers';

const server = offlineServer();
const user = [{ role: 'user', content: 'hi' }];

describe('chat completions: bad JSON bodies are 400 with the param at fault', () => {
  test.each([
    ['not JSON', '{"model":', null],
    ['an array', '[]', null],
    ['no model', { messages: user }, 'model'],
    ['no messages', { model: 'gpt-4o' }, 'messages'],
    ['empty messages', { model: 'gpt-4o', messages: [] }, 'messages'],
    ['a bad role', { model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['missing content', { model: 'gpt-4o', messages: [{ role: 'user' }] }, 'messages[0].content'],
    ['numeric content', { model: 'gpt-4o', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [
      'a bad part',
      { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'audio' }] }] },
      'messages[0].content[0].type',
    ],
    ['temperature 3', { model: 'gpt-4o', messages: user, temperature: 3 }, 'temperature'],
    ['temperature as text', { model: 'gpt-4o', messages: user, temperature: 'hot' }, 'temperature'],
    ['max_tokens 0', { model: 'gpt-4o', messages: user, max_tokens: 0 }, 'max_tokens'],
    ['max_tokens 1.5', { model: 'gpt-4o', messages: user, max_tokens: 1.5 }, 'max_tokens'],
    ['top_p 2', { model: 'gpt-4o', messages: user, top_p: 2 }, 'top_p'],
    ['stream as text', { model: 'gpt-4o', messages: user, stream: 'yes' }, 'stream'],
    [
      'stream_options without stream',
      { model: 'gpt-4o', messages: user, stream_options: { include_usage: true } },
      'stream_options',
    ],
    ['five stop strings', { model: 'gpt-4o', messages: user, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['n 2 offline', { model: 'gpt-4o', messages: user, n: 2 }, 'n'],
  ])('%s', async (_name, body, param) => {
    const response = await postJson(server, '/v1/chat/completions', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const error = await envelope(response);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message.length).toBeGreaterThan(5);
  });
});

describe('image generations: bad bodies are 400 with the param at fault', () => {
  test.each([
    ['no prompt', { n: 1 }, 'prompt'],
    ['an empty prompt', { prompt: '   ' }, 'prompt'],
    ['a prompt over 1000 characters for dall-e-2', { prompt: 'x'.repeat(1001) }, 'prompt'],
    ['n 0', { prompt: 'cat', n: 0 }, 'n'],
    ['n 11', { prompt: 'cat', n: 11 }, 'n'],
    ['n 2 on dall-e-3', { prompt: 'cat', n: 2, model: 'dall-e-3' }, 'n'],
    ['a size dall-e-2 does not take', { prompt: 'cat', size: '1792x1024' }, 'size'],
    ['a made-up size', { prompt: 'cat', size: '300x300' }, 'size'],
    ['a bad response_format', { prompt: 'cat', response_format: 'gif' }, 'response_format'],
  ])('%s', async (_name, body, param) => {
    const response = await postJson(server, '/v1/images/generations', body);
    expect(response.status).toBe(400);
    expect((await envelope(response)).param).toBe(param);
  });
});

describe("image generations: the core's shared checks answer in the API's words", () => {
  test.each([
    ['a blank prompt', { prompt: ' \n' }, 'empty_string', "Invalid 'prompt': empty string."],
    [
      'a prompt over 1000 characters',
      { prompt: 'x'.repeat(1001) },
      'string_above_max_length',
      "Invalid 'prompt': string too long. Expected a string with maximum length 1000, but got a string with length 1001 instead.",
    ],
    [
      'n 0',
      { prompt: 'cat', n: 0 },
      'invalid_value',
      "Invalid 'n': 0. Expected a value greater than or equal to 1.",
    ],
    [
      'n 2 on dall-e-3',
      { prompt: 'cat', n: 2, model: 'dall-e-3' },
      'invalid_value',
      "Invalid 'n': 2. Expected a value less than or equal to 1.",
    ],
    [
      'a size dall-e-2 does not take',
      { prompt: 'cat', size: '1792x1024' },
      'invalid_value',
      "'1792x1024' is not one of ['256x256', '512x512', '1024x1024'] - 'size'",
    ],
  ])('%s', async (_name, body, code, message) => {
    const response = await postJson(server, '/v1/images/generations', body);
    expect(response.status).toBe(400);
    const error = await envelope(response);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });
});

describe('image edits and variations: files are checked like the API checks them', () => {
  const square = png(64, 64, () => [10, 20, 30, 255]);
  const mask = png(64, 64, (x) => [0, 0, 0, x < 32 ? 0 : 255]);

  test.each([
    ['a JSON body', null, 'image'],
    ['no image', { prompt: 'cat' }, 'image'],
    ['no prompt', { image: square, mask }, 'prompt'],
    ['an image that is not a PNG', { image: new Blob(['GIF89a...']), mask, prompt: 'cat' }, 'image'],
    ['a non-square image', { image: png(64, 32, () => [0, 0, 0, 0]), prompt: 'cat' }, 'image'],
    [
      'a mask of another size',
      { image: square, mask: png(32, 32, () => [0, 0, 0, 0]), prompt: 'cat' },
      'mask',
    ],
    ['a non-square mask', { image: square, mask: png(64, 32, () => [0, 0, 0, 0]), prompt: 'cat' }, 'mask'],
    [
      'a mask with nothing transparent',
      { image: square, mask: png(64, 64, () => [0, 0, 0, 255]), prompt: 'cat' },
      'mask',
    ],
    ['an opaque image and no mask', { image: square, prompt: 'cat' }, 'image'],
    [
      'an image over 4 MB',
      { image: new Blob([new Uint8Array(4 * 1024 * 1024 + 1)]), mask, prompt: 'cat' },
      'image',
    ],
    ['a size the model does not take', { image: square, mask, prompt: 'cat', size: '640x640' }, 'size'],
    ['n 11', { image: square, mask, prompt: 'cat', n: '11' }, 'n'],
  ])('edit with %s', async (_name, fields, param) => {
    const response = fields
      ? await postForm(server, '/v1/images/edits', fields)
      : await postJson(server, '/v1/images/edits', { prompt: 'cat' });
    expect(response.status).toBe(400);
    expect((await envelope(response)).param).toBe(param);
  });

  test.each([
    ['no image', {}, 'image'],
    ['a non-square image', { image: png(30, 20, () => [0, 0, 0, 255]) }, 'image'],
    ['n as text', { image: square, n: 'many' }, 'n'],
    ['an image given as text', { image: 'not a file' }, 'image'],
  ])('variation with %s', async (_name, fields, param) => {
    const response = await postForm(server, '/v1/images/variations', fields as Record<string, string | Blob>);
    expect(response.status).toBe(400);
    expect((await envelope(response)).param).toBe(param);
  });
});

describe('routes, methods, paths, origins and sizes', () => {
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    server.fetch(new Request(`http://127.0.0.1:8787${path}`, { method, headers }));

  test('an unknown /v1 route is 404 unknown_url', async () => {
    const response = await get('/v1/files');
    expect(response.status).toBe(404);
    expect((await envelope(response)).code).toBe('unknown_url');
  });

  test('a wrong method is 405', async () => {
    const response = await get('/v1/chat/completions');
    expect(response.status).toBe(405);
    expect((await envelope(response)).code).toBe('method_not_allowed');
  });

  test.each(['/v1/chat%2Fcompletions', '/v1/models%2e%2e', '/v1/images%5Cgenerations'])(
    'an encoded path trick (%s) is 400 invalid_path',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(400);
      expect((await envelope(response)).code).toBe('invalid_path');
    },
  );

  test('a cross-origin request from an origin not allowed is 403, preflight included', async () => {
    for (const method of ['GET', 'OPTIONS']) {
      const response = await get('/v1/models', { origin: 'https://evil.example' }, method);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect((await envelope(response)).code).toBe('origin_not_allowed');
    }
  });

  test('an allowed origin gets CORS headers, and its preflight a 204', async () => {
    const allowing = offlineServer({ allowedOrigins: ['https://app.example'] });
    const preflight = await allowing.fetch(
      new Request('http://127.0.0.1:8787/v1/chat/completions', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-headers': 'content-type, authorization',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    const models = await allowing.fetch(
      new Request('http://127.0.0.1:8787/v1/models', { headers: { origin: 'https://app.example' } }),
    );
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  test('the same origin needs no allowlist', async () => {
    const response = await get('/v1/models', { origin: 'http://127.0.0.1:8787' });
    expect(response.status).toBe(200);
  });

  test('a JSON body over the limit is 413', async () => {
    const small = offlineServer({ bodyLimits: { json: 1024 } });
    const response = await postJson(small, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x'.repeat(2000) }],
    });
    expect(response.status).toBe(413);
    expect((await envelope(response)).code).toBe('request_too_large');
  });

  test('a multipart body over the limit is 413', async () => {
    const small = offlineServer({ bodyLimits: { multipart: 2048 } });
    const response = await postForm(small, '/v1/images/variations', {
      image: new Blob([new Uint8Array(4096)]),
    });
    expect(response.status).toBe(413);
  });

  test('chat requests over the per-client rate are 429 with Retry-After', async () => {
    const limited = offlineServer({ rateLimits: { chatPerMinute: 2 } });
    const body = { model: 'gpt-4o', messages: user, max_tokens: 1 };
    expect((await postJson(limited, '/v1/chat/completions', body)).status).toBe(200);
    expect((await postJson(limited, '/v1/chat/completions', body)).status).toBe(200);
    const third = await postJson(limited, '/v1/chat/completions', body);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await envelope(third)).code).toBe('rate_limit_exceeded');
  });

  test('images count against the images rate by n', async () => {
    const limited = offlineServer({ rateLimits: { imagesPerMinute: 3 } });
    const ok = await postJson(limited, '/v1/images/generations', {
      prompt: 'a',
      n: 2,
      size: '256x256',
      response_format: 'b64_json',
    });
    expect(ok.status).toBe(200);
    const over = await postJson(limited, '/v1/images/generations', { prompt: 'a', n: 2, size: '256x256' });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).not.toBeNull();
  });

  test('clients are limited separately', async () => {
    let who = 'a';
    const limited = offlineServer({ rateLimits: { chatPerMinute: 1 }, clientId: () => who });
    const body = { model: 'gpt-4o', messages: user, max_tokens: 1 };
    expect((await postJson(limited, '/v1/chat/completions', body)).status).toBe(200);
    expect((await postJson(limited, '/v1/chat/completions', body)).status).toBe(429);
    who = 'b';
    expect((await postJson(limited, '/v1/chat/completions', body)).status).toBe(200);
  });
});
