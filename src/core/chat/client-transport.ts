import { createClient } from '../client/create-client';
import type { ClientOptions } from '../client/options';
import type { ChatTransport } from './types';

/**
 * The default {@link ChatTransport}: `POST {baseUrl}/chat/completions` with `stream: true` and
 * `stream_options.include_usage`, through {@link createClient}. The client's own retries are
 * off: the chat store retries before the first chunk itself and shows the wait in its state.
 *
 * @param options Client options, or a function returning them (read on every request, so a
 *   changed `baseUrl` or header applies to the next message).
 *
 * @example
 * ```ts
 * const chat = createChatStore({ model: 'gpt-4o-mini', transport: createClientTransport({ baseUrl: '/v1' }) });
 * ```
 */
export function createClientTransport(options: ClientOptions | (() => ClientOptions)): ChatTransport {
  return {
    send(request, { signal, headers }) {
      const client = createClient({ ...(typeof options === 'function' ? options() : options), retry: false });
      return client.chat.completions.create(
        { ...request, stream: true, stream_options: { include_usage: true } },
        { signal, headers, retry: false },
      );
    },
  };
}
