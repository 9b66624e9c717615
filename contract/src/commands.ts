import { z } from 'zod';
import { checkinAnswer, checkinItem } from './events.js';
import { entityId } from './ids.js';

export const language = z.enum(['ja', 'en']);
export type Language = z.infer<typeof language>;

/** Commands the hub publishes on `…/{deviceId}/command` (PROTOCOL.md, Command JSON). */
export const promptCommand = z.object({
  type: z.literal('prompt'),
  id: z.string().min(1),
  promptId: z.string().min(1),
  residentId: entityId,
  text: z.string().min(1),
  lang: language.default('ja'),
  choices: z.array(checkinAnswer).min(1),
  /** The structured questions the text asks (体調, 服薬, 睡眠, 食事); the answer may carry these. */
  items: z.array(checkinItem).default([]),
  expiresAt: z.string(),
  /**
   * Say it now, even in the home's quiet hours: a rule's question (heat, cold) cannot wait for
   * the morning. Absent means not urgent, so a speaker may hold a night prompt (issue 22).
   */
  urgent: z.boolean().optional(),
});

export const announceCommand = z.object({
  type: z.literal('announce'),
  id: z.string().min(1),
  text: z.string().min(1),
  lang: language.default('ja'),
});

export const cancelCommand = z.object({
  type: z.literal('cancel'),
  id: z.string().min(1),
  promptId: z.string().min(1),
});

export const deviceCommand = z.discriminatedUnion('type', [promptCommand, announceCommand, cancelCommand]);
export type DeviceCommand = z.infer<typeof deviceCommand>;
