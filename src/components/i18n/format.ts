import { useMemo } from 'react';

import type { ParlanceLocale } from '../../hooks/parlance-provider';
import { useLocale } from './locale';

/** Formats numbers and amounts of money for one locale: every figure the components show goes through it. */
export interface NumberFormatter {
  /** A count, grouped by the locale (`127,989`). `—` for `undefined`. */
  number(value: number | undefined): string;
  /** An amount of money (`$0.0123`, `US$0.0123` in zh-CN); small amounts keep significant digits. */
  money(value: number | undefined, currency: string): string;
}

const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: ParlanceLocale, key: string, options: Intl.NumberFormatOptions) {
  const id = `${locale}|${key}`;
  let f = cache.get(id);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(id, f);
  }
  return f;
}

/** The kit's number formatter for `locale` (`Intl.NumberFormat`, cached per locale). */
function createNumberFormatter(locale: ParlanceLocale): NumberFormatter {
  return {
    number: (value) => (value === undefined ? '—' : formatter(locale, 'n', {}).format(value)),
    money: (value, currency) => {
      if (value === undefined) return '—';
      // Cents hide what a single request costs: below one unit, show up to four significant digits.
      const small = value !== 0 && Math.abs(value) < 1;
      return formatter(locale, `${currency}|${small}`, {
        style: 'currency',
        currency,
        ...(small ? { maximumSignificantDigits: 4, minimumSignificantDigits: 1 } : {}),
      }).format(value);
    },
  };
}

/** The number formatter for the provider's locale. */
export function useNumberFormat(): NumberFormatter {
  const locale = useLocale();
  return useMemo(() => createNumberFormatter(locale), [locale]);
}
