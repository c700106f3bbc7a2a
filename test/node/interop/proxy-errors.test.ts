// The recorded error bodies of FastAPI, Portkey, Ollama and vLLM through the reference server's
// proxy: the core client and the official `openai` client read the same status and message
// through the proxy as the core client reads from the server directly.
import OpenAI from 'openai';
import { ApiError, createClient } from 'parlance/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { REPLAYS, startReference, startReplay, type ReplayName, type RunningServer } from './servers';

const NAMES: ReplayName[] = ['fastapi-detail', 'fastapi-validation', 'portkey', 'ollama', 'vllm'];
let replay: Awaited<ReturnType<typeof startReplay>>;
const proxies = new Map<ReplayName, RunningServer>();

beforeAll(async () => {
  replay = await startReplay();
  for (const name of NAMES) {
    proxies.set(
      name,
      await startReference({ upstream: { baseUrl: replay.baseUrl(name), apiKey: 'sk-interop-key-0123' } }),
    );
  }
});

afterAll(async () => {
  await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
  await replay?.close();
});

const ask = { model: 'gpt-4', messages: [{ role: 'user' as const, content: 'Hi' }] };

async function coreError(baseUrl: string): Promise<ApiError> {
  const error = await createClient({ baseUrl, retry: false })
    .chat.completions.create(ask)
    .catch((e: unknown) => e);
  expect(ApiError.isInstance(error)).toBe(true);
  return error as ApiError;
}

describe.each(NAMES)('%s through the proxy', (name) => {
  test('the core client reads what it reads directly', async () => {
    const direct = await coreError(replay.baseUrl(name));
    const proxied = await coreError(proxies.get(name)!.baseUrl);
    expect(proxied.status).toBe(REPLAYS[name].status);
    expect(proxied.message).toBe(direct.message);
    expect(proxied.message).not.toMatch(/^The upstream server answered/);
    if (direct.type !== null) expect(proxied.type).toBe(direct.type);
    if (direct.code !== null) expect(proxied.code).toBe(direct.code);
    expect(proxied.requestId).toMatch(/^req_[0-9a-f]{32}$/);
  });

  test('the openai client gets a typed error with the message', async () => {
    const client = new OpenAI({ baseURL: proxies.get(name)!.baseUrl, apiKey: 'unused', maxRetries: 0 });
    const error = await client.chat.completions.create(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(REPLAYS[name].status);
    expect(apiError.message).toContain((await coreError(replay.baseUrl(name))).message);
  });
});
