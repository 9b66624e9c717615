import {
  ACTIVITY_SENSOR_KINDS,
  EVENT_MEANINGS,
  POWER_ACTIVITY_WATTS,
  isActivity,
  type DeviceKind,
  type EventType,
} from '@mimamori/contract';
import { z } from 'zod';

/**
 * What the hub infers about a home from its activity signals, once per home and shared by every
 * rule and by the baselines (issue 18.5, 18.6): which signals are the resident (corroborated
 * activity), which are strays (a pet, warm air, a glitch), and whether the resident is probably
 * out. Pure: the live engine folds it event by event inside its transaction, the backtest and the
 * baselines fold the same function over history, so what is learned is what is judged.
 */

const MINUTE = 60_000;
/** A lone motion trigger counts once other activity signals come within this long of it (before or after). */
export const CORROBORATE_MS = 30 * MINUTE;
/**
 * While the resident is about (their last activity this recent, and not the front door), every
 * trigger counts at once: a seated TV viewer moves a hand now and then, and that is the resident.
 * After this long the home is "otherwise silent" and a single trigger needs corroborating.
 */
export const QUIET_MS = 60 * MINUTE;
/** The front door corroborates a trigger this soon after it (the resident coming in), and no later one. */
export const DOOR_CORROBORATES_MS = 5 * MINUTE;
/** The front door was the last sign of the resident this long ago: they are probably out. */
export const OUT_AFTER_MS = 20 * MINUTE;
/**
 * Signals it takes to believe a trigger: one other, and while the resident is probably out two
 * others (a pet crossing two rooms does not bring them home; the resident coming home, even past a
 * dead door sensor, moves about).
 */
const CORROBORATING = { in: 1, out: 2 } as const;

export const presenceState = z.object({
  /** The last activity that was the resident's (corroborated), null before any. */
  lastActivityAt: z.number().nullable(),
  /** That activity was the front door (opening or closing it). */
  lastWasDoor: z.boolean(),
  /** The last activity signals of any kind, lone triggers included (at most two): what corroborates the next one. */
  recent: z.array(z.number()),
  /** Lone triggers waiting for something to corroborate them; strays if nothing comes. */
  pending: z.array(z.number()),
  /** The last message of any kind (a heartbeat, a PIR clearing) from a device that watches activity. */
  lastSensorAt: z.number().nullable(),
  /** Each such device's last message: whether it still speaks (learned-baseline.ts). Absent in state stored before it was kept. */
  sensorSeenAt: z.record(z.string(), z.number()).default({}),
});
export type PresenceState = z.infer<typeof presenceState>;

export const NO_PRESENCE: PresenceState = {
  lastActivityAt: null,
  lastWasDoor: false,
  recent: [],
  pending: [],
  lastSensorAt: null,
  sensorSeenAt: {},
};

/** What rules read of the home at an instant. */
export interface PresenceView {
  /** The resident's last activity (corroborated), undefined before any. */
  lastActivityAt: number | undefined;
  /** Probably out since then: the front door was the last sign of them (18.5). */
  outSince: number | undefined;
  /** The front door is the last sign of the resident (out, or out in a while if nothing else comes). */
  lastWasDoor: boolean;
  /** The event being judged is the resident back from being out since then. */
  returnedFrom: number | undefined;
  /** The activity the event being judged confirmed (itself, and a lone trigger it corroborated); none on a tick. */
  confirmed: readonly number[];
  /**
   * Some device that watches activity has said anything (a heartbeat, a PIR clearing) since the
   * resident's last activity: the home's silence is the resident's, not the sensors'.
   */
  sensorsAlive: boolean;
  /** When each device that watches activity last said anything. */
  sensorSeenAt: Readonly<Record<string, number>>;
}

/**
 * One event folded in (`fromActivitySensor`: its device watches activity). Returns the new state
 * and the activity it confirmed: the event itself, and a lone trigger before it that it
 * corroborates (so counts of activity include both).
 */
export function observe(
  previous: PresenceState,
  event: { type: EventType; ts: number; data: object; deviceId: string },
  fromActivitySensor = false,
): Observed {
  const state = fromActivitySensor ? heard(previous, event) : previous;
  if (!isActivity(event, { powerWatts: POWER_ACTIVITY_WATTS }))
    return { state, confirmed: [], returnedFrom: undefined };
  const t = event.ts;
  const last = state.lastActivityAt;
  const doorAt = state.lastWasDoor && last !== null ? last : -Infinity;
  const out = state.lastWasDoor && t - doorAt >= OUT_AFTER_MS;
  const recent = [...state.recent, t].sort((a, b) => a - b).slice(-2);
  if (!EVENT_MEANINGS[event.type].standsAlone) {
    // After the front door only what happened since corroborates: a trigger soon after it may be a
    // stray in a home the resident just left.
    const around = state.recent.filter((at) => at > doorAt && Math.abs(t - at) <= CORROBORATE_MS);
    const about = !state.lastWasDoor && last !== null && t - last < QUIET_MS;
    const comingIn = t - doorAt <= DOOR_CORROBORATES_MS;
    if (!about && !comingIn && around.length < CORROBORATING[out ? 'out' : 'in']) {
      const pending = [...state.pending, t].filter((at) => t - at <= CORROBORATE_MS).slice(-2);
      return { state: { ...state, recent, pending }, confirmed: [], returnedFrom: undefined };
    }
  }
  const confirmed = [...state.pending.filter((at) => Math.abs(t - at) <= CORROBORATE_MS), t];
  const latest = Math.max(t, last ?? t);
  const wasOut = out && last !== null;
  return {
    state: {
      lastActivityAt: latest,
      lastWasDoor: latest === t ? event.type === 'door' : state.lastWasDoor,
      recent,
      pending: [],
      lastSensorAt: state.lastSensorAt,
      sensorSeenAt: state.sensorSeenAt,
    },
    confirmed,
    returnedFrom: wasOut ? (last ?? undefined) : undefined,
  };
}

/** `previous` with a message from a device that watches activity heard. */
function heard(previous: PresenceState, { deviceId, ts }: { deviceId: string; ts: number }): PresenceState {
  // Copied, then set: a spread with the device as a computed key took half as long again, and a
  // backtest folds millions of messages (issue 21).
  const sensorSeenAt = { ...previous.sensorSeenAt };
  sensorSeenAt[deviceId] = Math.max(ts, previous.sensorSeenAt[deviceId] ?? ts);
  return { ...previous, lastSensorAt: Math.max(ts, previous.lastSensorAt ?? ts), sensorSeenAt };
}

/** What one event changed: the state, the activity it confirmed, and whether it ended an outing. */
export interface Observed {
  state: PresenceState;
  confirmed: number[];
  returnedFrom: number | undefined;
}

/** The home as rules see it at `now`, with what the event being judged did (nothing, on a tick). */
export function presenceAt(
  state: PresenceState,
  now: number,
  observed: Pick<Observed, 'confirmed' | 'returnedFrom'> = { confirmed: [], returnedFrom: undefined },
): PresenceView {
  const last = state.lastActivityAt ?? undefined;
  const out = last !== undefined && state.lastWasDoor && now - last >= OUT_AFTER_MS;
  const sensorsAlive = state.lastSensorAt !== null && (last === undefined || state.lastSensorAt > last);
  return {
    lastActivityAt: last,
    outSince: out ? last : undefined,
    lastWasDoor: state.lastWasDoor,
    returnedFrom: observed.returnedFrom,
    confirmed: observed.confirmed,
    sensorsAlive,
    sensorSeenAt: state.sensorSeenAt,
  };
}

/** Whether an event's device watches activity, from the home's devices. */
export const watchesActivity = (devices: readonly { id: string; kind: DeviceKind }[], deviceId: string): boolean => {
  const kind = devices.find((d) => d.id === deviceId)?.kind;
  return kind !== undefined && ACTIVITY_SENSOR_KINDS.has(kind);
};
