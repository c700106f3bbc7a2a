import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fireEvent, fn, userEvent, waitFor, within } from 'storybook/test';

import type { ParlanceChatPosition } from '../../src/widget/index';
import '../../src/widget/index';
import { createScriptedFetch } from '../support/chat-backend';

const STORAGE_KEY = 'storybook-widget';

interface WidgetProps {
  /** The panel's heading. */
  title: string;
  position?: ParlanceChatPosition;
  theme?: 'light' | 'dark' | 'auto';
  /** Theme colour, set as `--parlance-color-accent` on the element. */
  accent?: string;
  /** Called with each finished reply (the `parlance-reply` event). */
  onReply?: (content: unknown) => void;
}

const transport = createScriptedFetch();

/** `<parlance-chat>` as a host page writes it; the backend is the stories' scripted one. */
function ParlanceChat({ title, position, theme, accent, onReply }: WidgetProps) {
  return (
    <parlance-chat
      base-url="https://api.parlance.test/v1"
      model="gpt-4o-mini"
      title={title}
      position={position}
      theme={theme}
      storage-key={STORAGE_KEY}
      style={accent ? ({ '--parlance-color-accent': accent } as React.CSSProperties) : undefined}
      ref={(element) => {
        if (!element) return;
        // A property, not an attribute: set on the element (React 18 would stringify it).
        element.transport = transport;
        const listener = (event: Event) =>
          onReply?.((event as CustomEvent<{ message: { content: unknown } }>).detail.message.content);
        element.addEventListener('parlance-reply', listener);
        return () => element.removeEventListener('parlance-reply', listener);
      }}
    />
  );
}

const meta = {
  title: 'Widget/parlance-chat',
  component: ParlanceChat,
  args: { title: 'Ask the docs', onReply: fn() },
  beforeEach: () => {
    localStorage.removeItem(`parlance:chat:${STORAGE_KEY}`);
  },
} satisfies Meta<typeof ParlanceChat>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Queries inside the element's shadow root, where the widget renders. */
async function shadow(canvasElement: HTMLElement) {
  const host = await waitFor(() => {
    const element = canvasElement.querySelector('parlance-chat');
    expect(element?.shadowRoot).toBeTruthy();
    return element!;
  });
  return { host, ui: within(host.shadowRoot as unknown as HTMLElement) };
}

/**
 * The floating launcher: open it, type, send, read the streamed reply, close with Escape. Focus
 * goes to the composer on open and back to the launcher on close.
 */
export const Floating: Story = {
  play: async ({ canvasElement, args }) => {
    const { host, ui } = await shadow(canvasElement);
    const launcher = await ui.findByRole('button', { name: 'Open chat' });
    await userEvent.click(launcher);
    const composer = await ui.findByRole('textbox', { name: 'Message' });
    await waitFor(() => expect(host.shadowRoot!.activeElement).toBe(composer));

    // user-event types into document.activeElement, which is the host element when focus is in a
    // shadow root; events dispatched on the textarea itself reach React's listeners there.
    fireEvent.change(composer, { target: { value: 'Hello there' } });
    await userEvent.click(ui.getByRole('button', { name: 'Send' }));
    await waitFor(
      () =>
        expect(host.shadowRoot!.querySelector('[data-role="assistant"]')?.getAttribute('data-status')).toBe(
          'done',
        ),
      { timeout: 5000 },
    );
    await expect(args.onReply).toHaveBeenCalledTimes(1);

    fireEvent.keyDown(composer, { key: 'Escape' });
    await waitFor(() => expect(host.hasAttribute('open')).toBe(false));
    await expect(host.shadowRoot!.activeElement).toBe(ui.getByRole('button', { name: 'Open chat' }));
  },
};

/** Themed from the host page: `--parlance-color-accent` set on the element reaches the launcher. */
export const Themed: Story = {
  args: { accent: 'rgb(15, 118, 110)', theme: 'dark' },
  play: async ({ canvasElement }) => {
    const { ui } = await shadow(canvasElement);
    const launcher = await ui.findByRole('button', { name: 'Open chat' });
    await expect(getComputedStyle(launcher).backgroundColor).toBe('rgb(15, 118, 110)');
  },
};

/** `position="inline"`: no launcher, the chat fills its container (a support page that is the chat). */
export const Inline: Story = {
  args: { position: 'inline', title: 'Support' },
  play: async ({ canvasElement }) => {
    const { ui } = await shadow(canvasElement);
    await expect(await ui.findByRole('textbox', { name: 'Message' })).toBeVisible();
    await expect(ui.queryByRole('button', { name: 'Open chat' })).toBeNull();
  },
};
