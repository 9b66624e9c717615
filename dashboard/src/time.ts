import { TZDate } from '@date-fns/tz';
import { lang, t } from './i18n/index.js';

/**
 * Dates as people read them, in the zone of the home they are about (docs/decisions.md):
 * arithmetic in a zone (a local date and time as an instant, the local date of an instant) by
 * @date-fns/tz, wording by the browser's Intl (ICU), which knows both languages. A date carries
 * its year only when it is not this year (issue 19 item 5): 「11月23日 9:05」, 「2025年11月23日 9:05」.
 */

/** The browser's zone, for things that belong to no home. */
export const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const locale = () => (lang() === 'ja' ? 'ja-JP' : 'en-GB');
const inZone = (at: string | number, zone: string) => new TZDate(new Date(at).getTime(), zone);
const otherYear = (at: string | number, zone: string) =>
  inZone(at, zone).getFullYear() !== inZone(Date.now(), zone).getFullYear();

const format = (at: string | number, zone: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale(), { timeZone: zone, ...options }).format(new Date(at));

/** Day and time: 「11月23日 9:05」 / "23 Nov, 9:05", with the year when it is another year's. */
export const when = (at: string | number, zone = browserZone): string =>
  format(at, zone, {
    ...(otherYear(at, zone) && { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });

/** The day alone, with its weekday: 「11月23日(月)」 / "Mon 23 Nov". */
export const day = (at: string | number, zone = browserZone): string =>
  format(at, zone, {
    ...(otherYear(at, zone) && { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  });

/** The time of day alone: 「9:05」. */
export const clock = (at: string | number, zone = browserZone): string =>
  format(at, zone, { hour: 'numeric', minute: '2-digit' });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/**
 * How long ago (or how soon): 「5分前」 / "5 minutes ago", in the largest whole unit; under a
 * minute 「たった今」. ICU writes Japanese with a space between number and unit (「5 分前」),
 * which Japanese text does not have.
 */
export function ago(at: string | number, now = Date.now()): string {
  const elapsed = new Date(at).getTime() - now;
  const step = STEPS.find(([, ms]) => Math.abs(elapsed) >= ms);
  if (!step) return t('app.justNow');
  const [unit, size] = step;
  const text = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }).format(Math.trunc(elapsed / size), unit);
  return lang() === 'ja' ? text.replace(/(\d) (?=\S)/g, '$1') : text;
}

/** The local calendar day (YYYY-MM-DD) and hour of an instant in a zone. */
export function localParts(at: string | number, zone: string): { date: string; hour: number } {
  const date = inZone(at, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`, hour: date.getHours() };
}

/** The instant a local date and time (`2026-12-01`, `23:59`) stands for in a zone, as ISO 8601. */
export function instantOf(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, hh, mm, zone).getTime()).toISOString();
}

/** A local date (YYYY-MM-DD) `days` after today in a zone, for date inputs. */
export const localDate = (zone: string, days = 0): string => localParts(Date.now() + days * 86_400_000, zone).date;

/** A month's name: 「2026年11月」 / "November 2026". */
export const monthName = (month: string): string =>
  new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
