// Node only: the worker-thread pool the reference server runs offline image work on, so that
// drawing and PNG encoding and decoding never block the event loop. Tinypool (no dependencies)
// provides the threads, the bounded queue and cancellation by AbortSignal, which terminates a
// thread whose task runs past its time.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type Tinypool from 'tinypool';

import { HttpApiError } from '../protocol/errors';
import {
  runImageTaskInProcess,
  unwrapResult,
  type ImageTask,
  type ImageTaskResult,
  type RunImageTask,
} from './image-tasks';

/** Options of {@link createImagePool}. */
export interface ImagePoolOptions {
  /** Threads at most; started on the first task, stopped after a minute idle. Default: 2 (1 on one core). */
  threads?: number;
  /** The longest one task may run, in ms; past it the thread is stopped and the request gets a 503. Default 30,000. */
  taskTimeoutMs?: number;
  /** Tasks waiting for a thread at most; past it a request gets a 503. Default 64. */
  maxQueue?: number;
}

/** A pool of image worker threads. */
export interface ImagePool {
  /** Runs a task on a worker thread (in this thread when the worker module cannot be found). */
  run: RunImageTask;
  /** Stops the threads; a later task starts new ones. */
  close(): Promise<void>;
}

/** The loader module written for the sources, once per process. */
let sourceLoader: string | undefined;

type TsxManifest = { exports: Record<'./esm/api', { import: { default: string } }> };

/**
 * The worker module beside this one: `image-worker.js` in dist/. From the sources (tests, `tsx`),
 * `image-worker.ts` through a small module that loads it with `tsx` (a dev dependency), since a
 * worker thread does not inherit the loader that runs this file. `null` when it cannot be found
 * (this module was bundled into something else): the tasks then run in this thread.
 */
function workerModule(): string | null {
  try {
    const fromSource = import.meta.url.endsWith('.ts');
    // Joined at run time, not a literal, so that bundlers leave the URL alone.
    const file = ['.', `image-worker.${fromSource ? 'ts' : 'js'}`].join('/');
    const url = new URL(file, import.meta.url);
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null;
    if (!fromSource) return url.href;
    // tsx's ESM entry (its CommonJS one cannot load the rest of tsx from a worker), found in the
    // repository's node_modules: the sources only run there (the package ships dist/ alone). Read
    // as a file, not resolved with require, so that no bundler of dist/ looks for tsx.
    const tsxDir = path.join(path.dirname(fileURLToPath(url)), '..', '..', '..', 'node_modules', 'tsx');
    const manifest = JSON.parse(readFileSync(path.join(tsxDir, 'package.json'), 'utf8')) as TsxManifest;
    const tsx = pathToFileURL(path.join(tsxDir, manifest.exports['./esm/api'].import.default)).href;
    const loader = [
      `const api = await import(${JSON.stringify(tsx)});`,
      `const tsImport = api.tsImport ?? api.default.tsImport;`,
      `const worker = await tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)});`,
      `export default worker.default;`,
    ].join('\n');
    if (sourceLoader === undefined) {
      const shim = path.join(mkdtempSync(path.join(tmpdir(), 'parlance-image-worker-')), 'loader.mjs');
      writeFileSync(shim, loader);
      sourceLoader = pathToFileURL(shim).href;
    }
    return sourceLoader;
  } catch {
    return null;
  }
}

/**
 * Whether worker threads can run the image work here. Not on Deno: tinypool's worker needs
 * environment access there (it reads `PISCINA_DISABLE_ATOMICS`; without it the failing worker takes
 * the process down), and with it (Deno 2.9) a task never comes back. Deno keeps the work on the
 * calling thread, as a browser does.
 */
function workersPermitted(): boolean {
  return (globalThis as { Deno?: unknown }).Deno === undefined;
}

const serviceUnavailable = (message: string, code: string) =>
  new HttpApiError({
    status: 503,
    message,
    type: 'server_error',
    code,
    headers: { 'retry-after': '1' },
  });

/** A pool of image worker threads, started lazily and `unref`ed, so it never keeps a process alive. */
export function createImagePool(options: ImagePoolOptions = {}): ImagePool {
  const threads = Math.max(1, options.threads ?? Math.min(2, availableParallelism()));
  const timeoutMs = options.taskTimeoutMs ?? 30_000;
  const maxQueue = options.maxQueue ?? 64;
  let module: string | null | undefined;
  let pool: Promise<Tinypool> | null = null;

  const start = () =>
    (pool ??= import('tinypool').then(
      ({ default: Pool }) =>
        new Pool({
          filename: module!,
          minThreads: 0,
          maxThreads: threads,
          maxQueue,
          idleTimeout: 60_000,
        }),
    ));

  const run: RunImageTask = async (task: ImageTask, signal?: AbortSignal) => {
    if (module === undefined) module = workersPermitted() ? workerModule() : null;
    if (module === null) return runImageTaskInProcess(task, signal);
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const workers = await start();
    // Tinypool keeps its abort listener on a task it refused (a full queue) and fails an assertion
    // if that signal aborts later: it gets a signal of its own, aborted only while it holds the task.
    const own = new AbortController();
    let held = true;
    const cancel = () => {
      if (held) own.abort(both.reason);
    };
    both.addEventListener('abort', cancel, { once: true });
    if (both.aborted) cancel();
    let result: ImageTaskResult;
    try {
      result = (await workers.run(task, { signal: own.signal })) as ImageTaskResult;
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw serviceUnavailable(
          `The offline engine stopped an image task that ran past ${timeoutMs / 1000} s. Ask for fewer or smaller images.`,
          'image_task_timeout',
        );
      }
      if (signal?.aborted) throw signal.reason ?? error;
      if (error instanceof Error && /queue is at limit/i.test(error.message)) {
        throw serviceUnavailable(
          'The offline engine has too many images to draw right now. Please try again shortly.',
          'server_busy',
        );
      }
      throw error;
    } finally {
      held = false;
      both.removeEventListener('abort', cancel);
    }
    return unwrapResult(result);
  };

  return {
    run,
    async close() {
      const closing = pool;
      pool = null;
      if (closing) await (await closing).destroy();
    },
  };
}
