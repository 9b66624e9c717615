import type { DeviceEventBody, DeviceEventInput, HistoryLine } from '@mimamori/contract';
import { batteryLevel } from './battery.js';
import { describeHome, type DeviceRole, type HomeSpec } from './home-spec.js';
import { DAY_MS, toJstIso } from './jst.js';
import { planDay, type PlannedEvent } from './routine.js';
import { between, deriveSeed, mulberry32, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Mains devices say they are alive often; battery sensors save power. */
const HEARTBEAT_EVERY: Partial<Record<DeviceRole, number>> = {
  speaker: 10 * MINUTE,
  power: 10 * MINUTE,
  motion: HOUR,
  door: HOUR,
  sos: HOUR,
};
/** Stream tag for the history's own draws (scenario days), apart from the homes' days. */
const HISTORY_STREAM = 0x4157;

/** What happens to whom, besides ordinary days: the homes take these in turn. */
export const HISTORY_STORIES = ['ordinary', 'hospital', 'late mornings', 'heat wave', 'dead sensor'] as const;
export type HistoryStory = (typeof HISTORY_STORIES)[number];

export interface HistoryOptions {
  seed: number;
  homes: number;
  days: number;
  /** Local midnight after the last day (epoch ms); the history covers the `days` days before it. */
  end: number;
  /** A fall: from this moment the resident of home `home` (from 1) does nothing any more. */
  fall?: { home: number; at: number } | undefined;
}

/** The story of the n-th home (from 0): home 1 is ordinary, home 2 goes to hospital, … */
export const storyOf = (index: number): HistoryStory => HISTORY_STORIES[index % HISTORY_STORIES.length] as HistoryStory;

/**
 * A past of simulated homes as history-file lines (contract `historyLine`): each home, its
 * resident and devices, then its days in time order, with the stories mixed in that cause
 * most false alarms in field services:
 *
 * - hospital: five days away from day 10 (registered as an absence), nobody moves at home and
 *   the power meter shows standby;
 * - late mornings: three days up about 2½ hours later than usual;
 * - heat wave: three afternoons at 31–34 °C indoors;
 * - dead sensor: the motion sensor says nothing at all from day 12;
 * - a fall (`fall`): from that moment no movement, door or check-in, and the power meter shows
 *   standby only; heartbeats and room climate carry on.
 *
 * Pure and deterministic: the same options give the same lines, byte for byte.
 */
export function* historyLines({ seed, homes, days, end, fall }: HistoryOptions): Generator<HistoryLine> {
  const start = end - days * DAY_MS;
  for (let index = 0; index < homes; index++) {
    const spec = describeHome(seed, index);
    yield* homeRecords(spec);
    const story = storyOf(index);
    const rng = mulberry32(deriveSeed(seed, index, HISTORY_STREAM));
    const storyDay = (first: number) => Math.min(first, Math.max(0, days - 5));
    const hospital =
      story === 'hospital'
        ? { from: start + storyDay(10) * DAY_MS + 10 * HOUR, until: start + (storyDay(10) + 5) * DAY_MS + 14 * HOUR }
        : undefined;
    const lateDays = story === 'late mornings' ? new Set([storyDay(5), storyDay(13), storyDay(21)]) : new Set<number>();
    const hotDays = story === 'heat wave' ? new Set([storyDay(15), storyDay(16), storyDay(17)]) : new Set<number>();
    const deadFrom = story === 'dead sensor' ? start + storyDay(12) * DAY_MS : Infinity;
    const fallAt = fall && fall.home === index + 1 ? fall.at : Infinity;
    if (hospital)
      yield {
        absence: {
          homeId: spec.homeId,
          reason: 'hospital',
          startsAt: toJstIso(hospital.from),
          endsAt: toJstIso(hospital.until),
          note: '検査入院',
        },
      };

    let n = 0;
    for (let day = 0; day < days; day++) {
      const dayStart = start + day * DAY_MS;
      const persona = lateDays.has(day)
        ? { ...spec.persona, wakeAt: spec.persona.wakeAt + 150 * MINUTE }
        : spec.persona;
      const planned = planDay(persona, dayStart, mulberry32(deriveSeed(seed, index, day)));
      const heartbeats = Object.entries(HEARTBEAT_EVERY).flatMap(([role, every]) =>
        Array.from({ length: DAY_MS / every }, (_, i): PlannedEvent => ({
          at: dayStart + i * every + between(rng, 0, MINUTE),
          device: role as PlannedEvent['device'],
          event: { type: 'heartbeat' },
        })),
      );
      const nobodyUp = (at: number) =>
        at >= fallAt || (hospital !== undefined && at >= hospital.from && at < hospital.until);
      const events = [...planned.events, ...heartbeats]
        .filter((e) => keeps(e, { hospital, deadFrom, fallAt }))
        .map((e) => (hotDays.has(day) ? heated(e, dayStart, rng) : e))
        .map((e) => (nobodyUp(e.at) ? standby(e, rng) : e))
        .sort((a, b) => a.at - b.at);
      for (const e of events) {
        const device = spec.devices.find((d) => d.role === e.device);
        if (!device) continue;
        const battery = device.battery && batteryLevel(device.battery, e.at - start);
        const event = {
          id: `h${day}-${++n}`,
          ts: toJstIso(e.at),
          ...e.event,
          ...(battery !== undefined && { battery }),
        } as DeviceEventInput;
        yield { homeId: spec.homeId, deviceId: device.id, event };
      }
    }
  }
}

function* homeRecords(spec: HomeSpec): Generator<HistoryLine> {
  yield {
    home: { id: spec.homeId, name: spec.name, address: spec.address, district: spec.district, timezone: spec.timezone },
  };
  yield {
    resident: {
      id: spec.persona.residentId,
      homeId: spec.homeId,
      name: spec.persona.name,
      language: spec.persona.language,
    },
  };
  for (const d of spec.devices) yield { device: { id: d.id, homeId: spec.homeId, kind: d.kind } };
}

const ACTIVITY_TYPES = new Set<DeviceEventBody['type']>(['motion', 'door', 'checkin']);

/** Whether the event happens at all, given who is away, fallen, or a dead sensor. */
function keeps(
  e: PlannedEvent,
  story: { hospital: { from: number; until: number } | undefined; deadFrom: number; fallAt: number },
): boolean {
  if (e.device === 'motion' && e.at >= story.deadFrom) return false;
  const isActivity = ACTIVITY_TYPES.has(e.event.type);
  if (isActivity && e.at >= story.fallAt) return false;
  if (isActivity && story.hospital && e.at >= story.hospital.from && e.at < story.hospital.until) return false;
  return true;
}

/** Afternoons in a heat wave: the room climbs to 31–34 °C between noon and 18:00. */
function heated(e: PlannedEvent, dayStart: number, rng: Rng): PlannedEvent {
  if (e.event.type !== 'environment' || e.at < dayStart + 12 * HOUR || e.at >= dayStart + 18 * HOUR) return e;
  return { ...e, event: { ...e.event, temperatureC: Math.round(between(rng, 31, 34) * 10) / 10 } };
}

/** With nobody up and about, the power meter shows only the fridge and standby loads. */
function standby(e: PlannedEvent, rng: Rng): PlannedEvent {
  return e.event.type === 'power' ? { ...e, event: { type: 'power', watts: Math.round(between(rng, 50, 110)) } } : e;
}
