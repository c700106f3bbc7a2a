/**
 * The chat engine behind each `useChat`, fed the same reply chunk by chunk, as the conversation
 * grows from 0 to 5,000 messages: Parlance's `createChatStore` against the `Chat` class that
 * `@ai-sdk/react`'s `useChat` creates and subscribes to (ai@5), each through its own stream
 * protocol (OpenAI `chat.completion.chunk` objects; AI SDK UI-message chunks from a custom
 * `ChatTransport`). Both have one subscriber that reads the messages on every notification,
 * as `useSyncExternalStore` does.
 *
 * Two groups per history size:
 * - "per chunk, UI throttled": Parlance's default (one notification per frame; a 16 ms timer in
 *   Node) against the AI SDK with `experimental_throttle: 16` (its React callback throttled).
 * - "per notification": every chunk notifies (Parlance `throttle: 0`, the AI SDK unthrottled).
 *
 * Divide a task's mean time by CHUNKS for the cost per chunk.
 */
import { Chat } from '@ai-sdk/react';
import type { ChatTransport as AiChatTransport, UIMessage, UIMessageChunk } from 'ai';
import {
  createChatStore,
  type ChatCompletionChunk,
  type ChatMessage,
  type ChatTransport,
} from 'parlance/core';
import { bench, describe } from 'vitest';

const CHUNKS = 1000;
const HISTORY_SIZES = [0, 500, 5000];
const pieces = Array.from({ length: CHUNKS }, (_, i) => `tok${i} `);

const parlanceChunks: ChatCompletionChunk[] = pieces.map((content, i) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta: { content }, finish_reason: i === CHUNKS - 1 ? 'stop' : null }],
}));

const aiChunks: UIMessageChunk[] = [
  { type: 'start' },
  { type: 'start-step' },
  { type: 'text-start', id: 't' },
  ...pieces.map((delta): UIMessageChunk => ({ type: 'text-delta', id: 't', delta })),
  { type: 'text-end', id: 't' },
  { type: 'finish-step' },
  { type: 'finish' },
];

const parlanceTransport: ChatTransport = {
  async *send() {
    for (const chunk of parlanceChunks) yield chunk;
  },
};

const aiTransport: AiChatTransport<UIMessage> = {
  async sendMessages() {
    let i = 0;
    return new ReadableStream<UIMessageChunk>({
      pull(controller) {
        const chunk = aiChunks[i++];
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
  },
  async reconnectToStream() {
    return null;
  },
};

function parlanceHistory(n: number): ChatMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `h${i}`,
    role: i % 2 ? 'assistant' : 'user',
    content: `Message number ${i} of the conversation, with a few words in it.`,
    createdAt: 0,
    status: 'done',
    finishReason: i % 2 ? 'stop' : null,
    endState: i % 2 ? { type: 'complete', reason: 'stop' } : null,
    usage: null,
    error: null,
  }));
}

function aiHistory(n: number): UIMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `h${i}`,
    role: i % 2 ? 'assistant' : 'user',
    parts: [{ type: 'text', text: `Message number ${i} of the conversation, with a few words in it.` }],
  }));
}

async function parlanceTurn(history: ChatMessage[], throttle: 'frame' | 0) {
  const store = createChatStore({ initialMessages: history, transport: parlanceTransport, throttle });
  let seen = 0;
  store.subscribe(() => {
    seen += store.getSnapshot().messages.length;
  });
  await store.send('next');
  const last = store.getSnapshot().messages.at(-1)!;
  if (last.content.length !== pieces.join('').length) throw new Error('Parlance lost text');
  return seen;
}

async function aiTurn(history: UIMessage[], throttleMs: number | undefined) {
  const chat = new Chat<UIMessage>({ messages: history, transport: aiTransport });
  let seen = 0;
  chat['~registerMessagesCallback'](() => {
    seen += chat.messages.length;
  }, throttleMs);
  await chat.sendMessage({ text: 'next' });
  const last = chat.messages.at(-1)!;
  const text = last.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  if (text.length !== pieces.join('').length) throw new Error('AI SDK lost text');
  return seen;
}

for (const size of HISTORY_SIZES) {
  const ours = parlanceHistory(size);
  const theirs = aiHistory(size);

  describe(`${CHUNKS} chunks into ${size} messages, per chunk, UI throttled`, () => {
    bench('parlance createChatStore (throttle: frame)', () => parlanceTurn(ours, 'frame').then(() => {}));
    bench('@ai-sdk/react Chat (experimental_throttle: 16)', () => aiTurn(theirs, 16).then(() => {}));
  });

  describe(`${CHUNKS} chunks into ${size} messages, per notification`, () => {
    bench('parlance createChatStore (throttle: 0)', () => parlanceTurn(ours, 0).then(() => {}));
    bench('@ai-sdk/react Chat (no throttle)', () => aiTurn(theirs, undefined).then(() => {}));
  });
}
