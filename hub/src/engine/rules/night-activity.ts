import { ACTIVITY_EVENT_TYPES, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { isInside, lastLocalMinute } from '../../time/local-time.js';
import { median, nightRuns, robustStats } from '../baseline.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { learnedBaseline } from '../learned-baseline.js';
import { extend, run } from '../runs.js';
import { raise } from './wording.js';

const nightActivityState = z.object({
  /** Start of the night being counted. */
  nightStart: z.number(),
  /** The resident's current run of activity, and how many runs began this night. */
  run: run.nullable(),
  trips: z.number().int(),
  firedThisNight: z.boolean(),
});
export type NightActivityState = z.infer<typeof nightActivityState>;

/**
 * `night.activity`: far more times up at night than the home's own nights (wandering, or a
 * resident up and down all night with something wrong). A time up is a run of activity
 * (runs.ts): bedroom, toilet and back is one trip however many sensors see it, and a stray
 * trigger none (issue 18.2). Fires during the night, once per night, as soon as the trips pass
 * `max(minTrips, median + k × spread)`; it does not clear itself, as staff follow it up by day.
 */
export const evaluateNightActivity: RuleEvaluator<NightActivityState, RuleParams<'night.activity'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const decisions: Decision[] = [];
  const { fromHour, toHour } = rule.params;
  const night = { from: fromHour * 60, to: toHour * 60 };
  let state: NightActivityState = previous ?? { nightStart: 0, run: null, trips: 0, firedThisNight: false };
  let tripBegan = false;
  for (const at of home.presence.confirmed) {
    const continued = extend(state.run ?? undefined, at);
    const began = continued.start === at && continued.last === at;
    state = { ...state, run: continued };
    if (!began || !isInside(at, home.timezone, night)) continue;
    const nightStart = lastLocalMinute(at, home.timezone, night.from);
    tripBegan = true;
    state =
      state.nightStart === nightStart
        ? { ...state, trips: state.trips + 1 }
        : { ...state, nightStart, trips: 1, firedThisNight: false };
  }
  if (input.kind !== 'event' || !tripBegan || state.firedThisNight) return { state, decisions, wakeAt: undefined };
  const baseline = learnedBaseline(home, rule.params.minDays, now);
  if (!baseline) return { state, decisions, wakeAt: undefined };

  const usual = nightRuns(baseline, fromHour, toHour);
  const { spread } = robustStats(usual, 1);
  const threshold = Math.max(rule.params.minTrips, Math.ceil(median(usual) + rule.params.k * spread));
  if (state.trips < threshold) return { state, decisions, wakeAt: undefined };

  state = { ...state, firedThisNight: true };
  const usualCount = Math.round(median(usual));
  decisions.push(
    raise(
      rule,
      home,
      {
        ja: `夜間（${fromHour}時〜${toHour}時）に${state.trips}回起きて動いています（いつもは${usualCount}回ほど）。`,
        en: `Up ${state.trips} times at night (${fromHour}:00–${toHour}:00); usually about ${usualCount}.`,
      },
      { source: input.event },
    ),
  );
  return { state, decisions, wakeAt: undefined };
};

export const nightActivity = defineRuleType('night.activity', {
  defaultSeverity: 'warning',
  reads: ACTIVITY_EVENT_TYPES,
  pausedByAbsence: true,
  learned: true,
  state: nightActivityState,
  evaluate: evaluateNightActivity,
});
