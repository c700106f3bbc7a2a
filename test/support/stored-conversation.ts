/**
 * A conversation as `useChat` stores it (format 1): a user message and the assistant's answer,
 * ids `<id>-u` and `<id>-a`, the answer written at `savedAt` and the question at `askedAt`.
 */
export function storedConversation(
  id: string,
  user: string,
  answer: string,
  savedAt: number,
  askedAt = savedAt,
) {
  const message = (mid: string, role: 'user' | 'assistant', content: string, createdAt: number) => ({
    id: mid,
    role,
    content,
    createdAt,
    status: 'done',
    finishReason: role === 'assistant' ? 'stop' : null,
    endState: null,
    usage: null,
    error: null,
  });
  return {
    format: 'parlance.chat',
    version: 1,
    id,
    messages: [message(`${id}-u`, 'user', user, askedAt), message(`${id}-a`, 'assistant', answer, savedAt)],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    savedAt,
  };
}
