import { memo, useEffect, useSyncExternalStore } from 'react';

import type { ParlanceLocale } from '../../hooks/parlance-provider';
import { useLocale } from '../i18n/locale';
import { whenIdle } from '../primitives/when-idle';

/**
 * One clock for every message time on the page, ticking every 30 s while any is shown. Read in
 * `getSnapshot` (never during a server render, where the time is the exact one, so markup does
 * not depend on when the page was rendered).
 */
const clock = {
  now: 0,
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(listener: () => void): () => void {
    clock.listeners.add(listener);
    if (clock.listeners.size === 1) {
      clock.now = Date.now();
      clock.timer = setInterval(() => {
        clock.now = Date.now();
        for (const l of [...clock.listeners]) l();
      }, 30_000);
    }
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0) clearInterval(clock.timer);
    };
  },
  getSnapshot(): number {
    // Unsubscribed, the time is refreshed only when stale: two reads in one render must agree.
    if (clock.listeners.size === 0 && Date.now() - clock.now > 30_000) clock.now = Date.now();
    return clock.now;
  },
  getServerSnapshot: (): null => null,
};

const formats = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function exactFormat(locale: ParlanceLocale): Intl.DateTimeFormat {
  const key = `d|${locale}`;
  let f = formats.get(key) as Intl.DateTimeFormat | undefined;
  if (!f)
    formats.set(key, (f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  return f;
}

function relativeFormat(locale: ParlanceLocale): Intl.RelativeTimeFormat {
  const key = `r|${locale}`;
  let f = formats.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!f) formats.set(key, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
  return f;
}

/**
 * Makes the time formats of the page's locale ready while the page is idle: the first date format
 * of a page loads the locale's data, which would otherwise fall on the first message sent.
 */
export function useTimeFormatsReady(): void {
  const locale = useLocale();
  useEffect(
    () =>
      whenIdle(() => {
        exactFormat(locale).format(0);
        relativeFormat(locale).format(0, 'second');
      }),
    [locale],
  );
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When `time` was, from `now`, in words of `locale`: "now", "5 minutes ago", "yesterday"
 * ("现在", "5分钟前", "昨天"); a week or more back, the date and time.
 */
export function relativeTime(time: number, now: number, locale: ParlanceLocale): string {
  const ago = now - time;
  const rtf = relativeFormat(locale);
  if (ago < 45_000) return rtf.format(0, 'second');
  if (ago < 45 * MINUTE) return rtf.format(-Math.max(1, Math.round(ago / MINUTE)), 'minute');
  if (ago < 22 * HOUR) return rtf.format(-Math.round(ago / HOUR), 'hour');
  if (ago < 7 * DAY) return rtf.format(-Math.max(1, Math.round(ago / DAY)), 'day');
  return exactFormat(locale).format(time);
}

/**
 * When a message was written, in a `<time dateTime>`: relative ("5 minutes ago") and kept up to
 * date, with the exact date and time on hover and on focus. Nothing for a time that is unknown (0).
 */
export const MessageTime = memo(function MessageTime({ createdAt }: { createdAt: number | undefined }) {
  const locale = useLocale();
  const now = useSyncExternalStore(clock.subscribe, clock.getSnapshot, clock.getServerSnapshot);
  if (!createdAt) return null;
  const exact = exactFormat(locale).format(createdAt);
  return (
    <time
      className="parlance-message-time"
      data-slot="message-time"
      dateTime={new Date(createdAt).toISOString()}
      title={exact}
      data-exact={exact}
      // Focusable so that keyboard users get the exact time too (shown on focus, like the hover title).
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      suppressHydrationWarning
    >
      {now === null ? exact : relativeTime(createdAt, now, locale)}
    </time>
  );
});
