import { ApiError, NetworkError, TimeoutError } from '../errors';
import type { RetryPolicy } from './options';

/**
 * How long to wait before retry number `attempt` (1-based), or `null` not to retry. Honours a
 * server-asked wait; otherwise exponential backoff with full jitter.
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | null {
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
