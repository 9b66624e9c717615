import { z } from 'zod';
import { isoTime } from './api.js';

/** A one-time code staff give the resident (or installer) to say to the Alexa skill (docs/alexa.md). */
export const alexaPairingCode = z.object({
  code: z
    .string()
    .regex(/^[1-9]\d{5}$/)
    .describe('Six digits, said once to the skill: 「アレクサ、みまもりでペアリング 123456」'),
  homeId: z.string(),
  expiresAt: isoTime,
});
export type AlexaPairingCode = z.infer<typeof alexaPairingCode>;

/** An Echo paired to a home: its device, whether it may ring reminders, and what waits for the resident to open the skill. */
export const alexaEcho = z.object({
  deviceId: z.string(),
  homeId: z.string(),
  pairedAt: isoTime,
  online: z.boolean().describe('false once the skill was disabled on it'),
  lastSeenAt: isoTime.nullable().describe('When the resident last used the skill on it'),
  locale: z.string(),
  remindersGranted: z
    .boolean()
    .describe(
      'The resident allowed reminders: prompts ring at their time; otherwise they wait for the skill to be opened',
    ),
  waiting: z.object({ prompts: z.number().int(), announcements: z.number().int() }),
});
export type AlexaEcho = z.infer<typeof alexaEcho>;
