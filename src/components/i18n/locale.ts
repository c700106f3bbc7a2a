import { useMemo } from 'react';

import { useParlanceConfig, type ParlanceLocale } from '../../hooks/parlance-provider';
import { chatCatalogs, type ChatStrings } from './chat';

/** The provider's locale, else the browser's (`zh*` → `zh-CN`), else English. */
export function useLocale(): ParlanceLocale {
  const { locale } = useParlanceConfig();
  return locale ?? browserLocale();
}

function browserLocale(): ParlanceLocale {
  const language = typeof navigator === 'undefined' ? undefined : navigator.language;
  return language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The chat strings for the current locale, with the component's `strings` overrides applied. */
export function useChatStrings(overrides?: Partial<ChatStrings>): ChatStrings {
  return useCatalogStrings(chatCatalogs, overrides);
}

/**
 * A component's strings from its catalogs: for `locale` (default: the provider's, else the
 * browser's), with the component's `strings` overrides applied.
 */
export function useCatalogStrings<T extends object>(
  catalogs: Record<ParlanceLocale, T>,
  overrides?: Partial<T>,
  locale?: ParlanceLocale,
): T {
  const ambient = useLocale();
  const resolved = locale ?? ambient;
  return useMemo(() => ({ ...catalogs[resolved], ...overrides }), [catalogs, resolved, overrides]);
}
