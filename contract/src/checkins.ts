import { z } from 'zod';
import { checkinAnswer, checkinItem, checkinItems } from './events.js';
import { entityId } from './ids.js';
import { isoTime, localTime, patchFields, timezone } from './api.js';
import { FORMATS } from './formats.js';
import { refinement } from './problems.js';

/**
 * Check-in shapes of the HTTP API (PROTOCOL.md, HTTP API and rule `checkin.missed`):
 * schedules per resident, absences per home, status and history per resident.
 */

/** Five-field cron (minute hour day-of-month month day-of-week); checked for real by the hub. */
const cronExpression = z
  .string()
  .trim()
  .regex(FORMATS.cron, 'must be a five-field cron expression such as "0 9 * * *"');

const scheduleFields = {
  cron: cronExpression.describe('When to ask, e.g. "0 9 * * *" for 9:00 every day'),
  timezone: timezone.default('Asia/Tokyo'),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60)
    .describe('How long an answer is awaited after the prompt'),
  reprompts: z.number().int().min(0).max(10).default(2).describe('How many times the question is asked again'),
  repromptEveryMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(20),
  items: z.array(checkinItem).max(4).default([]).describe('Structured questions: health, medication, sleep, meal'),
  voluntaryLeadMinutes: z
    .number()
    .int()
    .min(0)
    .max(12 * 60)
    .default(120)
    .describe('A voluntary check-in ("おはよう", the speaker button) this long before the prompt satisfies it'),
  satisfiedBy: z
    .enum(['answer', 'activity'])
    .default('answer')
    .describe('`activity`: motion, door or power activity in the home since `activityFrom` also counts'),
  activityFrom: localTime
    .default('04:00')
    .describe('Local time from which activity counts when satisfiedBy is activity'),
  pausedUntil: isoTime
    .nullable()
    .default(null)
    .describe('A pause always has an end; check-ins resume by themselves then'),
};

const windowOutlastsReprompts = (s: { windowMinutes: number; reprompts: number; repromptEveryMinutes: number }) =>
  s.windowMinutes > s.reprompts * s.repromptEveryMinutes;
const windowMessage = refinement('window_too_short', { path: ['windowMinutes'] });

export const checkinScheduleInput = z
  .object({ ...scheduleFields })
  .strict()
  .refine(windowOutlastsReprompts, windowMessage);
export const checkinScheduleUpdate = z.object(patchFields(scheduleFields)).strict();
/** A schedule's next prompts before it is saved, from the hub's own cron arithmetic. */
export const schedulePreviewInput = z.object({ cron: scheduleFields.cron, timezone: scheduleFields.timezone }).strict();
export const schedulePreview = z.object({ times: z.array(isoTime).describe('The next five prompts') });
export const checkinSchedule = z.object({
  id: z.string(),
  residentId: z.string(),
  homeId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  windowMinutes: z.number().int(),
  reprompts: z.number().int(),
  repromptEveryMinutes: z.number().int(),
  items: z.array(checkinItem),
  voluntaryLeadMinutes: z.number().int(),
  satisfiedBy: z.enum(['answer', 'activity']),
  activityFrom: z.string(),
  pausedUntil: isoTime.nullable(),
  nextDueAt: isoTime.nullable().describe('The next scheduled prompt; null while paused past the horizon'),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type CheckinScheduleInput = z.infer<typeof checkinScheduleInput>;
export type CheckinScheduleUpdate = z.infer<typeof checkinScheduleUpdate>;
export type CheckinSchedule = z.infer<typeof checkinSchedule>;

export const ABSENCE_REASONS = ['hospital', 'trip', 'day_service', 'family', 'other'] as const;
export const absenceReason = z.enum(ABSENCE_REASONS);
export type AbsenceReason = z.infer<typeof absenceReason>;
/** An absence longer than this needs a confirmation with a reason (issue 19 item 5): a forgotten one stops a home's watch. */
export const ABSENCE_MAX_DAYS = 90;
const confirmLong = z
  .object({ reason: z.string().trim().min(3).max(500) })
  .strict()
  .optional()
  .describe(
    `Staff only: register an absence ending more than ${ABSENCE_MAX_DAYS} days from now, for this reason (audited)`,
  );

export const absenceInput = z
  .object({
    reason: absenceReason.describe('hospital (入院), trip (旅行), day_service (デイサービス), family (家族宅), other'),
    note: z.string().max(500).optional(),
    startsAt: isoTime.optional().describe('Default: now'),
    endsAt: isoTime.describe(
      `Required: every absence ends, and monitoring resumes by itself then; at most ${ABSENCE_MAX_DAYS} days from now without confirmLong`,
    ),
    confirmLong,
  })
  .strict();
export const absenceUpdate = z
  .object({
    endsAt: isoTime.optional().describe('Extend or shorten'),
    note: z.string().max(500).optional(),
    confirmLong,
  })
  .strict();
export const absence = z.object({
  id: z.string(),
  homeId: z.string(),
  homeName: z.string(),
  reason: absenceReason,
  note: z.string().nullable(),
  startsAt: isoTime,
  endsAt: isoTime,
  active: z.boolean(),
  createdBy: z.string().describe('Username of who registered it'),
  createdAt: isoTime,
  updatedBy: z.string().nullable(),
  updatedAt: isoTime,
});
export type AbsenceInput = z.infer<typeof absenceInput>;
export type AbsenceUpdate = z.infer<typeof absenceUpdate>;
export type Absence = z.infer<typeof absence>;

export const absenceListQuery = z.object({
  upcoming: z.enum(['true', 'false']).default('false').describe('Also list absences that have not started yet'),
});

/** Why someone is away (入院…) and the note are health detail: null for a watcher without health consent. */
export const absenceAsSeen = absence.extend({ reason: absenceReason.nullable(), note: z.string().nullable() });

/** How one scheduled check-in ended (or stands). */
export const checkinOutcome = z.enum([
  'pending', // prompted, awaiting an answer
  'answered', // answered within the window
  'satisfied', // a voluntary check-in or activity counted instead
  'missed', // no answer by the end of the window
  'absent', // not asked: an absence was registered
  'paused', // not asked: the schedule was paused
  'not_asked', // not asked: the hub was down at the time
]);
export type CheckinOutcome = z.infer<typeof checkinOutcome>;

export const checkinRecord = z.object({
  id: z.string().describe('Also the promptId sent to the speaker'),
  scheduleId: z.string(),
  residentId: z.string(),
  homeId: z.string(),
  dueAt: isoTime,
  localDate: z.string().describe('YYYY-MM-DD in the schedule time zone, for calendars'),
  outcome: checkinOutcome,
  promptsSent: z.number().int(),
  answer: checkinAnswer.nullable(),
  items: checkinItems.nullable(),
  answeredAt: isoTime.nullable(),
  lateAnswerAt: isoTime.nullable().describe('An answer that came after the window closed'),
  satisfiedBy: z.enum(['voluntary', 'activity']).nullable(),
  detectedLate: z.string().nullable().describe('Set when the window closed while the hub was down'),
});
export type CheckinRecord = z.infer<typeof checkinRecord>;
export const checkinHistoryQuery = z.object({
  from: isoTime,
  to: isoTime,
  residentId: entityId.optional(),
});

export const residentCheckinState = z.enum(['up', 'pending', 'late', 'missed', 'absent', 'paused']);
export type ResidentCheckinState = z.infer<typeof residentCheckinState>;
export const checkinStatus = z.object({
  residentId: z.string(),
  residentName: z.string(),
  homeId: z.string(),
  status: residentCheckinState,
  since: isoTime.nullable().describe('When the resident entered this status, where known'),
  consecutiveMisses: z.number().int(),
  lastAnsweredAt: isoTime.nullable(),
  nextDueAt: isoTime.nullable(),
  absence: absence.nullable(),
});
export type CheckinStatus = z.infer<typeof checkinStatus>;
