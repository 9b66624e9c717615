import { ACTIVITY_EVENT_TYPES, isActivity, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { isInside, lastLocalMinute } from '../../time/local-time.js';
import { median, nightCounts, robustStats } from '../baseline.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { raise } from './wording.js';

const nightActivityState = z.object({
  /** Start of the night being counted. */
  nightStart: z.number(),
  count: z.number().int(),
  firedThisNight: z.boolean(),
});
export type NightActivityState = z.infer<typeof nightActivityState>;

/**
 * `night.activity`: movement at night well above the home's own night baseline (wandering,
 * or a resident up and down all night with something wrong). Fires during the night, once per
 * night, as soon as the count passes `max(minEvents, median + k × spread)`; it does not clear
 * itself, as staff follow it up by day.
 */
export const evaluateNightActivity: RuleEvaluator<NightActivityState, RuleParams<'night.activity'>> = (
  previous,
  input,
  rule,
) => {
  const { home } = input;
  const decisions: Decision[] = [];
  const { fromHour, toHour } = rule.params;
  const atNight =
    input.kind === 'event' &&
    isActivity(input.event) &&
    isInside(input.event.ts, home.timezone, { from: fromHour * 60, to: toHour * 60 });
  if (input.kind !== 'event' || !atNight)
    return { state: previous ?? { nightStart: 0, count: 0, firedThisNight: false }, decisions, wakeAt: undefined };
  const { ts } = input.event;

  const nightStart = lastLocalMinute(ts, home.timezone, fromHour * 60);
  const state =
    previous && previous.nightStart === nightStart ? { ...previous } : { nightStart, count: 0, firedThisNight: false };
  state.count++;
  const baseline = home.baseline;
  if (state.firedThisNight || !baseline || baseline.days.length < rule.params.minDays)
    return { state, decisions, wakeAt: undefined };

  const usual = nightCounts(baseline, fromHour, toHour);
  const { spread } = robustStats(usual, 1);
  const threshold = Math.max(rule.params.minEvents, Math.ceil(median(usual) + rule.params.k * spread));
  if (state.count < threshold) return { state, decisions, wakeAt: undefined };

  state.firedThisNight = true;
  const usualCount = Math.round(median(usual));
  decisions.push(
    raise(
      rule,
      home,
      {
        ja: `夜間（${fromHour}時〜${toHour}時）に${state.count}回の動きがありました（いつもは${usualCount}回ほど）。`,
        en: `${state.count} movements at night (${fromHour}:00–${toHour}:00); usually about ${usualCount}.`,
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
