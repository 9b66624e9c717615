import { ACTIVITY_EVENT_TYPES, isActivity, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { formatMinuteOfDay, lastLocalMinute, nextLocalMinute } from '../../time/local-time.js';
import { DAY_STARTS_AT_MINUTE, wakeStats } from '../baseline.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, clockTime, raise } from './wording.js';

const wakeLateState = z.object({
  /** 04:00 local of the day being watched. */
  dayStart: z.number(),
  activeToday: z.boolean(),
  firing: z.boolean(),
});
export type WakeLateState = z.infer<typeof wakeLateState>;

const MINUTE = 60_000;

/**
 * `wake.late`: no activity yet, later than the resident's own usual first activity by more
 * than `k` spreads (and at least `minDelayMinutes`). Learned: until the home has `minDays` of
 * history it only learns. Late waking is the most common false alarm in field services, so
 * the threshold is the resident's routine, never a fixed clock time. Activity clears it.
 */
export const evaluateWakeLate: RuleEvaluator<WakeLateState, RuleParams<'wake.late'>> = (previous, input, rule, now) => {
  const { home } = input;
  const dayStart = lastLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
  // A rule that starts watching mid-day (a new home, after an absence) cannot know whether the
  // resident was up earlier, so it judges from the next day on.
  const state = !previous
    ? { dayStart, activeToday: true, firing: false }
    : previous.dayStart === dayStart
      ? { ...previous }
      : { dayStart, activeToday: false, firing: previous.firing };
  const decisions: Decision[] = [];
  const nextDay = nextLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);

  if (input.kind === 'event' && isActivity(input.event) && input.event.ts >= dayStart) {
    state.activeToday = true;
    if (state.firing) {
      state.firing = false;
      decisions.push(
        clear(rule, home, {
          ja: `${clockTime(input.event.ts, home)}に動きがありました。`,
          en: `Activity at ${clockTime(input.event.ts, home)}.`,
        }),
      );
    }
  }
  const baseline = home.baseline;
  if (state.activeToday || state.firing || !baseline || baseline.days.length < rule.params.minDays)
    return { state, decisions, wakeAt: nextDay };

  const usual = wakeStats(baseline);
  const threshold = usual.median + Math.max(rule.params.k * usual.spread, rule.params.minDelayMinutes);
  const due = dayStart + threshold * MINUTE;
  if (now < due) return { state, decisions, wakeAt: Math.min(due, nextDay) };

  state.firing = true;
  const usualAt = formatMinuteOfDay(DAY_STARTS_AT_MINUTE + usual.median);
  decisions.push(
    raise(rule, home, {
      ja: `いつもは${usualAt}頃に活動がありますが、${clockTime(now, home)}になっても活動がありません。`,
      en: `Usually up and about by ${usualAt}; no activity by ${clockTime(now, home)}.`,
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
