import { useParlanceConfig } from '../../hooks/parlance-provider';

/** `data-theme` for a styled component's root: its own `theme` prop, else the provider's, else `auto`. */
export function useThemeAttribute(theme?: 'light' | 'dark' | 'auto'): 'light' | 'dark' | 'auto' {
  const config = useParlanceConfig();
  return theme ?? config.theme ?? 'auto';
}

/** Joins class names, skipping empty ones. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}
