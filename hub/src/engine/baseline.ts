import type { StoredEvent } from '../store/index.js';
import { lastLocalMinute, localDate, utcOffsetMs } from '../time/local-time.js';
import { isActivity } from '@mimamori/contract';

/**
 * Learned routines of one home, from its own history: what a usual day looks like, so that
 * `wake.late`, `activity.drop` and `night.activity` judge a resident against themselves.
 * Robust statistics (median and MAD), because daily routines are skewed: one late morning
 * after a festival must not move "usual" by much.
 */

/** A baseline day runs from 04:00 to 04:00 local: a night trip at 02:00 belongs to the night before. */
export const DAY_STARTS_AT_MINUTE = 4 * 60;
/** How many past days a baseline looks at. */
export const BASELINE_DAYS = 28;
const MINUTE = 60_000;

/** One local day of a home, counted from its activity events (power does not count). */
export interface DaySummary {
  date: string;
  /** Minutes after 04:00 of the day's first activity; null on a day without any. */
  firstActivity: number | null;
  count: number;
  /** Activity by local hour of the day (index 0 = 00:00–01:00, which is late in the baseline day). */
  hourly: number[];
}

/** The days a baseline is made of: at most BASELINE_DAYS, oldest first, days with activity only. */
export interface Baseline {
  days: DaySummary[];
}

/** Summarises events (oldest first, any mix of homes is not allowed: one home) into local days. */
export function summarizeDays(events: Iterable<StoredEvent>, timezone: string): DaySummary[] {
  const days = new Map<string, DaySummary>();
  for (const event of events) {
    if (!isActivity(event)) continue;
    const dayStart = lastLocalMinute(event.ts, timezone, DAY_STARTS_AT_MINUTE);
    const date = localDate(dayStart, timezone);
    let day = days.get(date);
    if (!day) {
      day = { date, firstActivity: null, count: 0, hourly: new Array<number>(24).fill(0) };
      days.set(date, day);
    }
    const minutesIn = Math.floor((event.ts - dayStart) / MINUTE);
    if (day.firstActivity === null || minutesIn < day.firstActivity) day.firstActivity = minutesIn;
    day.count++;
    const localHour = Math.floor(((((event.ts + utcOffsetMs(timezone, event.ts)) / (60 * MINUTE)) % 24) + 24) % 24);
    day.hourly[localHour] = (day.hourly[localHour] ?? 0) + 1;
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** The baseline for a day: the (at most) BASELINE_DAYS summaries before it with any activity. */
export function baselineBefore(summaries: readonly DaySummary[], date: string): Baseline {
  const before = summaries.filter((d) => d.date < date && d.count > 0);
  return { days: before.slice(-BASELINE_DAYS) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The median and a robust spread: the median absolute deviation scaled by 1.4826, so that it
 * matches a standard deviation on normal data, but with a floor, since a resident who rises at
 * 6:30 sharp every day must not be "late" at 6:36.
 */
export function robustStats(values: readonly number[], floor: number): { median: number; spread: number } {
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m)));
  return { median: m, spread: Math.max(1.4826 * mad, floor) };
}

/** Usual first activity, in minutes after 04:00 local. */
export const wakeStats = (b: Baseline) =>
  robustStats(
    b.days.flatMap((d) => (d.firstActivity === null ? [] : [d.firstActivity])),
    10,
  );
export const dailyActivityMedian = (b: Baseline) => median(b.days.map((d) => d.count));

/** Activity in the local hours [fromHour, toHour) (wrapping midnight) of each baseline day. */
export function nightCounts(b: Baseline, fromHour: number, toHour: number): number[] {
  const hours =
    fromHour < toHour
      ? Array.from({ length: toHour - fromHour }, (_, i) => fromHour + i)
      : [
          ...Array.from({ length: 24 - fromHour }, (_, i) => fromHour + i),
          ...Array.from({ length: toHour }, (_, i) => i),
        ];
  return b.days.map((d) => hours.reduce((sum, h) => sum + (d.hourly[h] ?? 0), 0));
}
