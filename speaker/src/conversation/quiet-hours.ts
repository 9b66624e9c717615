/** A local time window (`22:00`–`06:00` may wrap midnight) in which non-urgent prompts wait. */
export interface QuietHours {
  from: string;
  to: string;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** Local hour, minute, second and millisecond of `at` in `timeZone`. */
function localClock(at: number, timeZone: string): { minute: number; withinMinuteMs: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minute: get('hour') * 60 + get('minute'), withinMinuteMs: at % 60_000 };
}

/**
 * When something that arrives at `now` may be said: now, or the end of the quiet hours it
 * arrived in (a resident woken at 3 a.m. by a routine question is a resident who unplugs the
 * speaker). Time zones with daylight saving may shift the end by that hour on the night it changes.
 */
export function speakableAt(now: number, quiet: QuietHours | undefined, timeZone: string): number {
  if (!quiet) return now;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return now;
  const { minute, withinMinuteMs } = localClock(now, timeZone);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return now;
  const minutesLeft = (to - minute + 1440) % 1440;
  return now + minutesLeft * 60_000 - withinMinuteMs;
}
