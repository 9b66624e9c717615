import { z } from 'zod';
import type { DaySummary } from './day-summary.js';

/**
 * What the hub has learned of one home from its own last 28 days (day-summary.ts), so that the
 * learned rules judge a resident against themselves. Robust statistics (medians, the median
 * absolute deviation, second-largest values), because daily routines are skewed: one late
 * morning after a festival must not move "usual" by much. Every figure carries how many days
 * it rests on, and a rule judges only once that is enough (`minDays`): a baseline says how
 * sure it is (issue 18.2).
 */

const MINUTE = 60_000;
/** How many past days a baseline looks at. */
export const BASELINE_DAYS = 28;
/** Days of one weekday before that weekday may have a usual time of its own. */
const WEEKDAY_MIN_DAYS = 4;
/** A device seen on fewer learned days than this is not judged by its silence: it is not known well enough. */
const DEVICE_MIN_DAYS = 4;

const stat = z.object({ median: z.number(), spread: z.number(), days: z.number().int() });
export type Stat = z.infer<typeof stat>;

export const baseline = z.object({
  /** The shape's version: a stored baseline of another is relearned at start-up. */
  version: z.literal(4),
  /** Days learned from: days with the resident's activity, outside registered absences. */
  days: z.number().int(),
  /** When the day usually begins (minutes after 04:00), overall and per weekday where enough days say so. */
  wake: stat.nullable(),
  wakeByWeekday: z.array(stat.extend({ shifted: z.boolean() }).nullable()).length(7),
  /** The resident's activity in a usual day (median of the days' counts). */
  dailyActivity: z.number().nullable(),
  /** Runs of activity begun in each local hour, per learned day (night.activity sums its own night hours). */
  runs: z.array(z.array(z.number().int()).length(24)),
  /** Per local hour, the longest silence the resident is ever in at that hour (second-largest day), and of how many days. */
  silence: z.array(z.object({ usual: z.number(), days: z.number().int() })).length(24),
  /**
   * Per device: whether it checks in by itself, its usual longest silence (real time, and home
   * time), and its share of the home's signals of activity over the learned days.
   */
  devices: z.record(
    z.string(),
    z.object({
      checksIn: z.boolean(),
      usualGap: z.number(),
      usualHomeGap: z.number(),
      share: z.number(),
      days: z.number().int(),
    }),
  ),
  /**
   * Activity sensors presumed dead when this was learned, whose messages it was learned without
   * (working-sensors.ts): the share of the home's signals of activity each gave while it worked,
   * and its last message then.
   */
  without: z.record(z.string(), z.object({ share: z.number(), lastHeard: z.number() })),
});
export type Baseline = z.infer<typeof baseline>;

/** A stored baseline as the rules read it; one of an older shape is relearned by the baseline job at start-up. */
export function learnedOf(stored: unknown): Baseline | undefined {
  const parsed = baseline.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** The baseline learned from the days given (oldest first; at most the last BASELINE_DAYS with activity are used). */
export function learn(summaries: readonly DaySummary[]): Baseline {
  const days = summaries.filter((d) => d.count > 0 && !d.absent).slice(-BASELINE_DAYS);
  const ups = (these: readonly DaySummary[]) => these.flatMap((d) => (d.upAt === null ? [] : [d.upAt]));
  const wake = ups(days).length > 0 ? robustStats(ups(days), 10) : null;
  return {
    version: 4,
    days: days.length,
    wake,
    wakeByWeekday: Array.from({ length: 7 }, (_, weekday) => {
      const these = ups(days.filter((d) => d.weekday === weekday));
      if (!wake || these.length < WEEKDAY_MIN_DAYS) return null;
      const side = (v: number) => Math.sign(v - wake.median) * (Math.abs(v - wake.median) > 2 * wake.spread ? 1 : 0);
      const shifted = these.every((v) => side(v) !== 0 && side(v) === side(these[0] ?? 0));
      return { ...robustStats(these, 10), shifted };
    }),
    dailyActivity: days.length > 0 ? median(days.map((d) => d.count)) : null,
    runs: days.map((d) => d.runsByHour),
    silence: Array.from({ length: 24 }, (_, hour) => {
      const seen = days.flatMap((d) => (d.silence[hour] === null ? [] : [d.silence[hour] ?? 0]));
      return { usual: secondLargest(seen), days: seen.length };
    }),
    devices: learnDevices(days),
    without: {},
  };
}

function learnDevices(days: readonly DaySummary[]): Baseline['devices'] {
  const ids = new Set(days.flatMap((d) => Object.keys(d.devices)));
  const activity = new Map(
    [...ids].map((id) => [id, days.reduce((sum, d) => sum + (d.devices[id]?.activity ?? 0), 0)]),
  );
  const all = [...activity.values()].reduce((sum, n) => sum + n, 0);
  return Object.fromEntries(
    [...ids].map((id) => {
      const seen = days.flatMap((d) => (d.devices[id] ? [d.devices[id]] : []));
      return [
        id,
        {
          checksIn: seen.filter((s) => s.heartbeats > 0).length * 2 >= days.length,
          usualGap: secondLargest(seen.map((s) => s.longestGap)),
          usualHomeGap: secondLargest(seen.map((s) => s.longestHomeGap)),
          share: all > 0 ? (activity.get(id) ?? 0) / all : 0,
          days: seen.length,
        },
      ];
    }),
  );
}

/** Whether a device is known well enough to be judged by its silence. */
export const knownDevice = (b: Baseline, deviceId: string) => (b.devices[deviceId]?.days ?? 0) >= DEVICE_MIN_DAYS;

/**
 * How long (minutes) a known device may be silent before its own history says it is dead: twice
 * its usual longest gap for one that checks in by itself; for a sensor that reports only changes,
 * three times its usual longest silence while the resident was at home (a door used every few
 * days has silences that vary as much as chance: less than three times the second-longest of
 * four weeks called working doors dead).
 */
export const learnedSilenceLimit = (learned: Baseline['devices'][string]): number =>
  learned.checksIn ? 2 * learned.usualGap : 3 * learned.usualHomeGap;

/** A known device last heard at `heardAt` and silent since (in real time, the resident out or not) for longer than its learned limit. */
export function silentPastLimit(b: Baseline, deviceId: string, heardAt: number | undefined, now: number): boolean {
  const learned = b.devices[deviceId];
  if (!learned || heardAt === undefined || !knownDevice(b, deviceId)) return false;
  return now - heardAt > learnedSilenceLimit(learned) * MINUTE;
}

/**
 * When the resident's day usually begins on the weekday of `weekday`: that weekday's own
 * statistics where it has enough days and every one of them began more than two spreads from
 * the usual time on the same side (a day-care day, a Sunday lie-in), else every day's.
 */
export function usualWake(b: Baseline, weekday: number): Stat | null {
  const own = b.wakeByWeekday[weekday];
  return b.wake && own?.shifted ? own : b.wake;
}

/** Night trips (runs begun in the local hours [fromHour, toHour), wrapping midnight) of each learned day. */
export function nightRuns(b: Baseline, fromHour: number, toHour: number): number[] {
  return b.runs.map((hours) => hours.reduce((sum, n, hour) => (inNight(hour, fromHour, toHour) ? sum + n : sum), 0));
}

export const inNight = (hour: number, fromHour: number, toHour: number): boolean =>
  fromHour < toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The second-largest value: the most a resident is ever like this, less the one day that was not like any other. */
export function secondLargest(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => b - a);
  return sorted[1] ?? sorted[0] ?? 0;
}

/**
 * The median and a robust spread: the median absolute deviation scaled by 1.4826, so that it
 * matches a standard deviation on normal data, but with a floor, since a resident who rises at
 * 6:30 sharp every day must not be "late" at 6:36.
 */
export function robustStats(values: readonly number[], floor: number): Stat {
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m)));
  return { median: m, spread: Math.max(1.4826 * mad, floor), days: values.length };
}
