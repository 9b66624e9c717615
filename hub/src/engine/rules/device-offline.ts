import { ACTIVITY_SENSOR_KINDS, EVENT_TYPES, deviceKindMeaning, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { knownDevice, learnedSilenceLimit } from '../baseline.js';
import { defineRuleType } from '../rule-type.js';
import type { Decision, HomeContext, RuleEvaluator } from '../decisions.js';
import { clear, earliest, raise } from './wording.js';

const deviceOfflineState = z.object({
  /** When the rule began watching the home: devices not heard from since count from then. */
  since: z.number(),
  /** When each device was last heard from (any message). */
  lastSeen: z.record(z.string(), z.number()),
  /** Time the resident has been at home since the rule began (ms), as of `clockAt`, and whether they are now. */
  homeClock: z.number(),
  clockAt: z.number(),
  atHome: z.boolean(),
  /** The home clock at each device's last message: its silence in home time. */
  seenAtHomeClock: z.record(z.string(), z.number()),
  /** Devices whose own status said offline (their MQTT will); live only. */
  saidOffline: z.array(z.string()),
  /** The offline devices the open alert names; empty when none is open. */
  alerted: z.array(z.string()),
});
export type DeviceOfflineState = z.infer<typeof deviceOfflineState>;

const MINUTE = 60_000;
/** A device registered this long ago and never heard from is reported (issue 18.1: set-up went wrong). */
const NEVER_HEARD_MS = 60 * MINUTE;
/** A device registered longer ago than a baseline looks back is an old one, not one being set up. */
const SET_UP_WITHIN_MS = 28 * 24 * 60 * MINUTE;

type Device = HomeContext['devices'][number];

/**
 * `device.offline`: a device is faulty when its own liveness says so, not when nobody passed it
 * (issue 18.1). It said it went offline (its MQTT will); or a speaker or gateway, which holds its
 * connection, was silent `speakerMinutes`; or a device that checks in by itself (a heartbeat)
 * missed them for `checkInMinutes` or twice its usual longest silence; or a sensor that reports
 * only changes (a door, a PIR) was silent for longer than `sensorMinutes` and three times its own
 * usual longest silence, counting only time the resident was at home (out and
 * registered absences leave a door and a PIR nobody to see), once the home has `minDays` of
 * history. A sensor used too rarely to know its silences (a storage room seen once a month) is
 * not judged by its silence, nor a device heard from only when used (an Echo). A device registered and never heard from is reported an hour after
 * it was listed. One alert per home names the devices; when every motion, door and power sensor
 * has been silent `sensorMinutes` it says monitoring is degraded, the one alert for such a home
 * (inactivity waits meanwhile). Clears when every device is back.
 */
export const evaluateDeviceOffline: RuleEvaluator<DeviceOfflineState, RuleParams<'device.offline'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const state: DeviceOfflineState = previous
    ? { ...previous, lastSeen: { ...previous.lastSeen }, seenAtHomeClock: { ...previous.seenAtHomeClock } }
    : {
        since: now,
        lastSeen: {},
        homeClock: 0,
        clockAt: now,
        atHome: true,
        seenAtHomeClock: {},
        saidOffline: [],
        alerted: [],
      };
  if (state.atHome) state.homeClock += Math.max(0, now - state.clockAt);
  state.clockAt = now;
  state.atHome = !home.absent && home.presence.outSince === undefined;
  if (input.kind === 'event') {
    const { deviceId, receivedAt } = input.event;
    state.lastSeen[deviceId] = Math.max(state.lastSeen[deviceId] ?? 0, receivedAt);
    state.seenAtHomeClock[deviceId] = state.homeClock;
    state.saidOffline = state.saidOffline.filter((id) => id !== deviceId);
  } else if (input.kind === 'status') {
    state.saidOffline = input.online
      ? state.saidOffline.filter((id) => id !== input.deviceId)
      : [...new Set([...state.saidOffline, input.deviceId])];
    if (input.online) {
      state.lastSeen[input.deviceId] = now;
      state.seenAtHomeClock[input.deviceId] = state.homeClock;
    }
  }

  const sensors = home.devices.filter((d) => ACTIVITY_SENSOR_KINDS.has(d.kind));
  // Every activity sensor silent this long: the home cannot be watched, whatever each one's own limit.
  const blindAt =
    sensors.length > 0
      ? Math.max(...sensors.map((d) => heardSince(d, state) + rule.params.sensorMinutes * MINUTE))
      : undefined;
  const blind = blindAt !== undefined && blindAt <= now;
  const due = new Map(home.devices.map((d) => [d.id, dueAt(d, state, home, rule.params, now)]));
  const offline = home.devices.filter(
    (d) =>
      state.saidOffline.includes(d.id) ||
      (blind && sensors.includes(d)) ||
      (due.get(d.id) !== undefined && (due.get(d.id) ?? 0) <= now),
  );
  const future = [...due.values(), blindAt].filter((t): t is number => t !== undefined && t > now);
  const wakeAt = earliest(...future);
  const decisions: Decision[] = [];
  const ids = offline.map((d) => d.id);

  if (ids.length === 0) {
    if (state.alerted.length > 0)
      decisions.push(clear(rule, home, { ja: 'すべての機器が復帰しました。', en: 'Every device is back online.' }));
    return { state: { ...state, alerted: [] }, decisions, wakeAt };
  }
  if (ids.some((id) => !state.alerted.includes(id)))
    decisions.push(raise(rule, home, wording(home, state, blind, offline)));
  return { state: { ...state, alerted: ids }, decisions, wakeAt };
};

/**
 * When a device counts as offline if it stays silent (in the past: it does now), or undefined
 * when its silence says nothing: a changes-only sensor not known well enough, or one whose
 * silence counts home time while the resident is out.
 */
function dueAt(
  device: Device,
  state: DeviceOfflineState,
  home: HomeContext,
  params: RuleParams<'device.offline'>,
  now: number,
): number | undefined {
  const lastSeen = state.lastSeen[device.id];
  const meaning = deviceKindMeaning(device.kind);
  // An Echo is heard from only when the resident opens the skill: its silence says nothing.
  if (meaning.heardOnlyWhenUsed) return undefined;
  if (meaning.reportsContinuously) return heardSince(device, state) + params.speakerMinutes * MINUTE;
  const baseline = home.baseline && home.baseline.days >= params.minDays ? home.baseline : undefined;
  const learned = baseline?.devices[device.id];
  if (!learned || !baseline || !knownDevice(baseline, device.id)) {
    const settingUp = device.registeredAt <= now && now - device.registeredAt < SET_UP_WITHIN_MS;
    return settingUp && lastSeen === undefined && !learned ? device.registeredAt + NEVER_HEARD_MS : undefined;
  }
  if (learned.checksIn)
    return heardSince(device, state) + Math.max(params.checkInMinutes, learnedSilenceLimit(learned)) * MINUTE;
  const limit = Math.max(params.sensorMinutes, learnedSilenceLimit(learned)) * MINUTE;
  const silence = state.homeClock - (state.seenAtHomeClock[device.id] ?? 0);
  if (silence >= limit) return now;
  return state.atHome ? now + (limit - silence) : undefined;
}

/** When the device was last heard from, or the rule began watching. */
const heardSince = (device: Device, state: DeviceOfflineState) => state.lastSeen[device.id] ?? state.since;

function wording(
  home: HomeContext,
  state: DeviceOfflineState,
  blind: boolean,
  offline: readonly Device[],
): { ja: string; en: string } {
  const ids = offline.map((d) => d.id);
  if (blind)
    return {
      ja: `見守りが機能していません。人感・ドア・電力のセンサーがすべて応答しません（${ids.join('、')}）。機器を確認してください。`,
      en: `Monitoring degraded: no motion, door or power sensor is responding (${ids.join(', ')}). Please check the devices.`,
    };
  const unheard = offline.filter((d) => state.lastSeen[d.id] === undefined && !home.baseline?.devices[d.id]);
  if (unheard.length === offline.length)
    return {
      ja: `設置された機器から一度も通信がありません（${ids.join('、')}）。電源や電池、ペアリングを確認してください。`,
      en: `Device never heard from since it was set up (${ids.join(', ')}). Please check its power, batteries and pairing.`,
    };
  return {
    ja: `機器が応答しません（${ids.join('、')}）。電源や電池、通信を確認してください。`,
    en: `Device not responding (${ids.join(', ')}). Please check its power, batteries and connection.`,
  };
}

export const deviceOffline = defineRuleType('device.offline', {
  defaultSeverity: 'warning',
  reads: EVENT_TYPES,
  readsStatus: true,
  pausedByAbsence: false,
  learned: true,
  state: deviceOfflineState,
  evaluate: evaluateDeviceOffline,
});
