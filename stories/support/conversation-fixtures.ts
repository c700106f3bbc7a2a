import { chatStorageKey, createMemoryStorage, type ChatStorage } from 'parlance/core';

import { message } from './chat-fixtures';

/** A storage holding a few conversations, as `useChat` saves them. */
export function storageWithConversations(): ChatStorage {
  const stored = (id: string, question: string, answer: string, savedAt: number) => ({
    format: 'parlance.chat',
    version: 1,
    id,
    savedAt,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    messages: [
      message({ role: 'user', content: question, createdAt: savedAt - 60_000 }),
      message({ role: 'assistant', content: answer, createdAt: savedAt }),
    ],
  });
  const t = 1_764_700_000_000;
  return createMemoryStorage({
    [chatStorageKey('sourdough')]: stored(
      'sourdough',
      'How do I keep a sourdough starter?',
      'Feed it daily.',
      t,
    ),
    [chatStorageKey('tides')]: stored(
      'tides',
      'Why are there two tides a day?',
      'The moon, and inertia.',
      t + 1000,
    ),
    [chatStorageKey('trip')]: stored('trip', 'Plan three days in Kyoto', 'Day one: Higashiyama.', t + 2000),
  });
}
