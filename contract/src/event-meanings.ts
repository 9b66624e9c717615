import type { DeviceEvent, EventType } from './events.js';

/** One event type's own fields (everything but `id`, `ts` and `type`). */
export type EventFields<T extends EventType = EventType> = T extends EventType
  ? Omit<Extract<DeviceEvent, { type: T }>, 'id' | 'ts' | 'type'>
  : never;

/**
 * Whether an event of a type shows someone moving about at home. Declarative, so that the
 * engine's predicate and the store's SQL are both derived from it and cannot drift apart (they
 * did: the SQL counted a 0 W power reading as activity while the engine needed 200 W, issue 17).
 */
export type ActivitySignal<T extends EventType> =
  | { kind: 'never' }
  | { kind: 'always' }
  /** When a boolean field has this value (a PIR reporting occupancy, not its clearing). */
  | { kind: 'when'; field: keyof EventFields<T> & string; is: boolean }
  /** When a number field reaches the consumer's `powerWatts` (an appliance in use); never without one. */
  | { kind: 'atLeastPowerWatts'; field: keyof EventFields<T> & string };

/** Any type's signal: each entry's field names were checked against its own type in the table. */
export type AnyActivitySignal =
  | { kind: 'never' }
  | { kind: 'always' }
  | { kind: 'when'; field: string; is: boolean }
  | { kind: 'atLeastPowerWatts'; field: string };

export interface EventMeaning<T extends EventType> {
  /** 人感センサーの反応, shown in the dashboard's legends. */
  label: { ja: string; en: string };
  activity: ActivitySignal<T>;
  /**
   * An activity signal of this type shows the resident by itself (a hand on the door, an answer,
   * a press, an appliance drawing power). A motion trigger may be a pet or warm air: in an
   * otherwise silent home it counts only once something corroborates it (issue 18.6).
   */
  standsAlone: boolean;
  /** The event says only that its device is alive (a quiet sensor's heartbeat). */
  livenessOnly: boolean;
  /** Losing it would hide a person in trouble: devices publish it at QoS 1 (PROTOCOL.md). */
  critical: boolean;
  /** A reading of the home by a sensor (as opposed to a person speaking or pressing). */
  sensorReading: boolean;
}

/**
 * What each event type means to the hub: the one owner of that knowledge. Every list of event
 * types elsewhere (what the rules read, what counts as activity in code and SQL, what the
 * activity chart counts, what devices send at QoS 1) is derived from this table.
 */
export const EVENT_MEANINGS: { [T in EventType]: EventMeaning<T> } = {
  motion: {
    label: { ja: '人感センサー', en: 'Motion' },
    // A PIR clears itself after ~90 s; the clearing is no sign of anyone (PROTOCOL.md).
    activity: { kind: 'when', field: 'occupied', is: true },
    standsAlone: false,
    livenessOnly: false,
    critical: false,
    sensorReading: true,
  },
  door: {
    label: { ja: 'ドアの開閉', en: 'Door' },
    // Opening and closing are both a hand on the door.
    activity: { kind: 'always' },
    standsAlone: true,
    livenessOnly: false,
    critical: false,
    sensorReading: true,
  },
  environment: {
    label: { ja: '室温・湿度', en: 'Temperature and humidity' },
    activity: { kind: 'never' },
    standsAlone: false,
    livenessOnly: false,
    critical: false,
    sensorReading: true,
  },
  power: {
    label: { ja: '電力', en: 'Power' },
    activity: { kind: 'atLeastPowerWatts', field: 'watts' },
    standsAlone: true,
    livenessOnly: false,
    critical: false,
    sensorReading: true,
  },
  checkin: {
    label: { ja: '呼びかけへの応答', en: 'Check-in answer' },
    activity: { kind: 'always' },
    standsAlone: true,
    livenessOnly: false,
    critical: true,
    sensorReading: false,
  },
  sos: {
    label: { ja: 'SOS', en: 'SOS' },
    activity: { kind: 'always' },
    standsAlone: true,
    livenessOnly: false,
    critical: true,
    sensorReading: false,
  },
  heartbeat: {
    label: { ja: '機器の生存通知', en: 'Heartbeat' },
    activity: { kind: 'never' },
    standsAlone: false,
    livenessOnly: true,
    critical: false,
    sensorReading: false,
  },
};

/**
 * A power reading at or above this many watts counts as someone using an appliance, where a
 * consumer counts power at all (the rules engine's presence takes it for the resident's activity
 * on its own, and a check-in "satisfied by activity" follows that). Standby and a fridge's
 * compressor stay below.
 */
export const POWER_ACTIVITY_WATTS = 200;

/** Whose question is whether an event is activity: power readings count only at `powerWatts` or more. */
export interface ActivityOptions {
  powerWatts?: number | undefined;
}

/** Whether this event shows someone moving about at home (`EVENT_MEANINGS`). */
export function isActivity(event: { type: EventType; data: object }, options: ActivityOptions = {}): boolean {
  const signal: AnyActivitySignal = EVENT_MEANINGS[event.type].activity;
  const fields = event.data as Record<string, unknown>;
  switch (signal.kind) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'when':
      return fields[signal.field] === signal.is;
    case 'atLeastPowerWatts': {
      const value = fields[signal.field];
      return options.powerWatts !== undefined && typeof value === 'number' && value >= options.powerWatts;
    }
  }
}

/** Every event type, in the table's order; the compiler checks the table names each one. */
export const EVENT_TYPES = Object.keys(EVENT_MEANINGS) as [EventType, ...EventType[]];

const typesWhere = (test: (meaning: EventMeaning<EventType>) => boolean): EventType[] =>
  EVENT_TYPES.filter((type) => test(EVENT_MEANINGS[type] as EventMeaning<EventType>));

/** Types that can be activity (given a power threshold, for power). */
export const ACTIVITY_EVENT_TYPES: readonly EventType[] = typesWhere((m) => m.activity.kind !== 'never');
/** Activity, and the heartbeats that show a quiet sensor is still alive. */
export const ACTIVITY_AND_LIVENESS_EVENT_TYPES: readonly EventType[] = typesWhere(
  (m) => m.activity.kind !== 'never' || m.livenessOnly,
);
/** Sensor readings that can be activity: what the home's activity chart counts. */
export const SENSOR_ACTIVITY_EVENT_TYPES: readonly EventType[] = typesWhere(
  (m) => m.sensorReading && m.activity.kind !== 'never',
);
/** Event types whose loss would hide a person in trouble; devices publish them at QoS 1. */
export const CRITICAL_EVENT_TYPES: ReadonlySet<EventType> = new Set(typesWhere((m) => m.critical));
