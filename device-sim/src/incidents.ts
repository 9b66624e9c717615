import type { HomeSpec } from './home-spec.js';
import { DAY_MS } from './jst.js';
import { between, chance, pick, type Rng } from './rng.js';
import type { DayLife } from './routine.js';
import type { Interval } from './still-times.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What a watch-over network must hear about: a fall (at a random moment while up, or on a
 * night-time trip to the toilet), not getting up one morning, leaving and never coming back
 * (wandering off, an accident outside), a long absence nobody registered, a sensor that dies.
 */
export const INCIDENT_KINDS = ['fall', 'no wake', 'vanish', 'long absence', 'dead sensor'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** An incident to inject into home `home` (from 1) on day `day` (from 0) of the history; `at` fixes the moment. */
export interface InjectedIncident {
  home: number;
  kind: IncidentKind;
  day: number;
  at?: number | undefined;
}

/**
 * What really happened, as the generator recorded it: ground truth for benchmarks. It is never
 * part of the history (no event, home or device record says it), so no rule can read it.
 */
export interface TruthRecord {
  homeId: string;
  kind: IncidentKind;
  /** Asked for, or arising in the simulation itself (a sensor whose battery ran flat). */
  injected: boolean;
  startsAt: number;
  /** When it was over (the resident came home); null when it lasts. */
  endsAt: number | null;
  /** A fall on a night-time trip to the toilet rather than while up. */
  atNight?: boolean;
  /** The sensor that died. */
  deviceId?: string;
}

/** How an incident changes the home from its moment on. */
export interface IncidentEffect {
  /** The resident can no longer move (a fall, not getting up); Infinity when not. */
  stillFrom: number;
  /** The resident left through the door and stayed away (`until` Infinity: never came back). */
  gone: Interval | undefined;
  deadDevice: { deviceId: string; from: number } | undefined;
  truth: TruthRecord;
}

/** About one fall in five happens on the way to or from the toilet at night (see docs/history-import.md). */
const NIGHT_FALL_SHARE = 0.2;
/** After a fall indoors, whatever was on stays on: TVs switch themselves off after about 3 h without a button press. */
export const TV_AUTO_OFF_MS = 3 * HOUR;

/**
 * The moment and effect of an injected incident, from the day it happens on (`life`, whose day
 * begins at `dayStart`). A fall without a given moment happens at a random moment while up and
 * at home, or during one of the night's toilet trips; not getting up begins when the resident
 * would have got up; vanishing and a long absence begin by leaving through the door while up.
 */
export function resolveIncident(
  incident: InjectedIncident,
  spec: HomeSpec,
  life: DayLife,
  dayStart: number,
  rng: Rng,
): IncidentEffect {
  const none = { stillFrom: Infinity, gone: undefined, deadDevice: undefined };
  const record = (startsAt: number, endsAt: number | null = null): TruthRecord => ({
    homeId: spec.homeId,
    kind: incident.kind,
    injected: true,
    startsAt,
    endsAt,
  });
  // Whole milliseconds, as event times are stamped: the record says the very time of the event that shows it.
  const whileUp = (fromWake: number, beforeBed: number) =>
    Math.floor(momentAtHome(life, life.wakeAt + fromWake, life.bedAt - beforeBed, rng));
  switch (incident.kind) {
    case 'fall': {
      const trips = life.nightTrips.filter((t) => t < life.wakeAt);
      const atNight = incident.at === undefined && trips.length > 0 && chance(rng, NIGHT_FALL_SHARE);
      // On a night trip: in the toilet, after the first movement there was seen.
      const onTrip = () => Math.floor(pick(rng, trips as [number, ...number[]]) + 2.5 * MINUTE);
      const at = incident.at ?? (atNight ? onTrip() : whileUp(10 * MINUTE, 10 * MINUTE));
      return { ...none, stillFrom: at, truth: { ...record(at), atNight } };
    }
    case 'no wake': {
      const at = Math.floor(life.wakeAt);
      return { ...none, stillFrom: at, truth: record(at) };
    }
    case 'vanish': {
      const at = incident.at ?? whileUp(HOUR, 3 * HOUR);
      return { ...none, gone: { from: at, until: Infinity }, truth: record(at) };
    }
    case 'long absence': {
      const at = incident.at ?? whileUp(HOUR, 3 * HOUR);
      const until = Math.floor(dayStart + Math.round(between(rng, 2.6, 4.4)) * DAY_MS + between(rng, 10, 18) * HOUR);
      return { ...none, gone: { from: at, until }, truth: record(at, until) };
    }
    case 'dead sensor': {
      const candidates = spec.devices.filter((d) => d.role === 'motion' || d.role === 'door');
      const device = pick(rng, candidates as [(typeof candidates)[number], ...typeof candidates]);
      const at = incident.at ?? Math.floor(dayStart + between(rng, 0, DAY_MS));
      return { ...none, deadDevice: { deviceId: device.id, from: at }, truth: { ...record(at), deviceId: device.id } };
    }
  }
}

/** A moment in [from, until) when the resident is at home (not on an outing); `from` if none is found. */
function momentAtHome(life: DayLife, from: number, until: number, rng: Rng): number {
  for (let tries = 0; tries < 50; tries++) {
    const t = between(rng, from, until);
    if (!life.outings.some((o) => t >= o.from - 10 * MINUTE && t < o.until + 10 * MINUTE)) return t;
  }
  return from;
}

/**
 * The time an incident needs the resident at home and free of other episodes (from the day
 * before it on); none for a dead sensor, which does not change the resident's life.
 */
export function incidentSpan(incident: InjectedIncident, start: number): Interval | undefined {
  const dayStart = start + incident.day * DAY_MS;
  if (incident.kind === 'dead sensor') return undefined;
  return { from: dayStart - DAY_MS, until: incident.kind === 'long absence' ? dayStart + 6 * DAY_MS : Infinity };
}
