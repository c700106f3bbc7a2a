/**
 * jsdom lays nothing out: every element measures 0, so a virtualised list mounts no rows. Call in
 * a test file to give elements a `px` × `px` box (600 by default) for the file's tests.
 */
import { afterAll, beforeAll } from 'vitest';

const SIZES = ['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'] as const;

export function giveElementsASize(px = 600): void {
  beforeAll(() => {
    for (const name of SIZES) {
      Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => px });
    }
  });
  afterAll(() => {
    for (const name of SIZES) Reflect.deleteProperty(HTMLElement.prototype, name);
  });
}
