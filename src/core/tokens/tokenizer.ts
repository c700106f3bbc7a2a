import type { TokenEngine } from './engine';
import { InProcessEngine } from './in-process-engine';
import type { EncodingName } from './models';
import { WorkerEngine } from './worker-engine';

/** A value now, or a promise of it while ranks load or a worker counts. */
export type MaybePromise<T> = T | Promise<T>;

/** Options of {@link Tokenizer} and {@link configureTokenizer}. */
export interface TokenizerOptions {
  /**
   * Where encoding runs. `auto` (the default) uses a Web Worker per encoding on a browser's
   * main thread, and the calling thread everywhere else (Node, tests, workers). `in-process`
   * always encodes on the calling thread; in a browser that blocks while ranks load.
   */
  engine?: 'auto' | 'worker' | 'in-process';
  /**
   * How many distinct texts' counts are kept per encoding, least recently used dropped first.
   * `0` turns the cache off. Default: 5,000.
   */
  cacheSize?: number;
}

let warned = false;

/** `process.env.NODE_ENV` as the app's bundler or Node sets it; a page with neither is production. */
function isDevelopment(): boolean {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return false;
  }
}

function warnFallback(error: unknown): void {
  if (warned || !isDevelopment()) return;
  warned = true;
  console.warn(
    'Parlance: the tokenizer worker could not start, so tokens are counted on the main thread, ' +
      'which blocks while the ranks load. Check that your bundler emits ' +
      'parlance/dist/core/tokens/tokenizer-*.worker.js and that a Content-Security-Policy allows it ' +
      "(worker-src), or choose configureTokenizer({ engine: 'in-process' }).",
    error,
  );
}

function canUseWorker(): boolean {
  return typeof Worker === 'function' && typeof window !== 'undefined' && typeof document !== 'undefined';
}

/**
 * Counts tokens for exact encodings, with the ranks loaded lazily and a cache of counts by text,
 * so that a keystroke in a long conversation encodes only the draft. Most apps use the shared
 * instance behind `countTokens`; construct one to choose the engine or the cache size.
 *
 * @example
 * const tokenizer = new Tokenizer({ engine: 'in-process' });
 * await tokenizer.load('o200k_base');
 * tokenizer.count('o200k_base', ['Hello', 'world']); // [1, 1], synchronously
 */
export class Tokenizer {
  #engine: TokenEngine;
  #cacheSize: number;
  #caches = new Map<EncodingName, Map<string, number>>();

  constructor(options: TokenizerOptions = {}) {
    const choice = options.engine ?? 'auto';
    this.#engine =
      choice === 'worker' || (choice === 'auto' && canUseWorker())
        ? new WorkerEngine()
        : new InProcessEngine();
    this.#cacheSize = Math.max(0, options.cacheSize ?? 5_000);
  }

  /** Where encoding runs: `worker` or `in-process`. */
  get engine(): 'worker' | 'in-process' {
    return this.#engine.kind;
  }

  /** True once `encoding`'s ranks are loaded and counting no longer waits for them. */
  isReady(encoding: EncodingName): boolean {
    return this.#engine.isReady(encoding);
  }

  /**
   * Loads `encoding`'s ranks (once; later calls share the same promise). If a worker cannot be
   * started (a strict CSP, a bundler that dropped it) the tokenizer falls back to in-process,
   * says so once with `console.warn` outside production, and {@link Tokenizer.engine} turns
   * `in-process`.
   */
  load(encoding: EncodingName): Promise<void> {
    const engine = this.#engine;
    return engine.load(encoding).catch((error: unknown) => {
      if (engine.kind !== 'worker') throw error;
      // Loads of both encodings may fail: the first one switches engines, the others follow it.
      if (this.#engine === engine) {
        engine.dispose();
        this.#engine = new InProcessEngine();
        warnFallback(error);
      }
      return this.#engine.load(encoding);
    });
  }

  /** The count of `text` if it is known now (cached, or encodable on this thread), else `undefined`. */
  peek(encoding: EncodingName, text: string): number | undefined {
    const cached = this.#get(encoding, text);
    if (cached !== undefined) return cached;
    const counted = this.#engine.countSync(encoding, text);
    if (counted !== undefined) this.#set(encoding, text, counted);
    return counted;
  }

  /**
   * Counts each text. Returns the counts synchronously when every text is cached or can be
   * encoded on this thread, else a promise; only the texts not seen before are encoded.
   */
  count(encoding: EncodingName, texts: readonly string[]): MaybePromise<number[]> {
    const counts = new Array<number>(texts.length);
    let missing: Map<string, number[]> | undefined;
    texts.forEach((text, i) => {
      const known = this.peek(encoding, text);
      if (known !== undefined) counts[i] = known;
      else {
        missing ??= new Map();
        const slots = missing.get(text);
        if (slots) slots.push(i);
        else missing.set(text, [i]);
      }
    });
    if (!missing) return counts;
    const wanted = missing;
    const unique = [...wanted.keys()];
    const run = () => this.#engine.count(encoding, unique);
    return (this.isReady(encoding) ? run() : this.load(encoding).then(run)).then((fresh) => {
      unique.forEach((text, j) => {
        const n = fresh[j]!;
        this.#set(encoding, text, n);
        for (const i of wanted.get(text)!) counts[i] = n;
      });
      return counts;
    });
  }

  /** Stops any worker and forgets cached counts. */
  dispose(): void {
    this.#engine.dispose();
    this.#caches.clear();
  }

  #get(encoding: EncodingName, text: string): number | undefined {
    const cache = this.#caches.get(encoding);
    const hit = cache?.get(text);
    if (hit !== undefined && cache!.size > this.#cacheSize / 2) {
      // Refresh recency only when eviction is near, so the hot path stays a single lookup.
      cache!.delete(text);
      cache!.set(text, hit);
    }
    return hit;
  }

  #set(encoding: EncodingName, text: string, count: number): void {
    if (this.#cacheSize === 0) return;
    let cache = this.#caches.get(encoding);
    if (!cache) this.#caches.set(encoding, (cache = new Map()));
    cache.set(text, count);
    if (cache.size > this.#cacheSize) cache.delete(cache.keys().next().value!);
  }
}

let shared: Tokenizer | undefined;

/** The tokenizer `countTokens`, `countChatTokens`, `planContext` and `useTokenCount` share. */
export function getTokenizer(): Tokenizer {
  shared ??= new Tokenizer();
  return shared;
}

/**
 * Where the shared tokenizer (the one `countTokens`, `useTokenCount` and `planContext` use) counts
 * now: `worker` (a Web Worker per encoding, the default on a browser's main thread) or
 * `in-process` (Node, tests, `configureTokenizer({ engine: 'in-process' })`, or a browser where
 * the worker could not start and the tokenizer fell back). Creates the shared tokenizer if needed.
 *
 * @example
 * await preloadTokenizer('gpt-4o');
 * if (tokenizerEngine() === 'in-process') console.info('Counting on the main thread');
 */
export function tokenizerEngine(): 'worker' | 'in-process' {
  return getTokenizer().engine;
}

/**
 * Replaces the shared tokenizer (disposing the old one), e.g. to force in-process encoding or
 * change the cache size. Returns the new tokenizer.
 *
 * @example
 * configureTokenizer({ engine: 'in-process' }); // no worker, e.g. under a CSP without worker-src
 */
export function configureTokenizer(options: TokenizerOptions): Tokenizer {
  shared?.dispose();
  shared = new Tokenizer(options);
  return shared;
}

/** Applies `fn` to a value or a promise of one, staying synchronous when it can. */
export function mapMaybe<T, U>(value: MaybePromise<T>, fn: (value: T) => U): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
