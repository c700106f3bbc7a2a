import type { ChatMessageContent } from './types';

/**
 * The text of a message's content: the string itself, or its non-empty text parts joined by
 * `separator` (image parts carry no text). The engine compares it with `''` to find empty
 * replies; the message list joins parts with a blank line to show and copy them.
 *
 * @example
 * messageText([{ type: 'text', text: 'Hi' }, { type: 'text', text: 'there' }], ' '); // 'Hi there'
 */
export function messageText(content: ChatMessageContent, separator = ''): string {
  if (typeof content === 'string') return content;
  return content
    .flatMap((part) => (part.type === 'text' && part.text !== '' ? [part.text] : []))
    .join(separator);
}
