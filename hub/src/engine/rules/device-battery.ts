import type { RuleParams } from '@mimamori/contract';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, raise } from './wording.js';

export interface BatteryState {
  /** Devices last reported below the threshold. */
  low: string[];
}

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
  if (input.kind !== 'event' || typeof input.event.data.battery !== 'number')
    return { state, decisions, wakeAt: undefined };
  const { deviceId, data } = input.event;
  const isLow = (data.battery as number) < rule.params.pct;
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
        { sourceEventSeq: input.event.seq },
      ),
    );
  } else if (!isLow && wasLow) {
    state.low = state.low.filter((id) => id !== deviceId);
    if (state.low.length === 0)
      decisions.push(clear(rule, input.home, { ja: '電池が交換されました。', en: 'Batteries replaced.' }));
  }
  return { state, decisions, wakeAt: undefined };
};
