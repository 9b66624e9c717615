import { EVENT_TYPES, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, raise } from './wording.js';

const batteryState = z.object({
  /** Devices last reported below the threshold. */
  low: z.array(z.string()),
});
export type BatteryState = z.infer<typeof batteryState>;

/**
 * `device.battery`: a device reports its battery below `pct` %. One alert per home lists the
 * devices; it clears once every one of them reports above the threshold again (batteries
 * changed). Info by default: a visit in the next days, not tonight.
 */
export const evaluateDeviceBattery: RuleEvaluator<BatteryState, RuleParams<'device.battery'>> = (
  previous,
  input,
  rule,
) => {
  const state: BatteryState = { low: previous?.low ?? [] };
  const decisions: Decision[] = [];
  const battery = input.kind === 'event' ? input.event.data.battery : undefined;
  if (input.kind !== 'event' || battery === undefined) return { state, decisions, wakeAt: undefined };
  const { deviceId } = input.event;
  const isLow = battery < rule.params.pct;
  const wasLow = state.low.includes(deviceId);
  if (isLow && !wasLow) {
    state.low = [...state.low, deviceId];
    decisions.push(
      raise(
        rule,
        input.home,
        {
          ja: `電池残量が${rule.params.pct}%を下回っています（${state.low.join('、')}）。電池の交換をお願いします。`,
          en: `Battery below ${rule.params.pct}% (${state.low.join(', ')}). Please replace the batteries.`,
        },
        { source: input.event },
      ),
    );
  } else if (!isLow && wasLow) {
    state.low = state.low.filter((id) => id !== deviceId);
    if (state.low.length === 0)
      decisions.push(clear(rule, input.home, { ja: '電池が交換されました。', en: 'Batteries replaced.' }));
  }
  return { state, decisions, wakeAt: undefined };
};

export const deviceBattery = defineRuleType('device.battery', {
  defaultSeverity: 'info',
  reads: EVENT_TYPES,
  pausedByAbsence: false,
  state: batteryState,
  evaluate: evaluateDeviceBattery,
});
