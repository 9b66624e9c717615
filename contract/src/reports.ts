import { z } from 'zod';
import { ALERT_OUTCOMES, isoTime, severity } from './api.js';
import { FORMATS } from './formats.js';

/** The monthly report the municipality's evaluation committee reviews (PROTOCOL.md, HTTP API). */
export const monthlyReportQuery = z.object({
  month: z.string().regex(FORMATS.month, 'must be a month YYYY-MM'),
});

const minutes = z.object({
  count: z.number().int(),
  median: z.number().nullable().describe('Minutes; null when there is nothing to measure'),
  p90: z.number().nullable(),
});

export const monthlyReport = z.object({
  month: z.string(),
  timezone: z.string(),
  from: isoTime,
  to: isoTime,
  alerts: z.object({
    total: z.number().int(),
    byRule: z.array(z.object({ rule: z.string(), severity, count: z.number().int() })),
  }),
  response: z.object({
    toAcknowledge: minutes.describe('From opening to the first "向かいます"'),
    toResolve: minutes.describe('From opening to resolved by a person'),
  }),
  outcomes: z.array(
    z.object({
      rule: z.string(),
      resolved: z.number().int().describe('Resolved by a person with an outcome'),
      autoResolved: z.number().int().describe('Cleared by themselves before anyone resolved them'),
      byOutcome: z.record(z.enum(ALERT_OUTCOMES), z.number().int()),
      falseAlarmShare: z
        .number()
        .nullable()
        .describe(
          'Share of resolved alerts where nobody needed help: fine, asleep, out, device_fault, false_alarm_other',
        ),
    }),
  ),
  checkins: z.object({
    scheduled: z.number().int(),
    answered: z.number().int(),
    satisfied: z.number().int(),
    missed: z.number().int(),
    notAsked: z.number().int().describe('Absent, paused, or the hub was down'),
    answerRate: z.number().nullable().describe('(answered + satisfied) / (answered + satisfied + missed)'),
  }),
  absences: z.object({
    count: z.number().int().describe('Absences overlapping the month'),
    byReason: z.record(z.string(), z.number().int()),
    days: z.number().describe('Days of absence within the month, summed over homes'),
  }),
});
export type MonthlyReport = z.infer<typeof monthlyReport>;

export const auditQuery = z.object({
  homeId: z.string().max(64).optional(),
  actor: z.string().max(128).optional(),
  action: z
    .string()
    .max(64)
    .optional()
    .describe('e.g. network.update; a prefix ending in "." (network.) matches all of them'),
  from: isoTime.optional(),
  to: isoTime.optional(),
  before: z.coerce.number().int().min(1).optional().describe('Page back: entries with a smaller id'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** One row of the audit log (GET /api/audit, admins): who saw which home's personal data, or changed what. */
export const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z
    .string()
    .describe(
      'e.g. home.view, alert.view, events.view, rule.update, network.update, absence.create, home.update; access.refused: a watcher was refused a home outside their network',
    ),
  homeId: z.string().nullable(),
  subject: z.string().nullable(),
  detail: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
