import { ConfigurationError } from '../errors';
import { brand, hasMarker } from '../internal/brand';

/** The store cannot send: no transport (set `baseUrl`, or pass a `transport`). Shown as `error`. */
export class ChatConfigError extends ConfigurationError {
  override readonly name = 'ChatConfigError';

  static override isInstance(error: unknown): error is ChatConfigError {
    return hasMarker(error, CHAT_CONFIG_MARKER);
  }
}
const CHAT_CONFIG_MARKER = brand(ChatConfigError, 'ChatConfigError');
