import { EVENT_MEANINGS, POWER_ACTIVITY_WATTS, isActivity } from '@mimamori/contract';
import type { StoredEvent } from '../store/index.js';
import { lastLocalMinute, localDate, nextLocalMinute, utcOffsetMs } from '../time/local-time.js';
import { NO_PRESENCE, OUT_AFTER_MS, observe, type PresenceState } from './presence.js';
import { followDay, type DayBegun } from './runs.js';

/**
 * One local day of a home as the learned rules see it, folded from its history by the same
 * presence and runs the rules judge with (issue 18: what is learned is what is judged). A day
 * runs from 04:00 to 04:00 local: a trip to the toilet at 02:00 belongs to the night before.
 */

export const DAY_STARTS_AT_MINUTE = 4 * 60;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What a day says about one device: the silences it ended that day, and its heartbeats. */
export interface DeviceDay {
  /** The longest silence (minutes) this device ended that day. */
  longestGap: number;
  /** The same silence counting only time the resident was at home (out and registered absences left out). */
  longestHomeGap: number;
  /** Messages that only said the device is alive. */
  heartbeats: number;
  /** Its signals of activity (a trigger, the door, power in use), strays included: what share of the home it sees. */
  activity: number;
}

export interface DaySummary {
  /** YYYY-MM-DD of the day's 04:00. */
  date: string;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  /** Minutes after 04:00 the resident's day began: the first run of activity that went on (runs.ts); null without one. */
  upAt: number | null;
  /** The resident's activity (corroborated: strays are not counted). */
  count: number;
  /** Runs of activity that began in each local hour (index 0 = 00:00–01:00): a night trip is one. */
  runsByHour: number[];
  /**
   * The longest silence (minutes since the resident's last activity) reached in each local hour,
   * of silences begun after the day began (upAt) while at home; null when there was none.
   */
  silence: (number | null)[];
  /** Minutes the resident was probably out (the door the last sign of them). */
  outMinutes: number;
  /** A registered absence covered part of the day: it says nothing of the resident's routine. */
  absent: boolean;
  /** Single motion triggers nothing corroborated: a pet, warm air, a glitch. */
  strays: number;
  devices: Record<string, DeviceDay>;
}

interface Interval {
  from: number;
  until: number;
}

interface Activity {
  at: number;
  door: boolean;
}

/**
 * Summarises one home's events (oldest first) read from `from` into local days, up to `until`
 * (the silence going on then counts as far as it has gone). `away` are the home's registered
 * absences: their time is not home time for devices' silences. A device's first message ends a
 * silence at least as long as the time since `from`: a storage room's sensor heard once in four
 * weeks is known to be quiet for weeks, not minutes.
 */
export function summarizeDays(
  events: Iterable<StoredEvent>,
  timezone: string,
  { from, until, away = [] }: { from: number; until: number; away?: readonly Interval[] },
): DaySummary[] {
  const days = new Map<number, DaySummary>();
  const dayOf = dayFinder(timezone);
  const day = (at: number): DaySummary => {
    const start = dayOf(at);
    let found = days.get(start);
    if (!found) {
      found = emptyDay(localDate(start, timezone));
      days.set(start, found);
    }
    return found;
  };

  let presence: PresenceState = NO_PRESENCE;
  const activity: Activity[] = [];
  const messages = new Map<string, number[]>();
  for (const event of events) {
    if (event.ts >= until) break;
    const times = messages.get(event.deviceId);
    if (times) times.push(event.ts);
    else messages.set(event.deviceId, [event.ts]);
    if (EVENT_MEANINGS[event.type].livenessOnly) deviceDay(day(event.ts), event.deviceId).heartbeats++;
    else if (isActivity(event, { powerWatts: POWER_ACTIVITY_WATTS }))
      deviceDay(day(event.ts), event.deviceId).activity++;
    const before = presence.pending;
    const observed = observe(presence, event);
    presence = observed.state;
    // A lone trigger that left the pending ones without being confirmed was nobody.
    for (const at of before) if (!presence.pending.includes(at) && !observed.confirmed.includes(at)) day(at).strays++;
    for (const at of observed.confirmed) activity.push({ at, door: at === event.ts && event.type === 'door' });
  }
  for (const at of presence.pending) day(at).strays++;
  activity.sort((a, b) => a.at - b.at);

  const upSince = new Map<number, number>();
  let begun: DayBegun | undefined;
  for (const { at } of activity) {
    const d = day(at);
    d.count++;
    const dayStart = dayOf(at);
    const before = begun?.run?.start;
    begun = followDay(begun, [at], dayStart);
    if (begun.run?.start === at && before !== at) {
      const hour = localHour(at, timezone);
      d.runsByHour[hour] = (d.runsByHour[hour] ?? 0) + 1;
    }
    if (begun.upSince !== null && !upSince.has(dayStart)) {
      upSince.set(dayStart, begun.upSince);
      d.upAt = Math.round((begun.upSince - dayStart) / MINUTE);
    }
  }
  // Silences while up only: the night's sleep into a morning is wake.late's, not a silence of the day.
  const upBy = (at: number) => upSince.get(dayOf(at)) ?? Infinity;
  const out: Interval[] = [];
  activity.forEach(({ at, door }, i) => {
    const next = activity[i + 1]?.at ?? until;
    if (door && next - at >= OUT_AFTER_MS) out.push({ from: at, until: next });
    else silences(at, next, timezone, day, upBy);
  });
  for (const o of out) {
    // Away when the day began: it began whenever they came home, which says nothing of their mornings.
    for (const [start, d] of days) if (o.from <= start && start < o.until) d.upAt = null;
    for (let at = o.from; at < o.until;) {
      const end = Math.min(o.until, nextLocalMinute(at, timezone, DAY_STARTS_AT_MINUTE));
      day(at).outMinutes += Math.round((end - at) / MINUTE);
      at = end;
    }
  }

  for (const [start, d] of days)
    d.absent = away.some((a) => a.from < nextLocalMinute(start, timezone, DAY_STARTS_AT_MINUTE) && a.until > start);
  const notHome = merge([...away, ...out]);
  for (const [deviceId, times] of messages) {
    times.sort((a, b) => a - b);
    times.forEach((to, i) => {
      const since = times[i - 1] ?? from;
      const gap = (to - since) / MINUTE;
      const homeGap = gap - overlap(notHome, since, to) / MINUTE;
      const seen = deviceDay(day(to), deviceId);
      seen.longestGap = Math.max(seen.longestGap, Math.round(gap));
      seen.longestHomeGap = Math.max(seen.longestHomeGap, Math.round(homeGap));
    });
  }
  return [...days.entries()].sort(([a], [b]) => a - b).map(([, d]) => d);
}

/** A day with nothing in it yet. */
export function emptyDay(date: string): DaySummary {
  return {
    date,
    weekday: new Date(`${date}T00:00:00Z`).getUTCDay(),
    upAt: null,
    count: 0,
    runsByHour: new Array<number>(24).fill(0),
    silence: new Array<number | null>(24).fill(null),
    outMinutes: 0,
    absent: false,
    strays: 0,
    devices: {},
  };
}

function deviceDay(d: DaySummary, deviceId: string): DeviceDay {
  return (d.devices[deviceId] ??= { longestGap: 0, longestHomeGap: 0, heartbeats: 0, activity: 0 });
}

/**
 * The silence from the resident's activity at `from` until `to`: how long it had lasted by the end
 * of each local hour it spans, in the days it had begun after the resident was up (`upBy`).
 */
function silences(
  from: number,
  to: number,
  timezone: string,
  day: (at: number) => DaySummary,
  upBy: (at: number) => number,
): void {
  for (let slot = from; slot < to;) {
    const end = Math.min(to, nextLocalHour(slot, timezone));
    if (from >= upBy(slot)) {
      const d = day(slot);
      const hour = localHour(slot, timezone);
      d.silence[hour] = Math.max(d.silence[hour] ?? 0, Math.round((end - from) / MINUTE));
    }
    slot = end;
  }
}

const localHour = (at: number, timezone: string): number =>
  Math.floor(((((at + utcOffsetMs(timezone, at)) / HOUR) % 24) + 24) % 24);

function nextLocalHour(at: number, timezone: string): number {
  const offset = utcOffsetMs(timezone, at);
  return (Math.floor((at + offset) / HOUR) + 1) * HOUR - offset;
}

/** The 04:00 that begins the day of an instant; instants come roughly in order, so the last day is kept. */
function dayFinder(timezone: string): (at: number) => number {
  let window = { from: 0, until: 0 };
  return (at) => {
    if (at < window.from || at >= window.until)
      window = {
        from: lastLocalMinute(at, timezone, DAY_STARTS_AT_MINUTE),
        until: nextLocalMinute(at, timezone, DAY_STARTS_AT_MINUTE),
      };
    return window.from;
  };
}

function merge(intervals: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const i of [...intervals].sort((a, b) => a.from - b.from)) {
    const last = merged[merged.length - 1];
    if (last && i.from <= last.until) last.until = Math.max(last.until, i.until);
    else merged.push({ ...i });
  }
  return merged;
}

/** How much of [from, to) the (merged, sorted) intervals cover. */
function overlap(intervals: readonly Interval[], from: number, to: number): number {
  let total = 0;
  for (const i of intervals) {
    if (i.from >= to) break;
    if (i.until > from) total += Math.min(i.until, to) - Math.max(i.from, from);
  }
  return total;
}
