import { ApiError, NetworkError, TimeoutError } from '../errors';
import { sleep } from '../internal/sleep';
import type { RetryEvent, RetryPolicy } from './options';

/**
 * How long to wait before retry number `attempt` (1-based), or `null` not to retry. Honours a
 * server-asked wait; otherwise exponential backoff with full jitter.
 */
function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | null {
  if (attempt > policy.maxRetries) return null;
  if (ApiError.isInstance(error)) {
    if (!error.isRetryable) return null;
    if (error.retryAfterMs !== null) {
      return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : null;
    }
  } else if (!NetworkError.isInstance(error) && !TimeoutError.isInstance(error)) {
    return null;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return policy.jitter ? Math.random() * ceiling : ceiling;
}

/** How {@link withRetry} retries. */
export interface RetryLoop {
  policy: RetryPolicy;
  /** Aborts a backoff wait (with an `AbortError`). */
  signal?: AbortSignal | null;
  /** True for an error that ends the loop whatever the policy says (an abort, a started body). */
  isFinal?: (error: unknown) => boolean;
  /** The error the policy should judge in place of `error`, when they differ. */
  judgeAs?: (error: unknown) => unknown;
  /** Called before each backoff wait. */
  onWait?: (event: RetryEvent) => void;
  /** Called after each backoff wait, before the next attempt. */
  onWaited?: () => void;
}

/**
 * Runs `attempt` until it resolves, waiting between tries as {@link retryDelay} says; rethrows
 * the last error when the policy gives up. The one retry loop of the kit: the client's requests
 * and the chat engine's turns both go through it.
 */
export async function withRetry<T>(attempt: () => Promise<T>, loop: RetryLoop): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (loop.isFinal?.(error)) throw error;
      const delayMs = retryDelay(loop.judgeAs ? loop.judgeAs(error) : error, n, loop.policy);
      if (delayMs === null) throw error;
      loop.onWait?.({ attempt: n, delayMs, error });
      await sleep(delayMs, loop.signal);
      loop.onWaited?.();
    }
  }
}
