// <parlance-chat>'s attributes as the widget reads them: values, and the documented defaults for
// missing or unknown ones.
import { afterEach, expect, test, vi } from 'vitest';

import { readAttributes } from '../../../src/widget/attributes';
import { DEFAULT_STORAGE_KEY } from '../../../src/widget/contract';

/** Just enough of an element for readAttributes: its attributes. */
function element(attributes: Record<string, string>): Element {
  return {
    getAttribute: (name: string) => attributes[name] ?? null,
    hasAttribute: (name: string) => name in attributes,
  } as unknown as Element;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

test('no attributes: the defaults (the locale from the browser: English unless it is Chinese)', () => {
  vi.stubGlobal('navigator', { language: 'fr-FR' });
  expect(readAttributes(element({}))).toEqual({
    open: false,
    baseUrl: undefined,
    model: undefined,
    title: undefined,
    system: undefined,
    locale: 'en',
    theme: 'auto',
    position: 'bottom-right',
    storageKey: DEFAULT_STORAGE_KEY,
    placeholder: undefined,
    allowedImageOrigins: undefined,
    showUsage: false,
  });
  vi.stubGlobal('navigator', { language: 'zh-TW' });
  expect(readAttributes(element({})).locale).toBe('zh-CN');
});

test('every attribute is read, and an unknown theme or position falls back', () => {
  const read = readAttributes(
    element({
      open: '',
      'base-url': '/api/v1',
      model: 'gpt-4o-mini',
      title: 'Ask the docs',
      system: 'Be brief.',
      locale: 'zh-CN',
      theme: 'dark',
      position: 'inline',
      'storage-key': 'docs-chat',
      placeholder: 'Ask…',
      'allowed-image-origins': ' https://a.example   https://b.example ',
      'show-usage': '',
    }),
  );
  expect(read).toEqual({
    open: true,
    baseUrl: '/api/v1',
    model: 'gpt-4o-mini',
    title: 'Ask the docs',
    system: 'Be brief.',
    locale: 'zh-CN',
    theme: 'dark',
    position: 'inline',
    storageKey: 'docs-chat',
    placeholder: 'Ask…',
    allowedImageOrigins: ['https://a.example', 'https://b.example'],
    showUsage: true,
  });
  expect(readAttributes(element({ theme: 'sepia', position: 'top', 'storage-key': '' }))).toMatchObject({
    theme: 'auto',
    position: 'bottom-right',
    storageKey: DEFAULT_STORAGE_KEY,
  });
});
