// Reading <parlance-chat>'s attributes: each one's value as the widget uses it, with the
// documented default for a missing or unknown value.
import type { ParlanceTheme } from '../hooks/parlance-provider';

import { DEFAULT_STORAGE_KEY, type ParlanceChatPosition, type WidgetSnapshot } from './contract';
import { resolveLocale } from './strings';

/** The part of the snapshot that comes from attributes. */
export type WidgetAttributes = Pick<
  WidgetSnapshot,
  | 'open'
  | 'baseUrl'
  | 'model'
  | 'title'
  | 'system'
  | 'locale'
  | 'theme'
  | 'position'
  | 'storageKey'
  | 'placeholder'
  | 'allowedImageOrigins'
  | 'showUsage'
>;

/** The widget's settings as `element`'s attributes give them now. */
export function readAttributes(element: Element): WidgetAttributes {
  return {
    open: element.hasAttribute('open'),
    baseUrl: element.getAttribute('base-url') ?? undefined,
    model: element.getAttribute('model') ?? undefined,
    title: element.getAttribute('title') ?? undefined,
    system: element.getAttribute('system') ?? undefined,
    locale: resolveLocale(element.getAttribute('locale')),
    theme: parseTheme(element.getAttribute('theme')),
    position: parsePosition(element.getAttribute('position')),
    storageKey: element.getAttribute('storage-key') || DEFAULT_STORAGE_KEY,
    placeholder: element.getAttribute('placeholder') ?? undefined,
    allowedImageOrigins: element.getAttribute('allowed-image-origins')?.split(/\s+/).filter(Boolean),
    showUsage: element.hasAttribute('show-usage'),
  };
}

/** `theme`: `light` or `dark`, else `auto`. */
function parseTheme(value: string | null): ParlanceTheme {
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/** `position`: `bottom-left` or `inline`, else `bottom-right`. */
export function parsePosition(value: string | null): ParlanceChatPosition {
  return value === 'bottom-left' || value === 'inline' ? value : 'bottom-right';
}
