import {
  ACTIVITY_SENSOR_KINDS,
  EVENT_TYPES,
  deviceKindMeaning,
  type DeviceKind,
  type RuleParams,
} from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, earliest, raise } from './wording.js';

const deviceOfflineState = z.object({
  /** When each device was last heard from (any message). */
  lastSeen: z.record(z.string(), z.number()),
  /** Devices whose own status said offline (their MQTT will); live only. */
  saidOffline: z.array(z.string()),
  /** The offline devices the open alert names; empty when none is open. */
  alerted: z.array(z.string()),
});
export type DeviceOfflineState = z.infer<typeof deviceOfflineState>;

const MINUTE = 60_000;

/**
 * `device.offline`: a device said it went offline, or has not been heard from for its kind's
 * limit (speakers and gateways `speakerMinutes`, battery sensors `sensorMinutes`; none for a kind
 * heard only when used, an Echo). One alert per
 * home names the devices; when every motion, door and power sensor is silent it says
 * monitoring is degraded, the one alert for such a home (inactivity waits meanwhile). Clears
 * when every device is back.
 */
export const evaluateDeviceOffline: RuleEvaluator<DeviceOfflineState, RuleParams<'device.offline'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const state: DeviceOfflineState = {
    lastSeen: { ...previous?.lastSeen },
    saidOffline: previous?.saidOffline ?? [],
    alerted: previous?.alerted ?? [],
  };
  if (input.kind === 'event') {
    const { deviceId, receivedAt } = input.event;
    state.lastSeen[deviceId] = Math.max(state.lastSeen[deviceId] ?? 0, receivedAt);
    state.saidOffline = state.saidOffline.filter((id) => id !== deviceId);
  } else if (input.kind === 'status') {
    state.saidOffline = input.online
      ? state.saidOffline.filter((id) => id !== input.deviceId)
      : [...new Set([...state.saidOffline, input.deviceId])];
    if (input.online) state.lastSeen[input.deviceId] = now;
  }

  /** How long a device of the kind may be silent; none for one heard only when used. */
  const limit = (kind: DeviceKind): number | undefined => {
    const meaning = deviceKindMeaning(kind);
    if (meaning.heardOnlyWhenUsed) return undefined;
    return (meaning.reportsContinuously ? rule.params.speakerMinutes : rule.params.sensorMinutes) * MINUTE;
  };
  const silentTooLong = (id: string, kind: DeviceKind) => {
    const allowed = limit(kind);
    return allowed !== undefined && now - (state.lastSeen[id] ?? now) >= allowed;
  };
  // A device never heard from is given its full limit from when the rule first saw the home.
  for (const device of home.devices) state.lastSeen[device.id] ??= now;
  const offline = home.devices.filter((d) => state.saidOffline.includes(d.id) || silentTooLong(d.id, d.kind));
  const online = home.devices.filter((d) => !offline.includes(d));
  const wakeAt = earliest(
    ...online.map((d) => {
      const allowed = limit(d.kind);
      return allowed === undefined ? undefined : (state.lastSeen[d.id] ?? now) + allowed;
    }),
  );
  const decisions: Decision[] = [];
  const ids = offline.map((d) => d.id);

  if (ids.length === 0) {
    if (state.alerted.length > 0)
      decisions.push(clear(rule, home, { ja: 'すべての機器が復帰しました。', en: 'Every device is back online.' }));
    return { state: { ...state, alerted: [] }, decisions, wakeAt };
  }
  const grew = ids.some((id) => !state.alerted.includes(id));
  if (grew) {
    const sensors = home.devices.filter((d) => ACTIVITY_SENSOR_KINDS.has(d.kind));
    const blind = sensors.length > 0 && sensors.every((d) => ids.includes(d.id));
    decisions.push(
      raise(
        rule,
        home,
        blind
          ? {
              ja: `見守りが機能していません。人感・ドア・電力のセンサーがすべて応答しません（${ids.join('、')}）。機器を確認してください。`,
              en: `Monitoring degraded: no motion, door or power sensor is responding (${ids.join(', ')}). Please check the devices.`,
            }
          : {
              ja: `機器が応答しません（${ids.join('、')}）。電源や電池、通信を確認してください。`,
              en: `Device not responding (${ids.join(', ')}). Please check its power, batteries and connection.`,
            },
      ),
    );
  }
  return { state: { ...state, alerted: ids }, decisions, wakeAt };
};

export const deviceOffline = defineRuleType('device.offline', {
  defaultSeverity: 'warning',
  reads: EVENT_TYPES,
  readsStatus: true,
  pausedByAbsence: false,
  state: deviceOfflineState,
  evaluate: evaluateDeviceOffline,
});
