import { describe, expect, it } from 'vitest';

import { isImageAllowed, safeHref } from 'parlance';

describe('safeHref', () => {
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/svg+xml;base64,PHN2Zz4=',
    'file:///etc/passwd',
    'blob:https://example.com/abc',
  ])('refuses %j', (href) => {
    expect(safeHref(href)).toBeNull();
    expect(safeHref(href, { allowRelativeLinks: true })).toBeNull();
  });

  it('keeps http, https and mailto, normalised', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('mailto:someone@example.com')).toBe('mailto:someone@example.com');
  });

  it('allows relative links only when the app says so', () => {
    expect(safeHref('/docs')).toBeNull();
    expect(safeHref('/docs', { allowRelativeLinks: true })).toBe('/docs');
    expect(safeHref('#part', { allowRelativeLinks: true })).toBe('#part');
  });
});

describe('isImageAllowed', () => {
  const policy = { allowedImageOrigins: ['https://images.example.com'] };
  it('loads only from listed origins over http(s)', () => {
    expect(isImageAllowed('https://images.example.com/a.png', policy)).toBe(true);
    expect(isImageAllowed('https://evil.example/a.png?q=secret', policy)).toBe(false);
    expect(isImageAllowed('https://images.example.com.evil.example/a.png', policy)).toBe(false);
    expect(isImageAllowed('//evil.example/a.png', policy, 'https://images.example.com/')).toBe(false);
    expect(isImageAllowed('data:image/png;base64,AAAA', policy)).toBe(false);
    expect(isImageAllowed('https://images.example.com/a.png', {})).toBe(false);
  });
});
