import { describe, expect, test } from 'vitest';

import { describeMode, optionsFromEnv } from '../../../src/server/index';

describe('optionsFromEnv', () => {
  test('nothing set is offline mode', () => {
    const options = optionsFromEnv({});
    expect(options.upstream).toBeUndefined();
    expect(describeMode(options)).toMatch(/^offline/);
  });

  test('OPENAI_API_KEY proxies to OpenAI, or to OPENAI_BASE_URL', () => {
    expect(optionsFromEnv({ OPENAI_API_KEY: 'sk-1' }).upstream).toEqual({
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-1',
      timeoutMs: undefined,
    });
    expect(
      optionsFromEnv({ OPENAI_API_KEY: 'sk-1', OPENAI_BASE_URL: 'https://gw.example/v1' }).upstream?.baseUrl,
    ).toBe('https://gw.example/v1');
  });

  test('PARLANCE_UPSTREAM_URL wins, with its own key only: the OpenAI key never goes to another host', () => {
    const options = optionsFromEnv({
      OPENAI_API_KEY: 'sk-openai',
      PARLANCE_UPSTREAM_URL: 'http://127.0.0.1:11434/v1',
      PARLANCE_UPSTREAM_TIMEOUT_MS: '5000',
    });
    expect(options.upstream).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: undefined,
      timeoutMs: 5000,
    });
    expect(
      optionsFromEnv({ PARLANCE_UPSTREAM_URL: 'http://x/v1', PARLANCE_UPSTREAM_KEY: 'k' }).upstream?.apiKey,
    ).toBe('k');
  });

  test('the mode line never shows the key', () => {
    const line = describeMode(optionsFromEnv({ OPENAI_API_KEY: 'sk-secret-value' }));
    expect(line).toBe('proxy to https://api.openai.com/v1 (key held by the server)');
    expect(line).not.toContain('sk-secret-value');
  });

  test('origins and rate limits', () => {
    expect(
      optionsFromEnv({ PARLANCE_ALLOWED_ORIGINS: 'https://a.example/, https://b.example' }).allowedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(optionsFromEnv({ PARLANCE_ALLOWED_ORIGINS: '*' }).allowedOrigins).toBe('*');
    expect(optionsFromEnv({ PARLANCE_CHAT_RPM: '10', PARLANCE_IMAGES_PER_MINUTE: '5' }).rateLimits).toEqual({
      chatPerMinute: 10,
      imagesPerMinute: 5,
    });
  });
});
