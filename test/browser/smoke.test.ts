import { expect, test } from 'vitest';
test('in chromium', () => expect(navigator.userAgent).toContain('Chrome'));
