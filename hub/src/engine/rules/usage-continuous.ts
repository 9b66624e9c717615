import type { RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, duration, earliest, raise } from './wording.js';

const usageState = z.object({
  /** Per power meter or plug: since when every reading has been at or above `minWatts`. */
  inUseSince: z.record(z.string(), z.number()),
  firing: z.boolean(),
});
export type UsageState = z.infer<typeof usageState>;

const MINUTE = 60_000;

/**
 * `usage.continuous`: a meter or plug in use without a break for `durationMinutes` (a heater,
 * a stove or a kettle left on; KIZUKI-style services watch water the same way). A reading
 * below `minWatts` ends the run; when no meter is running any more, the alert clears.
 */
export const evaluateUsageContinuous: RuleEvaluator<UsageState, RuleParams<'usage.continuous'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const state: UsageState = { inUseSince: { ...previous?.inUseSince }, firing: previous?.firing ?? false };
  const decisions: Decision[] = [];
  if (input.kind === 'event' && input.event.type === 'power') {
    const { deviceId, ts } = input.event;
    const inUse = input.event.data.watts >= rule.params.minWatts;
    state.inUseSince = Object.fromEntries(
      Object.entries({ ...state.inUseSince, [deviceId]: state.inUseSince[deviceId] ?? ts }).filter(
        ([id]) => inUse || id !== deviceId,
      ),
    );
  }
  const runningSince = earliest(...Object.values(state.inUseSince));
  if (runningSince === undefined) {
    if (state.firing)
      decisions.push(clear(rule, home, { ja: '電気の使用が止まりました。', en: 'The appliance is off again.' }));
    return { state: { inUseSince: {}, firing: false }, decisions, wakeAt: undefined };
  }
  if (state.firing) return { state, decisions, wakeAt: undefined };
  const due = runningSince + rule.params.durationMinutes * MINUTE;
  if (now < due) return { state, decisions, wakeAt: due };
  state.firing = true;
  const span = duration(Math.round((now - runningSince) / MINUTE));
  decisions.push(
    raise(rule, home, {
      ja: `${rule.params.minWatts}W以上の電気の使用が${span.ja}続いています。消し忘れかもしれません。`,
      en: `Power use of ${rule.params.minWatts} W or more for ${span.en} without a break; something may have been left on.`,
    }),
  );
  return { state, decisions, wakeAt: undefined };
};

export const usageContinuous = defineRuleType('usage.continuous', {
  defaultSeverity: 'warning',
  reads: ['power'],
  pausedByAbsence: false,
  state: usageState,
  evaluate: evaluateUsageContinuous,
});
