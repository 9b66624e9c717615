import { ACTIVITY_EVENT_TYPES, isActivity, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { lastLocalMinute, nextLocalMinute } from '../../time/local-time.js';
import { DAY_STARTS_AT_MINUTE, dailyActivityMedian } from '../baseline.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, raise } from './wording.js';

const activityDropState = z.object({
  dayStart: z.number(),
  count: z.number().int(),
  /** False for the day the rule started watching mid-way: its count is not a whole day's. */
  whole: z.boolean(),
  firing: z.boolean(),
});
export type ActivityDropState = z.infer<typeof activityDropState>;

/**
 * `activity.drop`: a whole day's activity below `pct` % of the home's usual median. Judged once
 * a day, when the day (04:00–04:00) is over; a frailty signal for staff (info by default), not
 * a night call. A later ordinary day clears it.
 */
export const evaluateActivityDrop: RuleEvaluator<ActivityDropState, RuleParams<'activity.drop'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const dayStart = lastLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
  const wakeAt = nextLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
  const decisions: Decision[] = [];
  let state: ActivityDropState = previous ? { ...previous } : { dayStart, count: 0, whole: false, firing: false };

  if (state.dayStart !== dayStart) {
    // The watched day is over: judge it, if it was watched from its start.
    const baseline = home.baseline;
    if (state.whole && baseline && baseline.days.length >= rule.params.minDays) {
      const usual = dailyActivityMedian(baseline);
      const low = state.count < (usual * rule.params.pct) / 100;
      if (low && !state.firing) {
        state.firing = true;
        decisions.push(
          raise(rule, home, {
            ja: `前日の活動は${state.count}回で、いつも（1日${Math.round(usual)}回ほど）の${rule.params.pct}%を下回りました。`,
            en: `Activity the day before: ${state.count} events, below ${rule.params.pct}% of the usual ${Math.round(usual)} a day.`,
          }),
        );
      } else if (!low && state.firing) {
        state.firing = false;
        decisions.push(
          clear(rule, home, { ja: '活動量がいつもの水準に戻りました。', en: 'Activity is back to its usual level.' }),
        );
      }
    }
    state = { dayStart, count: 0, whole: true, firing: state.firing };
  }
  if (input.kind === 'event' && isActivity(input.event) && input.event.ts >= dayStart) state.count++;
  return { state, decisions, wakeAt };
};

export const activityDrop = defineRuleType('activity.drop', {
  defaultSeverity: 'info',
  reads: ACTIVITY_EVENT_TYPES,
  pausedByAbsence: true,
  learned: true,
  state: activityDropState,
  evaluate: evaluateActivityDrop,
});
