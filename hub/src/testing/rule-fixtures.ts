import {
  ruleParams,
  type DeviceKind,
  type EventFields,
  type EventType,
  type RuleParams,
  type RuleType,
  type Severity,
} from '@mimamori/contract';
import { learn, type Baseline } from '../engine/baseline.js';
import { emptyDay, type DaySummary } from '../engine/day-summary.js';
import { RULE_CATALOGUE } from '../engine/catalogue.js';
import type { HomeContext, RuleSettings } from '../engine/decisions.js';
import { replay, type ReplayInput } from '../engine/replay.js';
import type { StoredEvent } from '../store/index.js';
import { windowOf } from '../time/local-time.js';

/** Small builders for evaluator tests: a home in Tokyo, events at Japan times, a replay summary. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** "2026-11-23 08:10" (Japan time) as epoch ms. */
export const jst = (local: string): number => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);
/** Epoch ms as "2026-11-23 08:10" Japan time, for readable expectations. */
export const asJst = (ms: number): string => new Date(ms + 9 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

/** Devices listed long before any test's time: none of them is being set up. */
const LISTED_AT = Date.parse('2026-01-01T00:00:00+09:00');
const DEVICES: { id: string; kind: DeviceKind; registeredAt: number }[] = [
  { id: 'motion-1', kind: 'motion', registeredAt: LISTED_AT },
  { id: 'door-1', kind: 'door', registeredAt: LISTED_AT },
  { id: 'power-1', kind: 'power', registeredAt: LISTED_AT },
  { id: 'env-1', kind: 'environment', registeredAt: LISTED_AT },
  { id: 'speaker-1', kind: 'speaker', registeredAt: LISTED_AT },
];
const DEVICE_OF: Partial<Record<EventType, string>> = {
  motion: 'motion-1',
  door: 'door-1',
  power: 'power-1',
  environment: 'env-1',
  checkin: 'speaker-1',
};

export const home = (overrides: Partial<HomeContext> = {}): HomeContext => ({
  homeId: 'home-1',
  timezone: 'Asia/Tokyo',
  residentId: 'r1',
  devices: DEVICES,
  baseline: undefined,
  presence: {
    lastActivityAt: undefined,
    outSince: undefined,
    lastWasDoor: false,
    returnedFrom: undefined,
    confirmed: [],
    sensorsAlive: false,
    sensorSeenAt: {},
  },
  absent: false,
  ...overrides,
});

let seq = 0;
/** An event at a Japan time (or epoch ms), from the home's device of that type unless `deviceId` is given. */
export function event<T extends EventType>(
  type: T,
  at: string | number,
  data: EventFields<T>,
  deviceId?: string,
): StoredEvent<T> {
  const ts = typeof at === 'number' ? at : jst(at);
  seq++;
  const stored = {
    seq,
    homeId: 'home-1',
    deviceId: deviceId ?? DEVICE_OF[type] ?? 'btn-1',
    eventId: `e${seq}`,
    type,
    ts,
    receivedAt: ts,
    data,
  };
  return stored as StoredEvent<T>;
}

/** A single motion trigger: in a silent home, a stray until something corroborates it (presence.ts). */
export const motion = (at: string | number, room = 'living') => event('motion', at, { occupied: true, room });

/** The resident moving about: a trigger two minutes before `at` and one at `at`, which corroborate each other. */
export function moving(at: string | number): StoredEvent[] {
  const t = typeof at === 'number' ? at : jst(at);
  return [motion(t - 2 * MINUTE, 'kitchen'), motion(t)];
}

export function settings<T extends RuleType>(
  type: T,
  params: Record<string, unknown> = {},
  extra: { severity?: Severity; activeHours?: { from: string; to: string } } = {},
): RuleSettings<RuleParams<T>> {
  return {
    id: type,
    severity: extra.severity ?? RULE_CATALOGUE[type].defaultSeverity,
    activeHours: extra.activeHours && windowOf(extra.activeHours),
    params: ruleParams[type].parse(params) as RuleParams<T>,
  };
}

/** A baseline learned from `days` days, each a resident up at 07:40 (220 min after 04:00) with 100 activities unless `day` says otherwise. */
export function baselineOf(days: number, day: (i: number) => Partial<DaySummary>): Baseline {
  return learn(
    Array.from({ length: days }, (_, i) => ({
      ...emptyDay(`2026-10-${String(i + 1).padStart(2, '0')}`),
      upAt: 220,
      count: 100,
      ...day(i),
    })),
  );
}

/** Replays events through a rule type from `from` to `to` and returns what it decided, in readable form. */
export function decide(
  type: RuleType,
  options: Omit<ReplayInput, 'definition' | 'settings' | 'home' | 'from' | 'to'> & {
    settings?: RuleSettings<unknown>;
    home?: HomeContext;
    from: string;
    to: string;
  },
) {
  const replayed = replay({
    ...options,
    definition: RULE_CATALOGUE[type],
    settings: options.settings ?? settings(type),
    home: options.home ?? home(),
    from: jst(options.from),
    to: jst(options.to),
  });
  return replayed.map(({ at, decision }) => ({
    at: asJst(at),
    kind: decision.kind,
    ...(decision.kind === 'raise' && { severity: decision.severity, ja: decision.message.ja, en: decision.message.en }),
    ...(decision.kind === 'clear' && { ja: decision.reason.ja }),
    ...(decision.kind === 'ask' && { ja: decision.text.ja }),
  }));
}
