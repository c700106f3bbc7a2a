import { describe, expect, it } from 'vitest';

import {
  AttachmentError,
  checkAttachment,
  classifyFile,
  fileTokens,
  measureChatTokens,
  modelAcceptsPdf,
  partFile,
  PDF_PAGE_TOKENS,
  prepareAttachment,
  textFilePart,
  type TokenMessage,
} from 'parlance/core';
import { draftContent, refusalText } from '../../../src/components/composer/attachments';
import { chatCatalogs } from '../../../src/components/i18n/chat';
import { withoutFiles, messageFiles } from '../../../src/components/message-list/message-files';

const file = (name: string, type: string, body: BlobPart = 'x') => new File([body], name, { type });

/** A minimal PDF with `pages` page objects. */
function pdf(pages: number): Uint8Array<ArrayBuffer> {
  const objects = Array.from(
    { length: pages },
    (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj`,
  );
  const text = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count ${pages} >> endobj\n${objects.join('\n')}\n%%EOF\n`;
  return new Uint8Array(new TextEncoder().encode(text));
}

describe('classifyFile', () => {
  it.each([
    ['photo.jpg', 'image/jpeg', 'image'],
    ['shot.PNG', '', 'image'],
    ['anim.gif', 'image/gif', 'image'],
    ['phone.heic', 'image/heic', 'image'],
    ['notes.txt', 'text/plain', 'text'],
    ['README.md', '', 'text'],
    ['data.csv', 'text/csv', 'text'],
    ['data.json', 'application/json', 'text'],
    ['main.ts', 'video/mp2t', 'text'],
    ['app.py', 'text/x-python', 'text'],
    ['lib.rs', '', 'text'],
    ['Dockerfile', '', 'text'],
    ['icon.svg', 'image/svg+xml', 'text'],
    ['paper.pdf', 'application/pdf', 'pdf'],
    ['paper.PDF', '', 'pdf'],
    ['song.mp3', 'audio/mpeg', null],
    ['archive.zip', 'application/zip', null],
    ['program.exe', 'application/octet-stream', null],
    ['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', null],
  ])('%s (%s) is %s', (name, type, kind) => {
    expect(classifyFile({ name, type })).toBe(kind);
  });
});

describe('modelAcceptsPdf', () => {
  it('allows the gpt-4o family and later vision models, and refuses others', () => {
    for (const model of [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4o-2024-08-06',
      'gpt-4.1',
      'gpt-5-mini',
      'o3',
      'o4-mini',
    ]) {
      expect(modelAcceptsPdf(model), model).toBe(true);
    }
    for (const model of ['gpt-3.5-turbo', 'gpt-4', 'o1-mini', 'o3-mini', 'llama3', '', undefined, null]) {
      expect(modelAcceptsPdf(model), String(model)).toBe(false);
    }
  });
});

describe('checkAttachment', () => {
  it('refuses with a typed error naming the file', () => {
    const refused = checkAttachment(file('song.mp3', 'audio/mpeg'));
    expect(AttachmentError.isInstance(refused)).toBe(true);
    expect((refused as AttachmentError).code).toBe('unsupported-type');
    expect((refused as AttachmentError).fileName).toBe('song.mp3');
    expect((refused as AttachmentError).message).toContain('"song.mp3"');
  });

  it('refuses a kind that is off, a PDF the model does not read, and a text file over the limit', () => {
    expect(
      (checkAttachment(file('a.png', 'image/png'), { allowImages: false }) as AttachmentError).code,
    ).toBe('kind-not-allowed');
    expect(
      (checkAttachment(file('a.txt', 'text/plain'), { allowFiles: false }) as AttachmentError).kind,
    ).toBe('text');
    expect(
      (checkAttachment(file('a.pdf', 'application/pdf'), { model: 'gpt-3.5-turbo' }) as AttachmentError).code,
    ).toBe('pdf-not-accepted');
    expect(checkAttachment(file('a.pdf', 'application/pdf'), { model: 'gpt-4o' })).toBe('pdf');
    expect(checkAttachment(file('a.pdf', 'application/pdf'), { model: 'local', allowPdf: true })).toBe('pdf');
    const big = checkAttachment(file('big.txt', 'text/plain', 'x'.repeat(2000)), { maxTextBytes: 1000 });
    expect((big as AttachmentError).code).toBe('too-large');
    expect((big as AttachmentError).maxBytes).toBe(1000);
  });
});

describe('prepareAttachment', () => {
  it('turns a text file into a text part carrying its name, with its line endings normalised', async () => {
    const { kind, part } = await prepareAttachment(file('notes.md', '', '# Title\r\nline "two" </file>'));
    expect(kind).toBe('text');
    expect(part).toEqual({
      type: 'text',
      text: '<file name="notes.md">\n# Title\nline "two" </file>\n</file>',
    });
    expect(partFile(part)).toEqual({ name: 'notes.md', kind: 'text', text: '# Title\nline "two" </file>' });
  });

  it('escapes the name, and reads it back', async () => {
    const part = textFilePart('a "b" <c>&.txt', 'hi');
    expect(part.text.split('\n')[0]).toBe('<file name="a &quot;b&quot; &lt;c&gt;&amp;.txt">');
    expect(partFile(part)?.name).toBe('a "b" <c>&.txt');
  });

  it('refuses a text file that is not UTF-8, or binary', async () => {
    await expect(
      prepareAttachment(file('latin1.txt', 'text/plain', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))),
    ).rejects.toMatchObject({
      code: 'not-text',
      fileName: 'latin1.txt',
    });
    await expect(
      prepareAttachment(file('bin.txt', 'text/plain', new Uint8Array([0x61, 0, 0x62]))),
    ).rejects.toMatchObject({
      code: 'not-text',
    });
  });

  it('turns a PDF into a file part with a data URL, for a model that reads PDFs', async () => {
    const bytes = pdf(2);
    const { kind, part } = await prepareAttachment(file('paper.pdf', 'application/pdf', bytes), {
      model: 'gpt-4o',
    });
    expect(kind).toBe('pdf');
    expect(part.type).toBe('file');
    if (part.type !== 'file') throw new Error('not a file part');
    expect(part.file.filename).toBe('paper.pdf');
    expect(part.file.file_data).toBe(`data:application/pdf;base64,${Buffer.from(bytes).toString('base64')}`);
    expect(partFile(part)).toEqual({ name: 'paper.pdf', kind: 'pdf' });
  });

  it('refuses a file named .pdf that is not one, and a PDF for a model without PDF input', async () => {
    await expect(
      prepareAttachment(file('fake.pdf', 'application/pdf', 'hello'), { model: 'gpt-4o' }),
    ).rejects.toMatchObject({
      code: 'unsupported-type',
    });
    await expect(
      prepareAttachment(file('paper.pdf', 'application/pdf', pdf(1)), { model: 'gpt-3.5-turbo' }),
    ).rejects.toMatchObject({
      code: 'pdf-not-accepted',
      message: expect.stringContaining('gpt-3.5-turbo') as unknown,
    });
  });

  it('refuses an image it cannot prepare (no canvas here) with the file named', async () => {
    const error = await prepareAttachment(file('photo.jpg', 'image/jpeg', 'not really')).catch(
      (e: unknown) => e,
    );
    expect(AttachmentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'image-failed', fileName: 'photo.jpg' });
  });
});

describe('token counts with attachments', () => {
  it('counts a text file exactly, as the text part it is sent as', async () => {
    const part = textFilePart('notes.txt', 'The quick brown fox jumps over the lazy dog.');
    const withFile: TokenMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Summarise' }, part] }];
    const count = await measureChatTokens(withFile, 'gpt-4o');
    const asText = await measureChatTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise' },
            { type: 'text', text: part.text },
          ],
        },
      ],
      'gpt-4o',
    );
    expect(count.tokens).toBe(asText.tokens);
    expect(count.isApproximate).toBe(false);
  });

  it('estimates a PDF per page and marks the count approximate', async () => {
    const data = `data:application/pdf;base64,${Buffer.from(pdf(3)).toString('base64')}`;
    expect(fileTokens({ file_data: data })).toEqual({
      tokens: 3 * PDF_PAGE_TOKENS,
      isApproximate: true,
      pages: 3,
    });
    const text = await measureChatTokens(
      [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      'gpt-4o',
    );
    const withPdf = await measureChatTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'file', file: { filename: 'a.pdf', file_data: data } },
          ],
        },
      ],
      'gpt-4o',
    );
    expect(withPdf.tokens - text.tokens).toBe(3 * PDF_PAGE_TOKENS);
    expect(withPdf.isApproximate).toBe(true);
  });

  it('charges a PDF whose pages cannot be found about one page per 100 KB', () => {
    const data = `data:application/pdf;base64,${Buffer.alloc(250 * 1024, 1).toString('base64')}`;
    expect(fileTokens({ file_data: data })).toMatchObject({ tokens: 3 * PDF_PAGE_TOKENS, pages: undefined });
  });
});

describe('the composer and the message list', () => {
  it('builds the draft from the text and the ready attachments only', () => {
    const text = textFilePart('a.txt', 'A');
    const base = { file: file('a.txt', 'text/plain'), kind: 'text' as const };
    expect(draftContent('Hi', [])).toBe('Hi');
    expect(
      draftContent('Hi', [
        { ...base, id: '1', status: 'ready', part: text },
        { ...base, id: '2', status: 'preparing' },
      ]),
    ).toEqual([{ type: 'text', text: 'Hi' }, text]);
  });

  it('says which file was refused and why, in the locale', () => {
    const error = new AttachmentError('too-large', 'big.csv', 'too big', { maxBytes: 512 * 1024 });
    expect(refusalText(error, chatCatalogs.en, 'en', 4)).toBe(
      'big.csv was not attached: it is larger than 512 kB.',
    );
    const pdfError = checkAttachment(file('a.pdf', 'application/pdf'), {
      model: 'gpt-3.5-turbo',
    }) as AttachmentError;
    expect(refusalText(pdfError, chatCatalogs.en, 'en', 4)).toBe(
      'a.pdf was not attached: this model does not read PDF files.',
    );
  });

  it('shows files apart from the text of the message', () => {
    const content = [
      { type: 'text' as const, text: 'Look' },
      textFilePart('notes.txt', 'secret body'),
      { type: 'file' as const, file: { filename: 'paper.pdf', file_data: 'data:application/pdf;base64,' } },
    ];
    expect(withoutFiles(content)).toEqual([{ type: 'text', text: 'Look' }]);
    expect(messageFiles(content).map((f) => [f.name, f.kind])).toEqual([
      ['notes.txt', 'text'],
      ['paper.pdf', 'pdf'],
    ]);
  });
});
