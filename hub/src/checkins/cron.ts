import { CronExpressionParser } from 'cron-parser';

/**
 * Cron arithmetic in a resident's time zone. node-cron only runs tasks; it cannot say when an
 * expression fires next, which the one-scheduler design needs, so cron-parser does this.
 */

/** Why the expression is unusable, or undefined when it parses. */
export function cronProblem(expression: string, timezone: string): string | undefined {
  try {
    CronExpressionParser.parse(expression, { tz: timezone, strict: false });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Known answers of `nextAfter`, per expression and zone: `next` is the first firing after every
 * instant in [from, next). cron-parser steps through a zone's local time with luxon and takes
 * milliseconds per call; 100,000 residents on the same "0 9 * * *" ask the same question at
 * start-up and again at every 9:00 (issue 7's scale benchmark), which this answers from memory.
 */
const known = new Map<string, { from: number; next: number }[]>();
/** Intervals kept per expression and zone; the newest are the ones asked about. */
const KNOWN_PER_KEY = 8;
/** Distinct expression+zone pairs remembered before the memory starts afresh. */
const KNOWN_KEYS = 10_000;

/** The first time the expression fires strictly after `after` (epoch ms). */
export function nextAfter(expression: string, timezone: string, after: number): number {
  const key = `${timezone} ${expression}`;
  const intervals = known.get(key);
  const hit = intervals?.find((i) => i.from <= after && after < i.next);
  if (hit) return hit.next;
  const parsed = CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(after) });
  const next = parsed.next().getTime();
  // No firing lies in (after, next), so every instant in [after, next) has the same answer.
  const same = intervals?.find((i) => i.next === next);
  if (same) same.from = Math.min(same.from, after);
  else if (intervals) {
    intervals.push({ from: after, next });
    if (intervals.length > KNOWN_PER_KEY) intervals.shift();
  } else {
    if (known.size >= KNOWN_KEYS) known.clear();
    known.set(key, [{ from: after, next }]);
  }
  return next;
}

/** The latest time the expression fires at or before `at`, e.g. the last "04:00" local. */
export function latestAtOrBefore(expression: string, timezone: string, at: number): number {
  const parsed = CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(at + 1) });
  return parsed.prev().getTime();
}

/** "HH:MM" local time of day as a daily cron expression. */
export const dailyAt = (hhmm: string): string => {
  const [hours, minutes] = hhmm.split(':');
  return `${Number(minutes)} ${Number(hours)} * * *`;
};

/** Local calendar date (YYYY-MM-DD) and hour of an instant in a time zone. */
export function localParts(at: number, timezone: string): { date: string; hour: number; time: string } {
  const parts = Object.fromEntries(
    formatter(timezone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}
