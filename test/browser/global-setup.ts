/**
 * Starts the fake OpenAI server for the browser project and provides its base URL as
 * `inject('testServerUrl')`. Browser tests cannot script replies from Chromium, so the server
 * routes by `model` (one scenario each); `x-test-id` keeps per-test state such as "first call".
 */
import type { TestProject } from 'vitest/node';

import { createServer } from '../../src/server/index';

import { startFakeOpenAI, type FakeReply } from '../support/fake-openai-server';
import { naiveSSEData, readResponseFixture, readStreamFixture } from '../support/fixtures';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL (ending in `/v1`) of the fake OpenAI server on 127.0.0.1. */
    testServerUrl: string;
    /** Base URL (ending in `/v1`) of the reference server in offline mode on 127.0.0.1. */
    offlineServerUrl: string;
  }
}

const events = (name: 'english-usage' | 'cut-without-done') =>
  naiveSSEData(new TextDecoder().decode(readStreamFixture(name)))
    .filter((d) => d !== '[DONE]')
    .flatMap((d) => {
      try {
        return [JSON.parse(d) as object];
      } catch {
        return [];
      }
    });

export default async function setup(project: TestProject) {
  const calls = new Map<string, number>();
  const server = await startFakeOpenAI({
    respond(request): FakeReply | undefined {
      const model = (request.json as { model?: string } | undefined)?.model;
      const testId = String(request.headers['x-test-id'] ?? '');
      const call = (calls.get(testId) ?? 0) + 1;
      calls.set(testId, call);
      switch (model) {
        case 'scenario-json':
          return { type: 'json', body: readResponseFixture('chat-completion.json') };
        case 'scenario-stream':
          return { type: 'sse', events: events('english-usage'), delayMs: 15 };
        case 'scenario-rate-limited':
          return call === 1
            ? {
                type: 'json',
                status: 429,
                headers: { 'retry-after': '0' },
                body: readResponseFixture('error-429.json'),
              }
            : { type: 'sse', events: events('english-usage').slice(0, 4), delayMs: 5 };
        case 'scenario-cut':
          return { type: 'sse', events: events('cut-without-done'), delayMs: 10, done: false };
        case 'scenario-reset':
          return {
            type: 'sse',
            events: events('cut-without-done').slice(0, 3),
            delayMs: 10,
            done: false,
            finish: 'reset',
          };
        case 'scenario-unauthorized':
          return { type: 'json', status: 401, body: readResponseFixture('error-401.json') };
        default:
          return undefined;
      }
    },
  });
  project.provide('testServerUrl', server.url);
  const offline = await createServer({ staticDir: null, chunkDelayMs: 0 }).listen({
    port: 0,
    host: '127.0.0.1',
  });
  project.provide('offlineServerUrl', `${offline.url}/v1`);
  return async () => {
    await offline.close();
    await server.close();
  };
}
