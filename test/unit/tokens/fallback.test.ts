// A tokenizer worker that cannot start (a bundler that did not emit it, a CSP without worker-src):
// counting moves to the calling thread, says so once outside production, and shows where it runs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { configureTokenizer, tokenizerEngine } from 'parlance/core';
import { loadEncoding } from '../../../src/core/tokens/count';
import { Tokenizer } from '../../../src/core/tokens/tokenizer';

/** A Worker whose script never loads: it reports an error event as browsers do for a 404. */
class UnloadableWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
  static started: string[] = [];

  constructor(url: URL | string) {
    UnloadableWorker.started.push(String(url));
    setTimeout(() => this.onerror?.({ message: '', preventDefault() {} }), 0);
  }

  postMessage(): void {}
  terminate(): void {}
}

let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  UnloadableWorker.started = [];
  vi.stubGlobal('Worker', UnloadableWorker);
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  warn.mockRestore();
  configureTokenizer({ engine: 'in-process' });
});

describe('when the tokenizer worker cannot start', () => {
  // First: the warning is reported once per page, so a production fallback must not use it up.
  it('falls back silently in production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const tokenizer = new Tokenizer({ engine: 'worker' });
    await tokenizer.load('cl100k_base');
    expect(tokenizer.engine).toBe('in-process');
    expect(warn).not.toHaveBeenCalled();
  });

  it('counts in-process, warns once in development, and tokenizerEngine() says where it counts', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    configureTokenizer({ engine: 'worker' });
    expect(tokenizerEngine()).toBe('worker');

    // Both encodings fail at once: the second failure must follow the first onto the new engine.
    await Promise.all([loadEncoding('o200k_base'), loadEncoding('cl100k_base')]);
    expect(tokenizerEngine()).toBe('in-process');
    expect(UnloadableWorker.started.some((url) => url.includes('tokenizer-o200k.worker'))).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, cause] = warn.mock.calls[0]!;
    expect(message).toMatch(/tokenizer worker could not start/);
    expect(message).toMatch(/tokenizer-\*\.worker\.js/);
    expect(String(cause)).toMatch(/tokenizer-(o200k|cl100k)\.worker\.js/);

    // A second tokenizer falling back is not reported again.
    const other = new Tokenizer({ engine: 'worker' });
    await other.load('o200k_base');
    expect(other.engine).toBe('in-process');
    expect(other.count('o200k_base', ['Hello world'])).toEqual([2]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('tokenizerEngine()', () => {
  it('follows configureTokenizer', () => {
    configureTokenizer({ engine: 'in-process' });
    expect(tokenizerEngine()).toBe('in-process');
    configureTokenizer({ engine: 'worker' });
    expect(tokenizerEngine()).toBe('worker');
  });
});
