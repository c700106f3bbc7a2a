import { expect, test } from 'vitest';
import { VERSION } from 'parlance/core';
test('core', () => expect(VERSION).toBe('0.1.0'));
