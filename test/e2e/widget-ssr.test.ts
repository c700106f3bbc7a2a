// Importing `parlance/widget` where there is no DOM (server rendering, a Node build step) must do
// nothing harmful: no throw, no global touched, no element registered.
import { expect, test } from 'vitest';

test('importing the widget module on a server does nothing harmful', async () => {
  const before = Object.keys(globalThis).sort();
  expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
  expect(typeof (globalThis as { HTMLElement?: unknown }).HTMLElement).toBe('undefined');

  const widget = await import('../../src/widget/index');
  expect(typeof widget.ParlanceChatElement).toBe('function');
  expect(widget.defineParlanceChat()).toBeUndefined();
  expect(widget.defineParlanceChat('my-chat')).toBeUndefined();
  expect(Object.keys(globalThis).sort()).toEqual(before);
});
