/**
 * Visual regression: the main stories in light and dark, English and Simplified Chinese, compared
 * with the baselines in test/browser/__screenshots__/visual.test.tsx/ (Chromium on Linux). A change
 * of style shows as a failing comparison with a diff image beside it.
 *
 * Deliberate changes: regenerate every baseline with one command, then review and commit them:
 *
 *   npm run test:visual -- --update
 *
 * Deterministic by construction: a fixed viewport, reduced motion plus animations, transitions
 * and the caret off, the system's fonts only (nothing is fetched), fixed message ids and times
 * (the fixtures), canvas-drawn images, and a scripted backend in the page.
 */
import { composeStories, composeStory, setProjectAnnotations } from '@storybook/react-vite';
import { cdp, page } from '@vitest/browser/context';
import type { ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';

import { MessageList } from 'parlance';

import * as previewAnnotations from '../../.storybook/preview';
import * as ChatWindowStories from '../../stories/components/chat-window.stories';
import * as ComposerStories from '../../stories/components/composer.stories';
import * as ImageGalleryStories from '../../stories/components/image-gallery.stories';
import * as MessageListStories from '../../stories/components/message-list.stories';
import * as TokenMeterStories from '../../stories/components/token-meter.stories';
import '../../src/widget/index';
import { createScriptedFetch } from '../../stories/support/chat-backend';
import { message } from '../../stories/support/chat-fixtures';

setProjectAnnotations(previewAnnotations);

/**
 * Up to 24 pixels may differ, each by more than a small perceived-colour distance (0.05 in YIQ):
 * room for anti-aliasing noise that pixelmatch does not recognise as such, none for a changed
 * colour (the accent one shade darker fails), spacing or string. Shots of the same build on the
 * same machine match exactly; the room is for the noise of a busy machine.
 */
const TOLERANCE = {
  comparatorName: 'pixelmatch',
  comparatorOptions: { threshold: 0.05, allowedMismatchedPixels: 24 },
} as const;

const themes = ['light', 'dark'] as const;
const locales = ['en', 'zh-CN'] as const;
type Theme = (typeof themes)[number];
type Locale = (typeof locales)[number];

// Files share the browser page: what this file changes for its shots is put back after it.
const before = { width: window.innerWidth, height: window.innerHeight };
const still = document.createElement('style');

afterAll(async () => {
  still.remove();
  await cdp().send('Emulation.setEmulatedMedia', { features: [] });
  await page.viewport(before.width, before.height);
});

beforeAll(async () => {
  await page.viewport(1024, 768);
  // The kit's own animations honour reduced motion (the widget's shadow root too); the style
  // stops anything else that moves, and the blinking caret.
  await cdp().send('Emulation.setEmulatedMedia', {
    features: [{ name: 'prefers-reduced-motion', value: 'reduce' }],
  });
  still.textContent =
    '*, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }';
  document.head.append(still);
});

/** The stories, each with the toolbar's theme and locale as Storybook's globals. */
function storiesFor(theme: Theme, locale: Locale) {
  const globals = { initialGlobals: { theme, locale } };
  return {
    chatWindow: composeStories(ChatWindowStories, globals),
    composer: composeStories(ComposerStories, globals),
    messageList: composeStories(MessageListStories, globals),
    tokenMeter: composeStories(TokenMeterStories, globals),
    // A reply in progress, as the list shows it while the stream runs: before its first words
    // ("Thinking…" and three dots) and with its words so far (a dot after the last).
    inProgress: composeStory(
      {
        render: (args) => (
          <div style={{ display: 'grid', gridTemplateRows: '1fr 1fr', height: '100%', gap: 8 }}>
            <MessageList {...args} messages={[question, message({ ...thinking })]} />
            <MessageList {...args} messages={[question, message({ ...streaming })]} />
          </div>
        ),
      },
      MessageListStories.default,
      globals,
    ),
    // "Every state at once" without the story's own fixed locale.
    gallery: composeStory(
      { ...ImageGalleryStories.AllStatesChinese, parameters: {} },
      ImageGalleryStories.default,
      globals,
    ),
  };
}

const question = message({ role: 'user', content: 'How do I ship the release?' });
const thinking = { role: 'assistant', content: '', status: 'pending', finishReason: null } as const;
const streaming = {
  role: 'assistant',
  content: 'Tag the commit, then run the **release** workflow. It builds',
  status: 'streaming',
  finishReason: null,
} as const;

/**
 * Renders at a fixed width, waits for what arrives after the first paint, and compares the
 * element `target` selects (default: the whole story, in the stories' 560 px high frame).
 */
async function shoot(
  name: string,
  element: ReactElement,
  { ready, target }: { ready?: (root: HTMLElement) => boolean; target?: string } = {},
) {
  const screen = await render(
    <div data-visual={name} style={{ width: 760, padding: 8, background: 'Canvas' }}>
      {element}
    </div>,
  );
  const root = screen.container.querySelector<HTMLElement>(`[data-visual="${name}"]`)!;
  if (ready) await expect.poll(() => ready(root), { timeout: 20_000 }).toBe(true);
  await document.fonts.ready;
  const shot = target ? root.querySelector<HTMLElement>(target)! : root;
  await expect.element(page.elementLocator(shot)).toMatchScreenshot(name, TOLERANCE);
}

const highlighted = (root: HTMLElement) => root.querySelector('.parlance-code .hljs-keyword') !== null;

describe.each(themes)('%s theme', (theme) => {
  describe.each(locales)('%s', (locale) => {
    const stories = storiesFor(theme, locale);
    const suffix = `${theme}-${locale}`;

    it('ChatWindow with a conversation', async () => {
      const { Conversation } = stories.chatWindow;
      await shoot(`chat-window-${suffix}`, <Conversation />, {
        ready: (root) => {
          const log = root.querySelector<HTMLElement>('[role="log"]');
          const counted = root.querySelector('[data-slot="prompt-tokens"]')?.textContent ?? '';
          return (
            highlighted(root) &&
            /^\d[\d,]*$/.test(counted) &&
            log !== null &&
            log.scrollHeight - log.scrollTop - log.clientHeight < 2
          );
        },
      });
    });

    it('MessageList with markdown', async () => {
      const { Transcript } = stories.messageList;
      await shoot(`message-list-${suffix}`, <Transcript />, { ready: highlighted });
    });

    it('MessageList with a reply in progress', async () => {
      const InProgress = stories.inProgress;
      await shoot(`message-list-in-progress-${suffix}`, <InProgress />);
    });

    it('Composer with a draft, its count and the attach button', async () => {
      const { WithTokenCount } = stories.composer;
      await shoot(`composer-${suffix}`, <WithTokenCount allowImages />, { target: '.parlance-composer' });
    });

    it('Composer while a reply streams', async () => {
      const { Streaming } = stories.composer;
      await shoot(`composer-streaming-${suffix}`, <Streaming />, { target: '.parlance-composer' });
    });

    it('TokenMeter trimming', async () => {
      const { Trimming } = stories.tokenMeter;
      await shoot(`token-meter-${suffix}`, <Trimming />, { target: '.parlance-token-meter' });
    });

    it('ImageGallery in every state', async () => {
      const Gallery = stories.gallery;
      await shoot(`image-gallery-${suffix}`, <Gallery />, {
        target: '.parlance-image-gallery',
        ready: (root) =>
          [...root.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0),
      });
    });

    it('the <parlance-chat> widget, inline', async () => {
      const transport = createScriptedFetch();
      await shoot(
        `widget-${suffix}`,
        <div style={{ height: 520 }}>
          <parlance-chat
            base-url="https://api.parlance.test/v1"
            model="gpt-4o-mini"
            title="Ask the docs"
            position="inline"
            theme={theme}
            locale={locale}
            storage-key={`visual-${suffix}`}
            ref={(element) => {
              if (element) element.transport = transport;
            }}
          />
        </div>,
        {
          ready: (root) =>
            root.querySelector('parlance-chat')?.shadowRoot?.querySelector('textarea') instanceof
            HTMLTextAreaElement,
        },
      );
    });
  });
});
