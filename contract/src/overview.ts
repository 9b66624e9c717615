import { z } from 'zod';
import { absenceReason, checkinOutcome } from './checkins.js';
import { checkinAnswer } from './events.js';
import { alert, consent, isoTime, responsePlan } from './api.js';
import { SETUP_STEPS } from './setup.js';

/**
 * A home as one of its watchers may see it (GET /api/homes/:id/overview): what consent allows
 * and nothing more. Fields the resident did not agree to share are null, not missing, so a page
 * can say "not shared" rather than "none".
 */
/** Who lives in a home, as everyone told of its alerts sees them: with the address, part of the emergency minimum. */
export const residentName = z.object({
  id: z.string(),
  name: z.string(),
  reading: z.string().nullable().describe('In kana (さとう はな)'),
});
export type ResidentName = z.infer<typeof residentName>;

export const homeOverview = z.object({
  home: z.object({
    id: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    district: z.string().nullable(),
    timezone: z.string(),
    residents: z.array(residentName),
  }),
  consent,
  responsePlan,
  watchers: z.array(
    z.object({
      tier: z.number().int(),
      tierName: z.string(),
      displayName: z.string(),
      affiliation: z.string().nullable(),
    }),
  ),
  openAlerts: z.array(alert),
  absences: z.array(
    z.object({
      id: z.string(),
      startsAt: isoTime,
      endsAt: isoTime,
      reason: absenceReason.nullable().describe('null without health consent'),
    }),
  ),
  recentCheckins: z
    .array(z.object({ dueAt: isoTime, outcome: checkinOutcome, answer: checkinAnswer.nullable() }))
    .nullable()
    .describe('The last 14 days; null without health consent'),
  activityByHour: z
    .array(z.object({ hour: isoTime, count: z.number().int() }))
    .nullable()
    .describe('Sensor events per hour over the last 7 days; null without activity consent'),
});
export type HomeOverview = z.infer<typeof homeOverview>;

/** Activity sensor events of a home per local day and hour (motion, door, power), for a resident's page. */
export const homeActivityQuery = z.object({
  days: z.coerce.number().int().min(1).max(93).default(28).describe('Days back from today, in the home’s time zone'),
});
export const homeActivity = z.object({
  homeId: z.string(),
  timezone: z.string(),
  days: z.array(
    z.object({
      date: z.string().describe('YYYY-MM-DD in the home’s time zone'),
      hours: z.array(z.number().int()).length(24).describe('Events in each local hour, 0 to 23'),
    }),
  ),
});
export type HomeActivity = z.infer<typeof homeActivity>;

/** A home that is not fully set up, with the steps it lacks (GET /api/setup-status). */
export const homeSetup = z.object({
  homeId: z.string(),
  name: z.string(),
  missing: z.array(z.enum(SETUP_STEPS)).describe('In the order of the guided set-up'),
});
export type HomeSetup = z.infer<typeof homeSetup>;

/** The homes the logged-in user watches (all homes for staff). */
export const watchedHome = z.object({
  id: z.string(),
  name: z.string(),
  district: z.string().nullable(),
  residents: z.array(residentName),
  tiers: z.array(z.number().int()),
});
export type WatchedHome = z.infer<typeof watchedHome>;
