import type { ChatMessage } from 'parlance';

import { LONG_REPLY } from './chat-backend';

let next = 0;

/** A message with every field filled, for stories and tests of `MessageList`. */
export function message(fields: Pick<ChatMessage, 'role' | 'content'> & Partial<ChatMessage>): ChatMessage {
  next += 1;
  return {
    id: `m${next}`,
    createdAt: 1_700_000_000_000 + next * 1000,
    status: 'done',
    finishReason: fields.role === 'assistant' ? 'stop' : null,
    endState: null,
    usage: null,
    error: null,
    ...fields,
  };
}

/** A long conversation: `turns` question-and-answer pairs. */
export function longConversation(turns: number): ChatMessage[] {
  return Array.from({ length: turns }, (_, i) => [
    message({ role: 'user', content: `Question ${i + 1}: how does step ${i + 1} work?` }),
    message({
      role: 'assistant',
      content:
        i % 10 === 0 ? LONG_REPLY : `Answer ${i + 1}: step ${i + 1} works like **this**, one line at a time.`,
      usage: { prompt_tokens: 20 + i, completion_tokens: 12, total_tokens: 32 + i },
    }),
  ]).flat();
}

/** One conversation per ending, for the "all states" stories. */
export const endings = {
  stopped: message({
    role: 'assistant',
    content: 'I was about to explain, but',
    status: 'stopped',
    finishReason: null,
  }),
  interrupted: message({
    role: 'assistant',
    content: 'The connection dropped while',
    status: 'interrupted',
    finishReason: null,
  }),
  error: message({
    role: 'assistant',
    content: '',
    status: 'error',
    finishReason: null,
    error: { name: 'ApiError', message: 'The server had an error (500).', status: 500 },
  }),
  contentFilter: message({
    role: 'assistant',
    content: 'Part of this answer',
    finishReason: 'content_filter',
  }),
  length: message({
    role: 'assistant',
    content: 'This answer is long, and it stops in the middle of',
    finishReason: 'length',
  }),
};
