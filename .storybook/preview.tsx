import type { Decorator, Preview } from '@storybook/react-vite';

import { ParlanceProvider, type ParlanceLocale, type ParlanceTheme } from 'parlance';
import 'parlance/styles.css';

import { configure } from 'storybook/test';

import { createScriptedFetch } from '../stories/support/chat-backend';

// Play functions wait (waitFor, findBy…) for lazy chunks and decoded images: 1 s, the default, is
// too little on a busy machine. A check that never passes still fails, after 5 s.
configure({ asyncUtilTimeout: 5_000 });

/**
 * Every story runs inside a provider whose `fetch` is a scripted OpenAI-compatible backend, so
 * chats stream real SSE with no server and no key. A story can pass its own `fetch`, `locale` or
 * `theme` through `parameters.parlance`, and the frame's `height` (default 560 px, the chat's;
 * `auto` for a component as tall as its content).
 */
const withParlance: Decorator = (Story, context) => {
  const own = (context.parameters.parlance ?? {}) as {
    fetch?: typeof fetch;
    locale?: ParlanceLocale;
    theme?: ParlanceTheme;
    height?: number | 'auto';
  };
  const locale = own.locale ?? (context.globals.locale as ParlanceLocale | undefined) ?? 'en';
  const theme = own.theme ?? (context.globals.theme as ParlanceTheme | undefined) ?? 'light';
  return (
    <ParlanceProvider
      baseUrl="https://api.parlance.test/v1"
      model="gpt-4o-mini"
      locale={locale}
      theme={theme}
      fetch={own.fetch ?? scriptedFetch}
    >
      <div lang={locale} style={{ height: own.height ?? 560, maxWidth: 760 }}>
        <Story />
      </div>
    </ParlanceProvider>
  );
};

const scriptedFetch = createScriptedFetch();

const preview: Preview = {
  decorators: [withParlance],
  globalTypes: {
    locale: {
      description: 'UI language',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English' },
          { value: 'zh-CN', title: '简体中文' },
        ],
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'Colour scheme',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
          { value: 'auto', title: 'Auto' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'en', theme: 'light' },
  parameters: {
    // Every story is an accessibility test: a violation fails it.
    a11y: { test: 'error' },
    controls: { matchers: { color: /(background|color)$/i } },
    options: {
      storySort: { order: ['Getting started', 'Components', 'Hooks', 'Widget'] },
    },
  },
  tags: ['autodocs'],
};

export default preview;
