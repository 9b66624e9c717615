import { ACTIVITY_EVENT_TYPES, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { formatMinuteOfDay, lastLocalMinute, localDate, nextLocalMinute } from '../../time/local-time.js';
import { usualWake } from '../baseline.js';
import { DAY_STARTS_AT_MINUTE } from '../day-summary.js';
import { OUT_AFTER_MS } from '../presence.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { learnedBaseline } from '../learned-baseline.js';
import { RUN_GAP_MS, dayBegun, followDay } from '../runs.js';
import { clear, clockTime, raise } from './wording.js';

const wakeLateState = z.object({
  /** The day being watched (04:00 local) and whether, and when, it began. */
  day: dayBegun,
  /** The first day judged: the day the rule started watching on is not (it cannot know what happened earlier). */
  judgedFrom: z.number(),
  firing: z.boolean(),
});
export type WakeLateState = z.infer<typeof wakeLateState>;

const MINUTE = 60_000;

/**
 * `wake.late`: the resident's day has not begun, later than their own usual start by more than
 * `k` spreads (and at least `minDelayMinutes`). The day begins with the first run of activity
 * that goes on for a while (runs.ts), the same criterion the baseline learns from, so a night
 * trip to the toilet at 04:30 is neither learned as getting up nor taken for it (issue 18.2).
 * A resident who went out is up. Learned: until the home has `minDays` of history it only
 * learns. The day beginning clears it.
 */
export const evaluateWakeLate: RuleEvaluator<WakeLateState, RuleParams<'wake.late'>> = (previous, input, rule, now) => {
  const { home } = input;
  const dayStart = lastLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
  const nextDay = nextLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
  const { outSince, returnedFrom, lastWasDoor, lastActivityAt } = home.presence;
  const state: WakeLateState = {
    day: followDay(previous?.day, home.presence.confirmed, dayStart),
    // A rule that starts watching mid-day (a new home, after an absence) judges from the next day
    // on; so does one whose resident was away when the day began (a night at a child's home).
    judgedFrom: returnedFrom !== undefined && returnedFrom < dayStart ? nextDay : (previous?.judgedFrom ?? nextDay),
    firing: previous?.firing ?? false,
  };
  const decisions: Decision[] = [];
  const { run } = state.day;
  // Leaving home today began the day, however little the sensors saw of it: back and sitting
  // still, the resident is not late again (a home whose only motion sensor died sees just that).
  const leftAt = outSince ?? returnedFrom;
  if (state.day.upSince === null && leftAt !== undefined && leftAt >= dayStart) state.day.upSince = leftAt;
  // Out since before the day began, the resident is not in bed at home either: that is out.long's.
  const up = state.day.upSince !== null || outSince !== undefined || dayStart < state.judgedFrom;
  if (up && state.firing) {
    state.firing = false;
    const at = state.day.upSince ?? outSince ?? now;
    decisions.push(
      clear(rule, home, {
        ja: `${clockTime(at, home)}から活動が始まりました。`,
        en: `Up and about from ${clockTime(at, home)}.`,
      }),
    );
  }
  // Firing, the front door last: the resident is known to be out (and up) OUT_AFTER_MS after it.
  const outAt = lastWasDoor && lastActivityAt !== undefined ? lastActivityAt + OUT_AFTER_MS : undefined;
  if (state.firing && outAt !== undefined && outAt > now) return { state, decisions, wakeAt: Math.min(outAt, nextDay) };
  if (up || state.firing) return { state, decisions, wakeAt: nextDay };
  const baseline = learnedBaseline(home, rule.params.minDays, now);
  const weekday = new Date(`${localDate(dayStart, home.timezone)}T00:00:00Z`).getUTCDay();
  const usual = baseline && usualWake(baseline, weekday);
  if (!usual) return { state, decisions, wakeAt: nextDay };

  const threshold = usual.median + Math.max(rule.params.k * usual.spread, rule.params.minDelayMinutes);
  const due = dayStart + threshold * MINUTE;
  if (now < due) return { state, decisions, wakeAt: Math.min(due, nextDay) };
  // Moving right now: whether it is the day beginning or a trip shows when the run goes on or breaks off.
  if (run && now - run.last < RUN_GAP_MS) return { state, decisions, wakeAt: Math.min(run.last + RUN_GAP_MS, nextDay) };

  state.firing = true;
  const usualAt = formatMinuteOfDay(DAY_STARTS_AT_MINUTE + usual.median);
  decisions.push(
    raise(rule, home, {
      ja: `いつもは${usualAt}頃に一日の活動が始まりますが、${clockTime(now, home)}になってもまだ始まっていません。`,
      en: `Usually up and about by ${usualAt}; not up by ${clockTime(now, home)}.`,
    }),
  );
  return { state, decisions, wakeAt: nextDay };
};

export const wakeLate = defineRuleType('wake.late', {
  defaultSeverity: 'warning',
  reads: ACTIVITY_EVENT_TYPES,
  pausedByAbsence: true,
  learned: true,
  state: wakeLateState,
  evaluate: evaluateWakeLate,
});
