import { z } from 'zod';
import { entityId } from './ids.js';
import { isoTime, localTime, severity } from './api.js';
import { FORMATS } from './formats.js';
import { refinement } from './problems.js';

/**
 * The rule catalogue (PROTOCOL.md, "Rule catalogue"): every rule type with the parameters
 * staff may tune, their defaults from field practice, and the shapes of the rules API.
 */

const minutes = (min: number, max: number) => z.number().int().min(min).max(max);
const positive = z.number().positive();

/** Learned rules wait for this much history before they judge anyone against it. */
const minDays = minutes(7, 90).default(14).describe('Days of history needed before the learned baseline is used');

export const ruleParams = {
  'checkin.missed': z.object({}).strict(),
  'checkin.concern': z.object({}).strict(),
  sos: z.object({}).strict(),
  inactivity: z
    .object({
      durationMinutes: minutes(30, 7 * 24 * 60)
        .default(8 * 60)
        .describe('No activity for this long (counted only inside activeHours when set)'),
    })
    .strict(),
  'silence.unusual': z
    .object({
      marginMinutes: minutes(0, 6 * 60)
        .default(90)
        .describe(
          'Alert this much past the longest silence the resident has at that hour (or marginPct of it, if more)',
        ),
      marginPct: z.number().int().min(0).max(200).default(50).describe('The margin as a share of that silence'),
      floorMinutes: minutes(30, 24 * 60)
        .default(120)
        .describe('Never for a silence shorter than this, however regular the resident'),
      ceilingMinutes: minutes(30, 24 * 60)
        .default(8 * 60)
        .describe(
          'Always for a silence this long counted by day (07:00–21:00), as inactivity does, whatever was learned; also while still learning',
        ),
      minDays,
    })
    .strict(),
  'out.long': z
    .object({
      dayMinutes: minutes(30, 7 * 24 * 60)
        .default(10 * 60)
        .describe('Out this long (left by day, 07:00–21:00) becomes a concern'),
      nightMinutes: minutes(0, 24 * 60)
        .default(60)
        .describe('Out this long into the night (21:00–07:00) becomes a concern'),
    })
    .strict(),
  'wake.late': z
    .object({
      k: positive.max(10).default(3).describe('How many spreads (scaled MAD) past the usual first activity'),
      minDelayMinutes: minutes(15, 6 * 60)
        .default(180)
        .describe('Never earlier than this after the usual time (sleeping in 1½–3 h now and then is common)'),
      minDays,
    })
    .strict(),
  'activity.drop': z
    .object({
      pct: z
        .number()
        .int()
        .min(5)
        .max(95)
        .default(40)
        .describe("Fires when a day's activity is below this % of the usual median"),
      minDays,
    })
    .strict(),
  'night.activity': z
    .object({
      fromHour: z.number().int().min(0).max(23).default(23).describe('Night begins at this local hour'),
      toHour: z.number().int().min(0).max(23).default(5).describe('Night ends at this local hour'),
      k: positive.max(20).default(4).describe('How many spreads above the usual number of times up at night'),
      minTrips: minutes(1, 100).default(5).describe('Never for fewer times up at night than this'),
      minDays,
    })
    .strict()
    .refine(
      (p) => p.fromHour !== p.toHour,
      refinement('hours_must_differ', { message: 'fromHour and toHour must differ', path: ['toHour'] }),
    ),
  'environment.heat': z
    .object({
      thresholdC: z.number().min(20).max(45).default(28),
      durationMinutes: minutes(5, 24 * 60).default(30),
      askFirst: z.boolean().default(true).describe('Ask the resident through the speaker before alerting anyone'),
      answerWaitMinutes: minutes(1, 120).default(15).describe('How long to wait for the resident after asking'),
      hysteresisC: z
        .number()
        .min(0)
        .max(5)
        .default(1)
        .describe('The reading must fall this far back before it counts as over'),
    })
    .strict(),
  'environment.cold': z
    .object({
      thresholdC: z.number().min(-10).max(20).default(10),
      durationMinutes: minutes(5, 24 * 60).default(60),
      askFirst: z.boolean().default(true),
      answerWaitMinutes: minutes(1, 120).default(15),
      hysteresisC: z.number().min(0).max(5).default(1),
    })
    .strict(),
  'usage.continuous': z
    .object({
      minWatts: positive.default(500).describe('Readings at or above this count as "in use"'),
      durationMinutes: minutes(10, 24 * 60).default(120),
    })
    .strict(),
  'device.offline': z
    .object({
      speakerMinutes: minutes(5, 7 * 24 * 60)
        .default(30)
        .describe('Silence after which a speaker or gateway counts as offline'),
      checkInMinutes: minutes(30, 7 * 24 * 60)
        .default(180)
        .describe('Silence after which a device that checks in by itself (a heartbeat) counts as offline'),
      sensorMinutes: minutes(30, 7 * 24 * 60)
        .default(25 * 60)
        .describe(
          'Least silence, in time the resident is at home, before a sensor that reports only changes counts as offline (longer when its own usual silences are)',
        ),
      minDays,
    })
    .strict(),
  'device.battery': z.object({ pct: z.number().int().min(1).max(90).default(15) }).strict(),
} as const;

export type RuleType = keyof typeof ruleParams;

export const RULE_TYPES = Object.keys(ruleParams) as RuleType[];
export const ruleType = z.enum(RULE_TYPES as [RuleType, ...RuleType[]]);
export type RuleParams<T extends RuleType> = z.infer<(typeof ruleParams)[T]>;

/** Rule ids name alerts (`alert.rule`); they never appear in MQTT topics, so dots are fine. */
export const ruleId = z.string().regex(FORMATS.rule_id, 'must be 1–64 lower-case letters, digits, ".", "-" or "_"');

export const activeHours = z
  .object({ from: localTime, to: localTime })
  .strict()
  .refine(
    (h) => h.from !== h.to,
    refinement('hours_must_differ', { message: 'from and to must differ (leave activeHours out for all day)' }),
  )
  .describe('Local time window in the home’s time zone; may wrap midnight (22:00–06:00)');
export type ActiveHours = z.infer<typeof activeHours>;

export const ruleScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('districts'), districts: z.array(z.string().min(1).max(100)).min(1).max(200) }).strict(),
  z.object({ kind: z.literal('homes'), homeIds: z.array(entityId).min(1).max(10_000) }).strict(),
]);
export type RuleScope = z.infer<typeof ruleScope>;

const reason = z.string().trim().min(3).max(500).describe('Why: kept in the version history');
const paramsObject = z.record(z.string(), z.unknown()).describe('Parameters of the rule type (see the catalogue)');

export const ruleInput = z
  .object({
    id: ruleId,
    type: ruleType,
    enabled: z.boolean().default(true),
    severity: severity.optional().describe('Default: the type’s own'),
    params: paramsObject.default({}),
    activeHours: activeHours.nullable().default(null),
    scope: ruleScope.default({ kind: 'all' }),
    reason,
  })
  .strict();
export const ruleUpdate = z
  .object({
    enabled: z.boolean().optional(),
    severity: severity.optional(),
    params: paramsObject.optional().describe('Replaces the parameters; omitted ones take their defaults'),
    activeHours: activeHours.nullable().optional(),
    scope: ruleScope.optional(),
    reason,
  })
  .strict();
export const ruleOverrideInput = z
  .object({
    enabled: z.boolean().optional(),
    params: paramsObject.default({}).describe('Only the parameters that differ for this home'),
    reason,
  })
  .strict();
export const ruleRollback = z.object({ version: z.number().int().min(1), reason }).strict();

export const ruleOverride = z.object({
  homeId: z.string(),
  enabled: z.boolean().nullable(),
  params: z.record(z.string(), z.unknown()),
});
export const rule = z.object({
  id: z.string(),
  type: ruleType,
  enabled: z.boolean(),
  severity,
  params: z.record(z.string(), z.unknown()),
  activeHours: z.object({ from: z.string(), to: z.string() }).nullable(),
  scope: ruleScope,
  overrides: z.array(ruleOverride),
  version: z.number().int(),
  updatedAt: isoTime,
  updatedBy: z.string(),
});
export const ruleVersion = z.object({
  version: z.number().int(),
  changedAt: isoTime,
  changedBy: z.string(),
  reason: z.string(),
  rule: rule.omit({ version: true, updatedAt: true, updatedBy: true }),
});
export type RuleInput = z.infer<typeof ruleInput>;
export type RuleUpdate = z.infer<typeof ruleUpdate>;
export type RuleOverrideInput = z.infer<typeof ruleOverrideInput>;
export type RuleOverride = z.infer<typeof ruleOverride>;
export type Rule = z.infer<typeof rule>;
export type RuleVersion = z.infer<typeof ruleVersion>;

export const backtestInput = z
  .object({
    from: isoTime,
    to: isoTime,
    homes: z.array(entityId).min(1).max(10_000).optional().describe('Default: every home in the rule’s scope'),
    params: paramsObject.optional().describe('Proposed parameters to compare with the live version'),
  })
  .strict()
  .refine(
    (b) => Date.parse(b.to) > Date.parse(b.from),
    refinement('range_reversed', { message: 'to must be after from', path: ['to'] }),
  )
  .refine(
    (b) => Date.parse(b.to) - Date.parse(b.from) <= 93 * 86_400_000,
    refinement('range_too_long', { message: 'at most 93 days', path: ['to'], params: { maxDays: 93 } }),
  );
export type BacktestInput = z.infer<typeof backtestInput>;

export const backtestAlert = z.object({
  homeId: z.string(),
  openedAt: isoTime,
  clearedAt: isoTime.nullable(),
  localDate: z.string().describe('YYYY-MM-DD in the home’s time zone'),
  severity,
  message: z.object({ ja: z.string(), en: z.string() }),
});
export const backtestRun = z.object({
  params: z.record(z.string(), z.unknown()),
  total: z.number().int(),
  incidents: z
    .number()
    .int()
    .describe(
      'Of these alerts, those that would have told the watch-over network of an incident: folded with the alerts the homes’ other rules really raised then, one incident per home; the others would have joined an incident already open',
    ),
  perDay: z.array(z.object({ date: z.string(), count: z.number().int() })),
  perHome: z.array(z.object({ homeId: z.string(), count: z.number().int() })),
  alerts: z.array(backtestAlert),
});
export const backtestResult = z.object({
  ruleId: z.string(),
  from: isoTime,
  to: isoTime,
  homes: z.number().int(),
  events: z.number().int().describe('Stored events the rule reads (its event types) that were replayed'),
  live: backtestRun,
  proposal: backtestRun.nullable(),
  difference: z
    .object({
      onlyLive: z.array(backtestAlert).describe('Would no longer be raised'),
      onlyProposal: z.array(backtestAlert).describe('Would be raised in addition'),
    })
    .nullable()
    .describe('Alerts matched by home and time: two alerts open at the same time at some point are one episode'),
});
export type BacktestAlert = z.infer<typeof backtestAlert>;
export type BacktestRun = z.infer<typeof backtestRun>;
export type BacktestResult = z.infer<typeof backtestResult>;

/** A rule type as GET /api/rule-types describes it, for forms generated from its parameters' schema. */
const words = z.object({ ja: z.string(), en: z.string() });
export const ruleTypeInfo = z.object({
  type: ruleType,
  name: words,
  summary: words.describe('What the rule watches'),
  fields: z
    .record(z.string(), z.object({ label: words, unit: words.optional(), help: words.optional() }))
    .describe('How each parameter is shown on a form: label, unit and help'),
  defaultSeverity: severity,
  learned: z.boolean().describe('Judges against the home’s learned baseline (needs weeks of history first)'),
  pausedByAbsence: z.boolean(),
  params: z.record(z.string(), z.unknown()).describe('JSON Schema of the parameters, with defaults'),
});
export type RuleTypeInfo = z.infer<typeof ruleTypeInfo>;

/** The stored history a backtest can replay (GET /api/history-span), for its default range. */
export const historySpan = z.object({
  from: isoTime.nullable().describe('The oldest stored event; null while the hub holds none'),
  to: isoTime.describe('Now'),
});

export const homeBaseline = z.object({
  homeId: z.string(),
  computedAt: isoTime.nullable().describe('When the nightly job last computed it; null before the first run'),
  days: z.number().int().describe('Days with activity in the last 28'),
  rules: z.array(
    z.object({
      ruleId: z.string(),
      minDays: z.number().int(),
      learning: z.boolean().describe('True while the home has fewer days than the rule needs: it judges nobody yet'),
    }),
  ),
  usualWake: z.string().nullable().describe('Usual first activity, local HH:MM (median)'),
  wakeSpreadMinutes: z.number().nullable().describe('Spread of the first activity: scaled MAD, at least 10'),
  dailyActivity: z.number().nullable().describe('Median activity events per day'),
  withoutDevices: z
    .array(z.string())
    .describe(
      'Activity sensors presumed dead when it was computed: it was learned from the other sensors only, as they see the home now',
    ),
});
export type HomeBaseline = z.infer<typeof homeBaseline>;
