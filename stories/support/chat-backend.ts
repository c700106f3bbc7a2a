import { encodeSSE, type ChatCompletionChunk, type FinishReason } from 'parlance/core';

/** How the scripted backend answers one request. */
interface ChatScript {
  /** The reply's text, streamed in pieces. */
  reply: string;
  /** `stop` unless said otherwise. */
  finishReason?: Exclude<FinishReason, null>;
  /** Answer with this HTTP status and an OpenAI error envelope instead of a stream. */
  status?: number;
  /** Break the connection after this many pieces (no `[DONE]`). */
  breakAfter?: number;
  /** Send an `error` event after this many pieces. */
  errorAfter?: number;
}

export interface ScriptedBackendOptions {
  /** Picks the script from the request's last user message. Default: {@link defaultScript}. */
  script?: (lastUserText: string, request: { model: string; messages: unknown[] }) => ChatScript;
  /** Delay between pieces, in ms. Default 25. */
  delayMs?: number;
  /** Characters per piece. Default 12. */
  pieceSize?: number;
}

export const LONG_REPLY = [
  '## A plan in three parts',
  '',
  'Here is **what to do**, with a table, a list and some code.',
  '',
  '| Step | Owner | Done |',
  '| --- | --- | :-: |',
  '| Draft | Ana | ✓ |',
  '| Review | 李雷 | |',
  '',
  '- [x] Write the outline',
  '- [ ] Check the figures',
  '',
  '```ts',
  'export function total(items: number[]): number {',
  '  return items.reduce((sum, n) => sum + n, 0);',
  '}',
  '```',
  '',
  'See [the guide](https://example.com/guide) for more.',
].join('\n');

/** Keywords in the user's message choose the ending, so stories and tests can ask for each one. */
function defaultScript(text: string): ChatScript {
  const lower = text.toLowerCase();
  if (lower.includes('rate limit')) return { reply: '', status: 429 };
  if (lower.includes('server error')) return { reply: '', status: 500 };
  if (lower.includes('cut short'))
    return { reply: 'This answer is long, and it stops in the middle of', finishReason: 'length' };
  if (lower.includes('filtered')) return { reply: 'Part of this answer', finishReason: 'content_filter' };
  if (lower.includes('disconnect'))
    return { reply: 'The connection drops somewhere in this sentence.', breakAfter: 2 };
  if (lower.includes('long')) return { reply: LONG_REPLY };
  if (lower.startsWith('continue')) return { reply: ' the sentence, which now ends.' };
  if (/[\u4e00-\u9fff]/.test(text))
    return { reply: `你说：“${text}”。这是一个**示例**回复，包含中文标点和代码 \`const a = 1\`。` };
  return {
    reply: `You said: “${text}”. Here is a short **markdown** reply with \`code\` and a [link](https://example.com).`,
  };
}

/**
 * A `fetch` that answers `POST …/chat/completions` like an OpenAI-compatible server, with real
 * `chat.completion.chunk` Server-Sent Events through a `ReadableStream`, paced so that streaming,
 * stopping and every ending can be seen and tested. It honours the request's abort signal.
 */
export function createScriptedFetch(options: ScriptedBackendOptions = {}): typeof fetch {
  const { script = defaultScript, delayMs = 25, pieceSize = 12 } = options;
  let counter = 0;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/models')) {
      return Response.json({
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'parlance' }],
      });
    }
    if (!url.endsWith('/chat/completions')) return new Response('Not found', { status: 404 });
    const body = JSON.parse(String(init?.body ?? '{}')) as {
      model: string;
      messages: { role: string; content: unknown }[];
    };
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const text =
      typeof lastUser?.content === 'string'
        ? lastUser.content
        : Array.isArray(lastUser?.content)
          ? (lastUser.content as { type: string; text?: string }[]).map((p) => p.text ?? '').join(' ')
          : '';
    const plan = script(text, body);
    if (plan.status) {
      return Response.json(
        {
          error: {
            message:
              plan.status === 429 ? 'Rate limit reached. Try again in a moment.' : 'The server had an error.',
            type: plan.status === 429 ? 'rate_limit_error' : 'server_error',
            param: null,
            code: null,
          },
        },
        { status: plan.status, headers: plan.status === 429 ? { 'retry-after': '0' } : {} },
      );
    }
    counter += 1;
    const id = `chatcmpl-story-${counter}`;
    const chunk = (
      delta: ChatCompletionChunk['choices'][0]['delta'],
      finish: FinishReason = null,
    ): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created: 0,
      model: body.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      usage: null,
    });
    const pieces: string[] = [];
    for (let i = 0; i < plan.reply.length; i += pieceSize) pieces.push(plan.reply.slice(i, i + pieceSize));
    const encoder = new TextEncoder();
    const signal = init?.signal;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: object | '[DONE]') => controller.enqueue(encoder.encode(encodeSSE(event)));
        const wait = () => new Promise((resolve) => setTimeout(resolve, delayMs));
        let aborted = false;
        signal?.addEventListener('abort', () => {
          aborted = true;
          try {
            controller.error(new DOMException('The operation was aborted.', 'AbortError'));
          } catch {
            // already closed
          }
        });
        try {
          send(chunk({ role: 'assistant', content: '' }));
          for (let i = 0; i < pieces.length; i++) {
            await wait();
            if (aborted) return;
            if (plan.breakAfter !== undefined && i === plan.breakAfter) {
              controller.error(new TypeError('network error'));
              return;
            }
            if (plan.errorAfter !== undefined && i === plan.errorAfter) {
              send({
                error: {
                  message: 'The model stopped with an error.',
                  type: 'server_error',
                  param: null,
                  code: null,
                },
              });
              controller.close();
              return;
            }
            send(chunk({ content: pieces[i]! }));
          }
          await wait();
          if (aborted) return;
          send(chunk({}, plan.finishReason ?? 'stop'));
          const promptTokens = JSON.stringify(body.messages).length >> 2;
          const completionTokens = Math.max(1, plan.reply.length >> 2);
          send({
            id,
            object: 'chat.completion.chunk',
            created: 0,
            model: body.model,
            choices: [],
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: completionTokens,
              total_tokens: promptTokens + completionTokens,
            },
          });
          send('[DONE]');
          controller.close();
        } catch {
          // The reader went away (stopped): nothing more to send.
        }
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}
