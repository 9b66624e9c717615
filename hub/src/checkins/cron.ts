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

/** The first time the expression fires strictly after `after` (epoch ms). */
export function nextAfter(expression: string, timezone: string, after: number): number {
  const parsed = CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(after) });
  return parsed.next().getTime();
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
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), time: `${parts.hour}:${parts.minute}` };
}
