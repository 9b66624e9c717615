import { ACTIVITY_EVENT_TYPES, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { lastLocalMinute, nextLocalMinute } from '../../time/local-time.js';
import { DAY_STARTS_AT_MINUTE } from '../day-summary.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { learnedBaseline } from '../learned-baseline.js';
import { clear, raise } from './wording.js';

const activityDropState = z.object({
  dayStart: z.number(),
  count: z.number().int(),
  /** False for the day the rule started watching mid-way: its count is not a whole day's. */
  whole: z.boolean(),
  /** Time the resident was probably out this day. */
  outMs: z.number(),
  firing: z.boolean(),
});
export type ActivityDropState = z.infer<typeof activityDropState>;

const HOUR = 3_600_000;
/** A day the resident spent this long out says nothing about how active they are at home. */
const MOSTLY_OUT_MS = 6 * HOUR;

/**
 * `activity.drop`: a whole day's activity of the resident (strays not counted) below `pct` % of
 * the home's usual median. Judged once a day, when the day (04:00–04:00) is over; a day spent
 * mostly out (the door the last sign of them for 6 h or more) is not judged, since a low count
 * then means an outing (18.5). A frailty signal for staff (info by default), not a night call. A
 * later ordinary day clears it.
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
  let state: ActivityDropState = previous
    ? { ...previous }
    : { dayStart, count: 0, whole: false, outMs: 0, firing: false };
  const { outSince, returnedFrom, lastActivityAt } = home.presence;
  // Back from being out: the time out is counted to the day being watched.
  if (returnedFrom !== undefined && lastActivityAt !== undefined)
    state.outMs += lastActivityAt - Math.max(returnedFrom, state.dayStart);

  if (state.dayStart !== dayStart) {
    // Still out as the day ends (a night away, or gone): that time counts too.
    const outMs = state.outMs + (outSince !== undefined ? dayStart - Math.max(outSince, state.dayStart) : 0);
    // The watched day is over: judge it, if it was watched from its start and spent at home.
    const usual = learnedBaseline(home, rule.params.minDays, now)?.dailyActivity ?? null;
    if (state.whole && usual !== null && outMs < MOSTLY_OUT_MS) {
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
    state = { dayStart, count: 0, whole: true, outMs: 0, firing: state.firing };
  }
  state.count += home.presence.confirmed.filter((at) => at >= dayStart).length;
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
