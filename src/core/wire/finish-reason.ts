import { AbortError, StreamInterruptedError } from '../errors';
import type { FinishReason } from './chat';

/**
 * How a message ended, mirroring `finish_reason`. `complete` messages need nothing more;
 * `incomplete` ones say why, so a UI can offer "continue" for `length` and a notice for
 * `content-filter` without reading the text. `unknown` is a reply that ended properly but named
 * no reason we know (some OpenAI-compatible servers).
 */
export type MessageEndState =
  | { type: 'complete'; reason: 'stop' | 'tool-calls' | 'unknown' }
  | { type: 'incomplete'; reason: 'length' | 'content-filter' | 'cancelled' | 'interrupted' | 'error' };

/**
 * Maps a wire `finish_reason` to a {@link MessageEndState}.
 *
 * @example
 * ```ts
 * mapFinishReason('length') // { type: 'incomplete', reason: 'length' }
 * ```
 */
export function mapFinishReason(finishReason: FinishReason | string | undefined): MessageEndState {
  switch (finishReason) {
    case 'stop':
      return { type: 'complete', reason: 'stop' };
    case 'tool_calls':
    case 'function_call':
      return { type: 'complete', reason: 'tool-calls' };
    case 'length':
      return { type: 'incomplete', reason: 'length' };
    case 'content_filter':
      return { type: 'incomplete', reason: 'content-filter' };
    default:
      return { type: 'complete', reason: 'unknown' };
  }
}

/**
 * The end state of a message whose request threw: `cancelled` for an {@link AbortError},
 * `interrupted` for a {@link StreamInterruptedError}, `error` for anything else.
 */
export function mapErrorToEndState(error: unknown): MessageEndState {
  if (AbortError.isInstance(error)) return { type: 'incomplete', reason: 'cancelled' };
  if (StreamInterruptedError.isInstance(error)) return { type: 'incomplete', reason: 'interrupted' };
  return { type: 'incomplete', reason: 'error' };
}
