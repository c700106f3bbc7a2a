import { messageText } from 'parlance/core';
import { expect, test } from 'vitest';

test('a string content is its own text', () => {
  expect(messageText('Hello')).toBe('Hello');
  expect(messageText('')).toBe('');
});

test('text parts are joined by the separator; image parts and empty parts add nothing', () => {
  const content = [
    { type: 'text' as const, text: 'Look at this:' },
    { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AAAA' } },
    { type: 'text' as const, text: '' },
    { type: 'text' as const, text: 'What is it?' },
  ];
  expect(messageText(content)).toBe('Look at this:What is it?');
  expect(messageText(content, '\n\n')).toBe('Look at this:\n\nWhat is it?');
  expect(messageText([{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }], ' ')).toBe('');
});
