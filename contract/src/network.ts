import { z } from 'zod';
import { isoTime, localTime, patchFields, phoneNumber, role, user } from './api.js';
import { language } from './commands.js';
import { FORMATS } from './formats.js';
import { entityId } from './ids.js';
import { refinement } from './problems.js';

/**
 * The watch-over network of a home (PROTOCOL.md: network), the people in it, and what the
 * resident agreed they may see. Staff edit these; the hub escalates alerts along the tiers.
 */

/** A local time window; `to` before `from` crosses midnight (22:00–06:00). */
export const hoursWindow = z.object({ from: localTime, to: localTime });
export type HoursWindow = z.infer<typeof hoursWindow>;

export const networkTier = z
  .object({
    name: z.string().trim().min(1).max(100).describe('Who this tier is, e.g. 近隣ボランティア・民生委員, 社協, 家族'),
    watchers: z.array(entityId).max(50).default([]).describe('User ids told when the alert reaches this tier'),
    webhooks: z
      .array(z.string().min(1).max(100))
      .max(10)
      .default([])
      .describe('Names of configured webhooks (notify.webhooks[].name) told with this tier, e.g. a LINE group bridge'),
    ackTimeoutMinutes: z
      .number()
      .min(1)
      .max(24 * 60)
      .default(15)
      .describe('How long this tier has to acknowledge before the next tier is told'),
    hours: hoursWindow
      .optional()
      .describe('When this tier can be reached (staff 09:00–17:00); outside it the tier is skipped. Omitted: always'),
  })
  .refine((tier) => tier.watchers.length + tier.webhooks.length > 0, refinement('tier_needs_member'));
export type NetworkTier = z.infer<typeof networkTier>;

const networkFields = {
  tiers: z.array(networkTier).min(1).max(6).describe('In order: tier 1 is told first'),
  criticalStartTier: z.number().int().min(1).max(6).default(1).describe('Where a critical alert (SOS, "help") starts'),
  criticalTiersAtOnce: z
    .number()
    .int()
    .min(1)
    .max(6)
    .default(2)
    .describe('How many tiers a critical alert tells at once, from criticalStartTier'),
  ackReminderMinutes: z
    .number()
    .min(5)
    .max(24 * 60)
    .default(60)
    .describe(
      'An acknowledged alert not resolved by then reminds the acknowledger; twice that, and the next tier is told',
    ),
  announceOnAck: z
    .boolean()
    .default(false)
    .describe('Say on the resident’s speaker who is coming (民生委員の○○さんが向かっています)'),
};
const reason = z.string().trim().min(1).max(500).describe('Why the network changed (kept in the audit log)');

export const networkInput = z.object({ ...networkFields, reason }).superRefine((network, context) => {
  if (network.criticalStartTier > network.tiers.length) {
    context.addIssue({
      code: 'custom',
      ...refinement('start_tier_beyond_tiers', {
        path: ['criticalStartTier'],
        params: { tiers: network.tiers.length },
      }),
    });
  }
});
/**
 * A change to some fields of the network (PATCH): the others keep their stored values, so a
 * form that shows only some settings can never reset the rest (issue 19 item 4).
 */
export const networkUpdate = z.object({ ...patchFields(networkFields), reason }).strict();
export type NetworkUpdate = z.infer<typeof networkUpdate>;
export type NetworkInput = z.infer<typeof networkInput>;
export const network = z.object({
  homeId: z.string(),
  tiers: z.array(
    z.object({
      name: z.string(),
      watchers: z.array(z.string()),
      webhooks: z.array(z.string()),
      ackTimeoutMinutes: z.number(),
      hours: hoursWindow.optional(),
    }),
  ),
  criticalStartTier: z.number().int(),
  criticalTiersAtOnce: z.number().int(),
  ackReminderMinutes: z.number(),
  announceOnAck: z.boolean(),
  updatedAt: isoTime,
  updatedBy: z.string(),
});
export type Network = z.infer<typeof network>;

const password = z.string().min(8, 'must be at least 8 characters').max(1024);
export const userInput = z.object({
  username: z.string().trim().min(1).max(128).regex(FORMATS.username, 'letters, digits and . _ @ - only'),
  displayName: z.string().trim().min(1).max(200),
  role,
  password,
  email: z.email().max(320).optional().describe('Where alert e-mails go'),
  phone: phoneNumber.optional().describe('How staff call them'),
  language: language.default('ja'),
  affiliation: z.string().trim().max(100).optional().describe('Said on the speaker with the name: 民生委員, 社協 …'),
});
export const userUpdate = z.object({
  displayName: z.string().trim().min(1).max(200).optional(),
  password: password.optional(),
  email: z.email().max(320).nullable().optional(),
  phone: phoneNumber.nullable().optional(),
  language: language.optional(),
  affiliation: z.string().trim().max(100).nullable().optional(),
  active: z.boolean().optional().describe('A deactivated user cannot log in and is told nothing'),
});
export type UserInput = z.infer<typeof userInput>;
export type UserUpdate = z.infer<typeof userUpdate>;
/** A user as staff manage them: who they are (`user`) and how they are reached. */
export const userProfile = user.extend({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language,
  affiliation: z.string().nullable(),
  active: z.boolean(),
  pushSubscriptions: z
    .number()
    .int()
    .describe('Browsers subscribed to Web Push; with no e-mail and none of these, alerts cannot reach them'),
});
/** A new password the hub made (POST /api/users/:id/password-reset), shown once. */
export const passwordReset = z.object({ password: z.string() });
export type UserProfile = z.infer<typeof userProfile>;

/** A browser's Web Push subscription (PushSubscription.toJSON()). */
export const pushSubscriptionInput = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInput>;
