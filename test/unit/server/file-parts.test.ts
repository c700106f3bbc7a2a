// A PDF sent as a `file` part, as the composer sends it: accepted for a user message, counted as
// the kit's per-page estimate, and refused with the param at fault when it carries no data.
import { describe, expect, test } from 'vitest';

import { PDF_PAGE_TOKENS } from 'parlance/core';

import { envelope, offlineServer, postJson } from './helpers';

const server = offlineServer();
const pdf = (pages: number) =>
  `data:application/pdf;base64,${Buffer.from(
    `%PDF-1.4\n${Array.from({ length: pages }, (_, i) => `${i + 3} 0 obj << /Type /Page >> endobj`).join('\n')}\n%%EOF\n`,
  ).toString('base64')}`;

describe('chat completions with a file part', () => {
  test('accepts a PDF and counts it per page', async () => {
    const ask = (content: unknown) =>
      postJson(server, '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content }] });
    const text = { type: 'text', text: 'Summarise this.' };
    const plain = await ask([text]);
    const withPdf = await ask([text, { type: 'file', file: { filename: 'a.pdf', file_data: pdf(2) } }]);
    expect(plain.status).toBe(200);
    expect(withPdf.status).toBe(200);
    const usage = async (r: Response) => ((await r.json()) as { usage: { prompt_tokens: number } }).usage;
    expect((await usage(withPdf)).prompt_tokens - (await usage(plain)).prompt_tokens).toBe(
      2 * PDF_PAGE_TOKENS,
    );
  });

  test('refuses a file part with no data, naming the field', async () => {
    const response = await postJson(server, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf' } }] }],
    });
    expect(response.status).toBe(400);
    expect((await envelope(response)).param).toBe('messages[0].content[0].file.file_data');
  });
});
