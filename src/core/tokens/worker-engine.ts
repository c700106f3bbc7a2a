import type { TokenEngine } from './engine';
import type { EncodingName } from './models';
import type { CountRequest, CountResponse } from './worker-protocol';

// The literal `new Worker(new URL(…, import.meta.url))` form is what Vite and other bundlers
// recognise to bundle and emit a worker, so each encoding gets its own spelled-out line. The
// library build (scripts/build-plugins.ts) keeps that form with the built `./….worker.js` file
// beside this module in dist, so an app's bundler (or a static server) finds it there.
function spawn(encoding: EncodingName): Worker {
  switch (encoding) {
    case 'cl100k_base':
      return new Worker(new URL('./tokenizer-cl100k.worker.ts', import.meta.url), {
        type: 'module',
        name: 'parlance-tokenizer-cl100k',
      });
    case 'o200k_base':
      return new Worker(new URL('./tokenizer-o200k.worker.ts', import.meta.url), {
        type: 'module',
        name: 'parlance-tokenizer-o200k',
      });
  }
}

interface Pending {
  resolve(counts: number[]): void;
  reject(error: Error): void;
}

class EncodingWorker {
  #worker: Worker;
  #next = 0;
  #pending = new Map<number, Pending>();
  ready = false;

  constructor(encoding: EncodingName) {
    this.#worker = spawn(encoding);
    this.#worker.onmessage = ({ data }: MessageEvent<CountResponse>) => {
      const pending = this.#pending.get(data.id);
      if (!pending) return;
      this.#pending.delete(data.id);
      if ('error' in data) pending.reject(new Error(data.error));
      else pending.resolve(data.counts);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      // A script that failed to load reports no message: name the file the bundler had to emit.
      const file = `tokenizer-${encoding.replace(/_base$/, '')}.worker.js`;
      this.#failAll(
        new Error(`The ${encoding} tokenizer worker (${file}) failed: ${event.message || 'load error'}`),
      );
    };
  }

  request(texts: string[]): Promise<number[]> {
    const id = this.#next++;
    const message: CountRequest = { id, texts };
    return new Promise<number[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(message);
    });
  }

  terminate(): void {
    this.#worker.terminate();
    this.#failAll(new Error('The tokenizer was disposed.'));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** Encodes in one Web Worker per encoding, started on first use, so the main thread never blocks. */
export class WorkerEngine implements TokenEngine {
  readonly kind = 'worker' as const;
  #workers = new Map<EncodingName, EncodingWorker>();
  #loading = new Map<EncodingName, Promise<void>>();

  isReady(encoding: EncodingName): boolean {
    return this.#workers.get(encoding)?.ready ?? false;
  }

  countSync(): undefined {
    return undefined;
  }

  load(encoding: EncodingName): Promise<void> {
    let pending = this.#loading.get(encoding);
    if (!pending) {
      const worker = this.#worker(encoding);
      pending = worker.request([]).then(() => {
        worker.ready = true;
      });
      pending.catch(() => {
        this.#loading.delete(encoding);
        this.#workers.get(encoding)?.terminate();
        this.#workers.delete(encoding);
      });
      this.#loading.set(encoding, pending);
    }
    return pending;
  }

  async count(encoding: EncodingName, texts: readonly string[]): Promise<number[]> {
    await this.load(encoding);
    return this.#worker(encoding).request([...texts]);
  }

  dispose(): void {
    for (const worker of this.#workers.values()) worker.terminate();
    this.#workers.clear();
    this.#loading.clear();
  }

  #worker(encoding: EncodingName): EncodingWorker {
    let worker = this.#workers.get(encoding);
    if (!worker) {
      worker = new EncodingWorker(encoding);
      this.#workers.set(encoding, worker);
    }
    return worker;
  }
}
