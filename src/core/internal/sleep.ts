import { AbortError } from '../errors';

/** Waits `ms`, or rejects with {@link AbortError} as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(toAbortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(toAbortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The {@link AbortError} for an aborted signal, keeping its reason as the cause. */
export function toAbortError(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason;
  return AbortError.isInstance(reason) ? reason : new AbortError(undefined, { cause: reason });
}
