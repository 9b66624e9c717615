import { z } from 'zod';
import { deviceKind } from './device-kinds.js';
import { EVENT_TYPES } from './event-meanings.js';
import { entityId } from './ids.js';
import { language } from './commands.js';
import { FORMATS } from './formats.js';
import { PROBLEMS, refinement } from './problems.js';

/**
 * HTTP API shapes (PROTOCOL.md, HTTP API). The hub validates requests and serialises
 * responses with these, OpenAPI is generated from them, and clients import them.
 * Times in responses are ISO 8601 strings in UTC.
 */
export const isoTime = z.iso.datetime({ offset: true });
export const localTime = z.string().regex(FORMATS.local_time, 'must be a local time HH:MM');

type Optionalised<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K]>;
};

/**
 * The fields of a PATCH body: each optional and stripped of its default, so a field the client
 * leaves out keeps its stored value (`.partial()` would fill in the default and overwrite it).
 */
export function patchFields<S extends z.ZodRawShape>(shape: S): Optionalised<S> {
  const fields = Object.entries(shape).map(([key, field]) => {
    const inner = (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType;
    return [key, inner.optional()];
  });
  return Object.fromEntries(fields) as Optionalised<S>;
}

/** One field's problem in an error body: `body.tiers.0.hours.from`, its problem and parameters, and zod's English. */
export const fieldError = z.object({
  field: z.string(),
  message: z.string(),
  problem: z.enum(PROBLEMS),
  params: z.record(z.string(), z.unknown()),
});
export type FieldError = z.infer<typeof fieldError>;

export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('The kind of error, one per HTTP status: bad_request, forbidden, conflict, …'),
    message: z.string().describe('What went wrong, in English'),
    problem: z
      .enum(PROBLEMS)
      .optional()
      .describe('What went wrong as a stable code; render it with `params` in the user’s language'),
    params: z.record(z.string(), z.unknown()).optional().describe('The parameters of `problem`'),
    field: z.string().optional().describe('The field the problem is about (body.cron, querystring.to)'),
    details: z.array(fieldError).optional().describe('Every field that failed validation'),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const role = z.enum(['admin', 'staff', 'volunteer', 'family']);
export type Role = z.infer<typeof role>;

export const loginInput = z.object({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});
export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
});
export type User = z.infer<typeof user>;
export const me = z.object({ user });

export const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, refinement('timezone_unknown'));

/** How the resident's agreement was given (issue 19 item 1). */
export const consentMethod = z.enum(['paper_form', 'in_person', 'by_phone', 'family_on_behalf']);
export type ConsentMethod = z.infer<typeof consentMethod>;

export const phoneNumber = z.string().trim().regex(FORMATS.phone, 'must be a phone number such as 090-1234-5678');

/**
 * What the resident agreed a volunteer or family watcher may see, beyond the emergency minimum
 * (what happened, since when, the address and the response plan), which they always see.
 */
export const consent = z.object({
  health: z.boolean().default(false).describe('Check-in answers and what the alert says about health'),
  activity: z.boolean().default(false).describe('Sensor activity and the home’s routine'),
  medical: z.boolean().default(false).describe('Medical notes of the response plan'),
  recordedAt: isoTime.optional().describe('When the resident agreed (the paper form’s date)'),
  method: consentMethod.optional().describe('How the agreement was given'),
  recordedBy: z
    .string()
    .max(128)
    .optional()
    .describe('Username of who recorded it; set by the hub whenever the consent changes'),
});
export type Consent = z.infer<typeof consent>;
export const NO_CONSENT: Consent = { health: false, activity: false, medical: false };

/** What a watcher at the door needs to know. */
export const responsePlan = z.object({
  keyHolder: z.string().trim().max(200).optional().describe('Who holds a key (e.g. 隣の田中さん)'),
  keyHolderPhone: phoneNumber.optional().describe('Their phone number, for the person at the door to call'),
  entryConsent: z.boolean().default(false).describe('The resident agreed that watchers may enter when nobody answers'),
  medicalNotes: z.string().trim().max(1000).optional().describe('Shown to volunteers only with medical consent'),
  notes: z.string().trim().max(1000).optional().describe('Anything else for the person at the door'),
});
export type ResponsePlan = z.infer<typeof responsePlan>;
export const EMPTY_PLAN: ResponsePlan = { entryConsent: false };

export const homeInput = z.object({
  id: entityId.optional().describe('Chosen id; generated when omitted'),
  name: z.string().min(1).max(200),
  address: z.string().max(500).optional(),
  district: z.string().max(100).optional(),
  timezone: timezone.default('Asia/Tokyo'),
  consent: consent.default(NO_CONSENT),
  responsePlan: responsePlan.default(EMPTY_PLAN),
});
export const homeUpdate = z.object(patchFields(homeInput.omit({ id: true }).shape));
export const home = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  district: z.string().nullable(),
  timezone: z.string(),
  consent,
  responsePlan,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Home = z.infer<typeof home>;
export type HomeInput = z.infer<typeof homeInput>;
export type HomeUpdate = z.infer<typeof homeUpdate>;

export const residentInput = z.object({
  id: entityId.optional(),
  name: z.string().min(1).max(200),
  reading: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(FORMATS.kana, 'must be written in hiragana or katakana (さとう はな)')
    .nullable()
    .optional()
    .describe(
      'How the name is read, in kana (さとう はな): the speaker says the name from this, since a speech synthesiser may misread a family name written in kanji. null removes it',
    ),
  language: language.default('ja'),
  missTolerance: z
    .number()
    .int()
    .min(1)
    .max(14)
    .default(1)
    .describe('Consecutive missed check-ins before checkin.missed alerts (岐阜市 waits for 2 days); default 1'),
});
export const residentUpdate = z.object(patchFields(residentInput.omit({ id: true }).shape));
export const resident = z.object({
  id: z.string(),
  homeId: z.string(),
  name: z.string(),
  reading: z.string().nullable(),
  language,
  missTolerance: z.number().int(),
  createdAt: isoTime,
});
export type Resident = z.infer<typeof resident>;
export type ResidentInput = z.infer<typeof residentInput>;
export type ResidentUpdate = z.infer<typeof residentUpdate>;

export const deviceInput = z.object({
  id: entityId.optional().describe('Chosen id (the MQTT username); generated when omitted'),
  homeId: entityId,
  kind: deviceKind,
  name: z.string().max(200).optional(),
  z2mName: z
    .string()
    .min(1)
    .max(100)
    .regex(FORMATS.z2m_name, 'must not contain "/", "+" or "#"')
    .refine((name) => !name.includes('\0'), 'must not contain NUL')
    .optional()
    .describe('Zigbee2MQTT friendly name: its state on mimamori/v1/{homeId}/z2m/{name} becomes this device’s events'),
});
export const device = z.object({
  id: z.string(),
  homeId: z.string(),
  kind: deviceKind,
  name: z.string().nullable(),
  hasCredentials: z.boolean(),
  online: z.boolean(),
  lastSeenAt: isoTime.nullable(),
  battery: z.number().nullable(),
  z2mName: z.string().nullable(),
  credentialsIssuedAt: isoTime
    .nullable()
    .describe('When its current secret was issued; with no lastSeenAt, the device has never been heard from'),
  createdAt: isoTime,
});
export type Device = z.infer<typeof device>;
export type DeviceInput = z.infer<typeof deviceInput>;
export const deviceCredentials = z.object({
  deviceId: z.string(),
  username: z.string(),
  password: z.string().describe('Shown once; only a hash is stored'),
  topicPrefix: z.string(),
  mqttUrl: z.string().describe('Where the device connects: this hub’s broker as the caller reached the hub'),
  topics: z.object({ event: z.string(), status: z.string(), command: z.string() }),
  issuedAt: isoTime,
});
export type DeviceCredentials = z.infer<typeof deviceCredentials>;

export const eventQuery = z.object({
  from: isoTime.describe('Inclusive start (ISO 8601 with offset)'),
  to: isoTime.describe('Exclusive end (ISO 8601 with offset)'),
  type: z.enum(EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const eventRecord = z.object({
  seq: z.number().int(),
  homeId: z.string(),
  deviceId: z.string(),
  eventId: z.string(),
  type: z.enum(EVENT_TYPES),
  ts: isoTime,
  receivedAt: isoTime,
  data: z.record(z.string(), z.unknown()),
});
export type EventRecord = z.infer<typeof eventRecord>;

export const severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severity>;
export const alertStatus = z.enum(['open', 'acknowledged', 'resolved', 'auto_resolved']);
/** How an alert ended, as the person who went reports it; per-rule precision in reports comes from these. */
export const ALERT_OUTCOMES = [
  'fine',
  'asleep',
  'out',
  'hospital',
  'ambulance',
  'deceased',
  'device_fault',
  'false_alarm_other',
] as const;
export const alertOutcome = z.enum(ALERT_OUTCOMES);
export type AlertOutcome = z.infer<typeof alertOutcome>;
export const alert = z.object({
  id: z.string(),
  homeId: z.string(),
  residentId: z.string().nullable(),
  rule: z.string(),
  severity,
  status: alertStatus,
  message: z.object({ ja: z.string(), en: z.string() }),
  openedAt: isoTime,
  updatedAt: isoTime,
  fireCount: z.number().int().describe('How many times its cause fired: a second SOS press makes 2'),
  lastFiredAt: isoTime.describe('When it last fired (openedAt when it fired once)'),
  acknowledgedBy: z.string().nullable().describe('Username of the watcher who said "向かいます"'),
  acknowledgedByName: z.string().nullable().describe('Their display name'),
  acknowledgedAt: isoTime.nullable(),
  resolvedAt: isoTime.nullable(),
  outcome: alertOutcome.nullable(),
  note: z.string().nullable(),
  occurredAt: isoTime
    .nullable()
    .describe('When its cause happened (the device’s time of the SOS press or answer); null when a deadline found it'),
  lateReport: z
    .boolean()
    .describe('Its cause was too old to page anyone for (alerts.lateReportHours): staff were told, no tier was paged'),
  incidentId: z
    .string()
    .nullable()
    .describe(
      'The home’s incident it belongs to (the id of the alert that leads it; its own id when it leads one): one notification and one escalation for related alerts of a home. Null: an alert of its own (an SOS, a help answer, a hot room)',
    ),
});
export type Alert = z.infer<typeof alert>;
export const alertResolveInput = z
  .object({
    outcome: alertOutcome.describe(
      'fine (元気だった), asleep, out (外出), hospital (入院), ambulance (救急搬送), deceased, device_fault, false_alarm_other',
    ),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type AlertResolveInput = z.infer<typeof alertResolveInput>;
export const alertTimelineEntry = z.object({
  at: isoTime,
  kind: z
    .string()
    .describe(
      'opened, refired (detail.message: the words a repeat gave the alert, when it said something new), severity_raised, acknowledged, released, resolved, auto_resolved; on an incident’s lead also reason_added and reason_over (detail: the reason’s alertId, rule and message)',
    ),
  actor: z.string().nullable(),
  detail: z.unknown(),
});
/** One notification of an alert, as staff see it (healthchecks shows each transport's last error the same way). */
export const alertDelivery = z.object({
  channel: z.string().describe('email, push, webhook, speaker, …'),
  recipient: z
    .string()
    .nullable()
    .describe('The watcher told (display name); null for a webhook or the home’s speakers'),
  to: z.string().nullable().describe('The e-mail address, or the webhook’s name or host; null for push and speakers'),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: isoTime.nullable().describe('When a pending delivery is tried again'),
  deliveredAt: isoTime.nullable(),
});
export type AlertDelivery = z.infer<typeof alertDelivery>;
export const alertDetail = alert.extend({
  timeline: z.array(alertTimelineEntry),
  deliveries: z
    .array(alertDelivery)
    .optional()
    .describe('Staff only: every notification of the alert, how it went and its last error'),
});
export type AlertDetail = z.infer<typeof alertDetail>;
export const alertQuery = z.object({
  status: alertStatus.optional(),
  homeId: entityId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const health = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});
