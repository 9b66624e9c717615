/**
 * Wall-clock arithmetic in a home's time zone, fast enough to run per event in a backtest of
 * millions of events. The UTC offset is looked up through Intl once per zone and quarter hour
 * (zones change offset only on such boundaries) and cached; everything else is arithmetic.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BUCKET = 15 * MINUTE;
const CACHE_LIMIT = 200_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone: quarter-hour bucket → offset. Nested maps, so a lookup builds no string. */
const offsets = new Map<string, Map<number, number>>();
let cachedOffsets = 0;

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `timezone`. */
export function utcOffsetMs(timezone: string, at: number): number {
  const bucket = Math.floor(at / BUCKET);
  let zone = offsets.get(timezone);
  const cached = zone?.get(bucket);
  if (cached !== undefined) return cached;
  const start = bucket * BUCKET;
  const p = Object.fromEntries(
    formatter(timezone)
      .formatToParts(start)
      .map((part) => [part.type, Number(part.value)]),
  );
  const offset = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second) - start;
  if (cachedOffsets >= CACHE_LIMIT) {
    offsets.clear();
    cachedOffsets = 0;
    zone = undefined;
  }
  if (!zone) offsets.set(timezone, (zone = new Map()));
  zone.set(bucket, offset);
  cachedOffsets++;
  return offset;
}

/** Minutes after local midnight (0–1439). */
export function localMinuteOfDay(at: number, timezone: string): number {
  const local = at + utcOffsetMs(timezone, at);
  return Math.floor((((local % DAY) + DAY) % DAY) / MINUTE);
}

/** The local calendar date, YYYY-MM-DD. */
export function localDate(at: number, timezone: string): string {
  return new Date(at + utcOffsetMs(timezone, at)).toISOString().slice(0, 10);
}

/** "HH:MM" as minutes after midnight. */
export const minuteOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** "HH:MM" of minutes after midnight. */
export const formatMinuteOfDay = (minutes: number): string => {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * The instant at local time `minutes` on the local date of `at`. Across a DST change the
 * offset at the result, not at `at`, is the one that counts; in a skipped hour the result is
 * the same wall time in the old offset (an hour later on the new clock), as cron does.
 */
export function atLocalMinute(at: number, timezone: string, minutes: number): number {
  const localMidnight = at + utcOffsetMs(timezone, at) - ((((at + utcOffsetMs(timezone, at)) % DAY) + DAY) % DAY);
  const guess = localMidnight + minutes * MINUTE - utcOffsetMs(timezone, at);
  return localMidnight + minutes * MINUTE - utcOffsetMs(timezone, guess);
}

/** The first instant strictly after `at` whose local time is `minutes` after midnight. */
export function nextLocalMinute(at: number, timezone: string, minutes: number): number {
  const today = atLocalMinute(at, timezone, minutes);
  return today > at ? today : atLocalMinute(at + DAY, timezone, minutes);
}

/** The latest instant at or before `at` whose local time is `minutes` after midnight. */
export function lastLocalMinute(at: number, timezone: string, minutes: number): number {
  const today = atLocalMinute(at, timezone, minutes);
  return today <= at ? today : atLocalMinute(at - DAY, timezone, minutes);
}

/** A daily local window; `from` > `to` wraps midnight (22:00–06:00). */
export interface LocalWindow {
  from: number;
  to: number;
}

export const windowOf = (hours: { from: string; to: string }): LocalWindow => ({
  from: minuteOfDay(hours.from),
  to: minuteOfDay(hours.to),
});

export function isInside(at: number, timezone: string, window: LocalWindow): boolean {
  const m = localMinuteOfDay(at, timezone);
  return window.from < window.to ? m >= window.from && m < window.to : m >= window.from || m < window.to;
}

/**
 * The instant at which `duration` ms of time inside `window` have passed since `from`: a
 * daytime inactivity rule counts only daytime. Without a window, simply `from + duration`.
 */
export function afterTimeInside(
  from: number,
  duration: number,
  timezone: string,
  window: LocalWindow | undefined,
): number {
  if (!window) return from + duration;
  let at = from;
  let remaining = duration;
  // Each pass crosses one window or one gap, so a duration of d days needs about 2d + 2 passes.
  for (let pass = 0; pass < 2 * Math.ceil(duration / DAY) + 4; pass++) {
    if (isInside(at, timezone, window)) {
      const closes = nextLocalMinute(at, timezone, window.to);
      if (closes - at >= remaining) return at + remaining;
      remaining -= closes - at;
      at = closes;
    } else {
      at = nextLocalMinute(at, timezone, window.from);
    }
  }
  return at + remaining;
}
