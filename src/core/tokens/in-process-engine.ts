import type { TokenEngine } from './engine';
import type { CountFn } from './encoder';
import type { EncodingName } from './models';

// One literal `import()` per encoding, so bundlers split each rank table into its own chunk.
const RANKS = {
  cl100k_base: () => import('./ranks/cl100k_base'),
  o200k_base: () => import('./ranks/o200k_base'),
} satisfies Record<EncodingName, () => Promise<unknown>>;

/** Encodes on the calling thread: Node, tests, workers, and browsers that cannot start one. */
export class InProcessEngine implements TokenEngine {
  readonly kind = 'in-process' as const;
  #encoders = new Map<EncodingName, CountFn>();
  #loading = new Map<EncodingName, Promise<CountFn>>();

  isReady(encoding: EncodingName): boolean {
    return this.#encoders.has(encoding);
  }

  countSync(encoding: EncodingName, text: string): number | undefined {
    return this.#encoders.get(encoding)?.(text);
  }

  load(encoding: EncodingName): Promise<void> {
    return this.#encoder(encoding).then(() => undefined);
  }

  async count(encoding: EncodingName, texts: readonly string[]): Promise<number[]> {
    const encode = await this.#encoder(encoding);
    return texts.map(encode);
  }

  dispose(): void {}

  #encoder(encoding: EncodingName): Promise<CountFn> {
    let pending = this.#loading.get(encoding);
    if (!pending) {
      pending = Promise.all([import('./encoder'), RANKS[encoding]()]).then(([{ createCounter }, ranks]) => {
        const encode = createCounter(ranks.default);
        this.#encoders.set(encoding, encode);
        return encode;
      });
      // A failed load (offline chunk, CSP) may be retried by the next call.
      pending.catch(() => this.#loading.delete(encoding));
      this.#loading.set(encoding, pending);
    }
    return pending;
  }
}
