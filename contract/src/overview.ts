import { z } from 'zod';
import { absenceReason, checkinOutcome } from './checkins.js';
import { checkinAnswer } from './events.js';
import { alert, consent, isoTime, responsePlan } from './api.js';

/**
 * A home as one of its watchers may see it (GET /api/homes/:id/overview): what consent allows
 * and nothing more. Fields the resident did not agree to share are null, not missing, so a page
 * can say "not shared" rather than "none".
 */
export const homeOverview = z.object({
  home: z.object({
    id: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    district: z.string().nullable(),
    timezone: z.string(),
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

/** The homes the logged-in user watches (all homes for staff). */
export const watchedHome = z.object({
  id: z.string(),
  name: z.string(),
  district: z.string().nullable(),
  tiers: z.array(z.number().int()),
});
export type WatchedHome = z.infer<typeof watchedHome>;
