import type { ParlanceLocale } from '../hooks/parlance-provider';

/** The widget's own words (the chat window brings its own). Override any of them with the `strings` property. */
export interface ParlanceChatStrings {
  /** The launcher's accessible name while the panel is closed. */
  open: string;
  /** The close button's accessible name, and the launcher's while the panel is open. */
  close: string;
  /** Added to the launcher's accessible name when a reply arrived while the panel was closed. */
  unread: string;
  /** The panel's heading when the element has no `title`. */
  title: string;
  /** Shown in the panel when the chat's code could not be downloaded. */
  loadError: string;
  /** The button that tries the download again. */
  retry: string;
}

const catalogs: Record<ParlanceLocale, ParlanceChatStrings> = {
  en: {
    open: 'Open chat',
    close: 'Close chat',
    unread: 'new reply',
    title: 'Chat',
    loadError: 'The chat could not be loaded. Check your connection and try again.',
    retry: 'Try again',
  },
  'zh-CN': {
    open: '打开聊天',
    close: '关闭聊天',
    unread: '有新回复',
    title: '聊天',
    loadError: '聊天无法加载。请检查网络连接后重试。',
    retry: '重试',
  },
};

export function widgetStrings(locale: ParlanceLocale, overrides?: Partial<ParlanceChatStrings>) {
  return { ...catalogs[locale], ...overrides };
}

export function resolveLocale(value: string | null | undefined): ParlanceLocale {
  const candidate = value ?? (typeof navigator === 'undefined' ? undefined : navigator.language);
  return candidate?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
