import type { DeviceEventInput, HistoryLine } from '@mimamori/contract';
import { batteryLevel } from './battery.js';
import { planEpisodes, type HomeEpisodes } from './episodes.js';
import { appliancesOf, guestDay, residentDay, strayMovements, type Whereabouts } from './home-days.js';
import { describeHome, type DeviceSpec, type HomeSpec, type Layout } from './home-spec.js';
import { incidentSpan, resolveIncident, type InjectedIncident, type TruthRecord } from './incidents.js';
import { DAY_MS, toJstIso } from './jst.js';
import { everydayHabit } from './persona.js';
import { dayEvents, planDayLife, type PlannedEvent } from './routine.js';
import { between, chance, deriveSeed, mulberry32, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Stream tags for the history's own draws, apart from the homes' days and from each other. */
const HISTORY_STREAM = 0x4157;
const EPISODE_STREAM = 0xe915;
const INCIDENT_STREAM = 0x1c1d;
const GUEST_STREAM = 0x6e57;
const STRAY_STREAM = 0x57a7;
const LAYOUT_CHOICE_STREAM = 0x1a7c;
/** In a mixed population, this share of homes has a sensor in each room (the rest one open-plan sensor). */
const PER_ROOM_SHARE = 0.7;

export interface HistoryOptions {
  seed: number;
  homes: number;
  days: number;
  /** Local midnight after the last day (epoch ms); the history covers the `days` days before it. */
  end: number;
  /** A fall: from this moment the resident of home `home` (from 1) does nothing any more. */
  fall?: { home: number; at: number } | undefined;
  /** Incidents to inject; what was injected, and when, is in `homeHistory(…).truth`. */
  incidents?: readonly InjectedIncident[] | undefined;
  /** The homes' sensors; `mixed` (the default) draws per-room for 7 homes in 10. */
  layout?: Layout | 'mixed' | undefined;
  /**
   * Devices (by id) that do not die, whether injected or flat: the same home, the same life, with
   * that sensor working. The detection benchmark compares a home with and without a death.
   */
  sparedDevices?: readonly string[] | undefined;
}

/** One home's past: its description, its history-file lines, and the generator's own record of its incidents. */
export interface HomeHistory {
  spec: HomeSpec;
  lines: HistoryLine[];
  truth: TruthRecord[];
}

/**
 * A past of simulated homes as history-file lines (contract `historyLine`): each home, its
 * resident and devices, its registered absences, then its days in time order. Every home lives
 * ordinary days (routine.ts: night toilet trips, TV, naps, the storage room, outings) with its
 * own stray triggers, and has, by chance, episodes (episodes.ts): a registered hospital stay or
 * trip, nights away nobody registered, family visits, a hot spell indoors. Sensors whose
 * battery runs flat die. Injected incidents (`incidents`, `fall`) come on top.
 *
 * Pure and deterministic: the same options give the same lines, byte for byte.
 */
export function* historyLines(options: HistoryOptions): Generator<HistoryLine> {
  for (let index = 0; index < options.homes; index++) yield* homeHistory(options, index).lines;
}

/** The n-th home's (from 0) history and truth. */
export function homeHistory(options: HistoryOptions, index: number): HomeHistory {
  const { seed, days, end } = options;
  const start = end - days * DAY_MS;
  const spec = describeHome(seed, index, everydayHabit(index), layoutOf(options.layout ?? 'mixed', seed, index));
  const wanted = injectedInto(options, index, start);
  const dayRngs = Array.from({ length: days }, (_, day) => mulberry32(deriveSeed(seed, index, day)));
  const lives = dayRngs.map((rng, day) => planDayLife(spec.persona, start + day * DAY_MS, rng));
  const keepClear = wanted.flatMap((i) => incidentSpan(i, start) ?? []);
  const episodes = planEpisodes(spec.persona, start, days, stream(seed, index, EPISODE_STREAM), keepClear);
  const incidentRng = stream(seed, index, INCIDENT_STREAM);
  const effects = wanted.map((i) => resolveIncident(i, spec, dayOf(lives, i.day), start + i.day * DAY_MS, incidentRng));
  const spared = new Set(options.sparedDevices);
  const dies = (d: { deviceId: string }) => !spared.has(d.deviceId);
  const deaths = batteryDeaths(spec, start, end).filter(dies);
  const injectedDeaths = effects.flatMap((e) => (e.deadDevice && dies(e.deadDevice) ? [e.deadDevice] : []));
  const whereabouts: Whereabouts = {
    away: [...episodes.away, ...effects.flatMap((e) => (e.gone ? [e.gone] : []))],
    stillFrom: Math.min(Infinity, ...effects.map((e) => e.stillFrom)),
  };
  const deadFrom = new Map<string, number>();
  for (const { deviceId, from } of [...deaths, ...injectedDeaths])
    deadFrom.set(deviceId, Math.min(from, deadFrom.get(deviceId) ?? Infinity));

  const appliances = appliancesOf(lives, whereabouts);
  const heartbeatRng = stream(seed, index, HISTORY_STREAM);
  const guestRng = stream(seed, index, GUEST_STREAM);
  const strayRng = stream(seed, index, STRAY_STREAM);
  const lines: HistoryLine[] = [...homeRecords(spec), ...absenceRecords(spec, episodes)];
  let n = 0;
  lives.forEach((life, day) => {
    const dayStart = start + day * DAY_MS;
    const resident = residentDay(life, whereabouts, dayStart, heartbeatRng);
    const guests = guestDay(episodes.visits, dayStart, guestRng);
    const asLived = {
      ...life,
      ...resident,
      movements: [...resident.movements, ...guests.movements, ...strayMovements(spec, dayStart, strayRng)],
      doorOpenings: [...resident.doorOpenings, ...guests.doorOpenings],
      appliances: appliances.filter((a) => a.from < dayStart + DAY_MS && a.until > dayStart),
    };
    const hot = episodes.hotDays.has(day);
    const events = [
      ...dayEvents(asLived, spec.persona, dayStart, spec.coverage, dayOf(dayRngs, day)).flatMap(routed(spec)),
      ...heartbeats(spec, dayStart, heartbeatRng),
    ]
      .map((e) => (hot ? heated(e, dayStart, heartbeatRng) : e))
      .sort((a, b) => a.at - b.at);
    for (const { at, device, event: body } of events) {
      if (at >= (deadFrom.get(device.id) ?? Infinity)) continue;
      const battery = device.battery && batteryLevel(device.battery, at - start);
      const event = { id: `h${day}-${++n}`, ts: toJstIso(at), ...body, ...(battery !== undefined && { battery }) };
      lines.push({ homeId: spec.homeId, deviceId: device.id, event: event as DeviceEventInput });
    }
  });
  const truth = [
    ...effects.filter((e) => !e.deadDevice || dies(e.deadDevice)).map((e) => e.truth),
    ...deaths.map((d): TruthRecord => ({ ...d.truth, homeId: spec.homeId })),
  ].sort((a, b) => a.startsAt - b.startsAt);
  return { spec, lines, truth };
}

const stream = (seed: number, index: number, tag: number) => mulberry32(deriveSeed(seed, index, tag));

function dayOf<T>(perDay: readonly T[], day: number): T {
  const value = perDay[day];
  if (value === undefined) throw new RangeError(`day ${day} is outside the history`);
  return value;
}

function layoutOf(layout: Layout | 'mixed', seed: number, index: number): Layout {
  if (layout !== 'mixed') return layout;
  return chance(stream(seed, index, LAYOUT_CHOICE_STREAM), PER_ROOM_SHARE) ? 'per-room' : 'open-plan';
}

/** The incidents asked for this home, `fall` among them, on days inside the history. */
function injectedInto(options: HistoryOptions, index: number, start: number): InjectedIncident[] {
  const { fall, incidents = [], days } = options;
  const asked = fall
    ? [
        ...incidents,
        { home: fall.home, kind: 'fall' as const, day: Math.floor((fall.at - start) / DAY_MS), at: fall.at },
      ]
    : incidents;
  return asked.filter((i) => i.home === index + 1 && i.day >= 0 && i.day < days);
}

/** Sensors die when their battery is flat (their reported level would be 0). */
function batteryDeaths(spec: HomeSpec, start: number, end: number) {
  return spec.devices.flatMap((d) => {
    if (!d.battery) return [];
    const from = Math.floor(start + ((d.battery.startPct - 1) / d.battery.drainPctPerDay) * DAY_MS);
    if (from >= end) return [];
    const truth = { kind: 'dead sensor' as const, injected: false, startsAt: from, endsAt: null, deviceId: d.id };
    return [{ deviceId: d.id, from, truth }];
  });
}

/** An event from one particular device. */
interface DeviceEvent {
  at: number;
  device: DeviceSpec;
  event: PlannedEvent['event'];
}

/** The device that reports a planned event: a motion event's sensor is the one of its room. */
const routed =
  (spec: HomeSpec) =>
  (e: PlannedEvent): DeviceEvent[] => {
    const room = e.event.type === 'motion' ? e.event.room : undefined;
    const device = spec.devices.find((d) => d.role === e.device && (room === undefined || d.room === room));
    return device ? [{ at: e.at, device, event: e.event }] : [];
  };

/** Each device that checks in says so every `heartbeatEveryMs`, within a minute. */
function heartbeats(spec: HomeSpec, dayStart: number, rng: Rng): DeviceEvent[] {
  return spec.devices.flatMap((device) =>
    device.heartbeatEveryMs === undefined
      ? []
      : Array.from({ length: DAY_MS / device.heartbeatEveryMs }, (_, i) => ({
          at: dayStart + i * (device.heartbeatEveryMs ?? 0) + between(rng, 0, MINUTE),
          device,
          event: { type: 'heartbeat' as const },
        })),
  );
}

function homeRecords(spec: HomeSpec): HistoryLine[] {
  return [
    {
      home: {
        id: spec.homeId,
        name: spec.name,
        address: spec.address,
        district: spec.district,
        timezone: spec.timezone,
      },
    },
    {
      resident: {
        id: spec.persona.residentId,
        homeId: spec.homeId,
        name: spec.persona.name,
        language: spec.persona.language,
      },
    },
    ...spec.devices.map((d) => ({ device: { id: d.id, homeId: spec.homeId, kind: d.kind } })),
  ];
}

/** The stays away someone registered (不在登録), as the hub would have had them. */
function absenceRecords(spec: HomeSpec, episodes: HomeEpisodes): HistoryLine[] {
  return episodes.away.flatMap(({ from, until, registered }) =>
    registered
      ? [
          {
            absence: {
              homeId: spec.homeId,
              reason: registered.reason,
              startsAt: toJstIso(from),
              endsAt: toJstIso(until),
              note: registered.note,
            },
          },
        ]
      : [],
  );
}

/** Afternoons in a hot spell: the room climbs to 31–34 °C between noon and 18:00. */
function heated(e: DeviceEvent, dayStart: number, rng: Rng): DeviceEvent {
  if (e.event.type !== 'environment' || e.at < dayStart + 12 * HOUR || e.at >= dayStart + 18 * HOUR) return e;
  return { ...e, event: { ...e.event, temperatureC: Math.round(between(rng, 31, 34) * 10) / 10 } };
}
