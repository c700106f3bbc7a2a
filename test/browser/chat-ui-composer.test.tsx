import { userEvent } from '@vitest/browser/context';
import { describe, expect, it, vi } from 'vitest';
import { render } from 'vitest-browser-react';

import { Composer } from 'parlance';

import 'parlance/styles.css';

function keydownEnter(target: HTMLElement, init: KeyboardEventInit & { keyCode?: number } = {}) {
  const event = new KeyboardEvent('keydown', {
    key: 'Enter',
    code: 'Enter',
    bubbles: true,
    cancelable: true,
    ...init,
  });
  if (init.keyCode !== undefined) Object.defineProperty(event, 'keyCode', { value: init.keyCode });
  target.dispatchEvent(event);
}

describe('Composer IME input', () => {
  it('never sends on the Enter that confirms a candidate', async () => {
    const onSend = vi.fn();
    const screen = await render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.click(box);
    const element = box.element() as HTMLTextAreaElement;

    element.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
    await userEvent.keyboard('nihao');
    keydownEnter(element, { isComposing: true });
    keydownEnter(element, { keyCode: 229 });
    element.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '你好' }));
    // Safari's order: the confirming keydown arrives just after compositionend, not composing.
    keydownEnter(element);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onSend).not.toHaveBeenCalled();
    await expect.element(box).toHaveValue('nihao');

    // Once the composition is over, Enter sends.
    await userEvent.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('nihao');
    await expect.element(box).toHaveValue('');
  });

  it('breaks the line on Shift+Enter and grows with the text', async () => {
    const onSend = vi.fn();
    const screen = await render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.click(box);
    const before = (box.element() as HTMLElement).getBoundingClientRect().height;
    await userEvent.keyboard('one{Shift>}{Enter}{/Shift}two{Shift>}{Enter}{/Shift}three');
    expect(onSend).not.toHaveBeenCalled();
    const after = (box.element() as HTMLElement).getBoundingClientRect().height;
    expect(after).toBeGreaterThan(before);
  });
});
