import { checkinItem, checkinItems } from '@mimamori/contract';
import { z } from 'zod';
import type { Answer } from './phrases.js';

const key = z.string().min(1).optional();

/**
 * What the skill asked last in a session, kept in Alexa's session attributes between turns:
 * the pairing code, an answer to a prompt (`key`: its promptId; none: nothing was pending, so an
 * answer is voluntary), one of the prompt's items (服薬・睡眠・食事), or whether to call for help.
 */
const asking = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('code') }),
  z.object({ kind: z.literal('answer'), key, unclear: z.number().int() }),
  z.object({
    kind: z.literal('item'),
    key,
    answer: z.enum(['fine', 'unwell']),
    items: checkinItems,
    remaining: z.array(checkinItem.exclude(['health'])),
    unclear: z.number().int(),
  }),
  z.object({ kind: z.literal('help'), key }),
]);
export type Asking = z.infer<typeof asking>;

/**
 * The session attributes: what was asked, and the last thing said (for 「もう一度」). They come
 * back from Alexa as the skill gave them, and are parsed like any input: a shape the skill does
 * not know starts afresh.
 */
export const sessionState = z.object({ asking: asking.optional(), said: z.string().optional() });
export type SessionState = z.infer<typeof sessionState>;

/** What the resident said, as the interaction model resolved it (alexa/skill-package). */
export type Heard =
  | { kind: 'answer'; answer: Answer | undefined }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'code'; code: string | undefined }
  | { kind: 'repeat' }
  | { kind: 'help' }
  | { kind: 'stop' }
  | { kind: 'unclear' };

/** Unclear answers in a row after which the question waits for the next time; never guessed as 元気. */
export const UNCLEAR_LIMIT = 2;
