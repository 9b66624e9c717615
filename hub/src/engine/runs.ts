import { z } from 'zod';

/**
 * Runs of the resident's activity (issue 18.2): activity with no gap of RUN_GAP_MS or more is one
 * run. A night-time trip to the toilet is a short run (bedroom, toilet, bedroom: a few minutes,
 * then sleep); getting up is the first run that goes on for UP_AFTER_MS. Room names are not used:
 * homes name their rooms as they like, and an open-plan sensor sees no bedroom at all.
 */

const MINUTE = 60_000;
export const RUN_GAP_MS = 30 * MINUTE;
export const UP_AFTER_MS = 30 * MINUTE;

export const run = z.object({ start: z.number(), last: z.number() });
export type Run = z.infer<typeof run>;

/** The run after activity at `at`: the same one continued, or a new one. */
export const extend = (current: Run | undefined, at: number): Run =>
  current && at - current.last < RUN_GAP_MS
    ? { start: current.start, last: Math.max(current.last, at) }
    : { start: at, last: at };

/** Whether a run has gone on long enough to be the day starting rather than a trip. */
export const sustained = (r: Run): boolean => r.last - r.start >= UP_AFTER_MS;

/** When the resident's day (from `dayStart`, 04:00) began, if it has: what a rule keeps to know it. */
export const dayBegun = z.object({ dayStart: z.number(), run: run.nullable(), upSince: z.number().nullable() });
export type DayBegun = z.infer<typeof dayBegun>;

/**
 * The day's start after the activity `confirmed` (presence.ts), on the day from `dayStart`. A run
 * going on at 04:00 that turns out sustained begins the day at 04:00. A rule that starts watching
 * mid-day knows no start of it (`upSince` null), as it cannot know what happened earlier.
 */
export function followDay(previous: DayBegun | undefined, confirmed: readonly number[], dayStart: number): DayBegun {
  const state =
    previous && previous.dayStart === dayStart
      ? { ...previous }
      : { dayStart, run: previous?.run ?? null, upSince: null };
  for (const at of confirmed) {
    state.run = extend(state.run ?? undefined, at);
    if (state.upSince === null && sustained(state.run) && state.run.last >= dayStart)
      state.upSince = Math.max(state.run.start, dayStart);
  }
  return state;
}
