import { formatMinuteOfDay, localDate, localMinuteOfDay } from '../../time/local-time.js';
import type { StoredEvent } from '../../store/index.js';
import type { HomeContext, RaiseAlert, RuleSettings } from '../decisions.js';

/** Shared wording and decision builders of the rule evaluators, so every alert reads alike. */

/** "08:10" in the home's time zone. */
export const clockTime = (at: number, home: HomeContext): string =>
  formatMinuteOfDay(localMinuteOfDay(at, home.timezone));

/** "11月23日 08:10" / "08:10 on 23 Nov". */
export function dateTime(at: number, home: HomeContext): { ja: string; en: string } {
  const [, month, day] = localDate(at, home.timezone).split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return {
    ja: `${month}月${day}日 ${clockTime(at, home)}`,
    en: `${clockTime(at, home)} on ${day} ${months[(month ?? 1) - 1]}`,
  };
}

/** "8時間" / "8 hours", "45分" / "45 minutes", "1時間30分" / "1 h 30 min". */
export function duration(minutes: number): { ja: string; en: string } {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return { ja: `${m}分`, en: `${m} minutes` };
  if (m === 0) return { ja: `${h}時間`, en: h === 1 ? '1 hour' : `${h} hours` };
  return { ja: `${h}時間${m}分`, en: `${h} h ${m} min` };
}

export function raise(
  rule: RuleSettings<unknown>,
  home: HomeContext,
  message: { ja: string; en: string },
  options: { source?: Pick<StoredEvent, 'seq' | 'ts'>; severity?: RaiseAlert['severity'] } = {},
): RaiseAlert {
  return {
    kind: 'raise',
    homeId: home.homeId,
    residentId: home.residentId,
    rule: rule.id,
    severity: options.severity ?? rule.severity,
    message,
    sourceEventSeq: options.source?.seq,
    occurredAt: options.source?.ts,
  };
}

export const clear = (rule: RuleSettings<unknown>, home: HomeContext, reason: { ja: string; en: string }) =>
  ({ kind: 'clear', homeId: home.homeId, rule: rule.id, reason }) as const;

/** The resident moved again at `at`: an alert about their silence clears, saying when. */
export const movedAt = (rule: RuleSettings<unknown>, home: HomeContext, at: number) =>
  clear(rule, home, {
    ja: `${dateTime(at, home).ja}に動きがありました。`,
    en: `Activity at ${dateTime(at, home).en}.`,
  });

/** The earliest of the given instants, ignoring the undefined ones. */
export function earliest(...instants: (number | undefined)[]): number | undefined {
  const defined = instants.filter((t): t is number => t !== undefined);
  return defined.length > 0 ? Math.min(...defined) : undefined;
}
