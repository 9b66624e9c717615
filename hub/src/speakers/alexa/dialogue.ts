import type { CheckinItems } from '@mimamori/contract';
import type { AskedItem } from './phrases.js';
import type { Answer } from './phrases.js';

/**
 * What the skill asked last in a session, kept in Alexa's session attributes between turns:
 * the pairing code, an answer to a prompt (`key`: its promptId; none: nothing was pending, so an
 * answer is voluntary), one of the prompt's items (服薬・睡眠・食事), or whether to call for help.
 */
export type Asking =
  | { kind: 'code' }
  | { kind: 'answer'; key?: string | undefined; unclear: number }
  | {
      kind: 'item';
      key?: string | undefined;
      answer: Exclude<Answer, 'help'>;
      items: CheckinItems;
      remaining: AskedItem[];
      unclear: number;
    }
  | { kind: 'help'; key?: string | undefined };

/** The session attributes: what was asked, and the last thing said (for 「もう一度」). */
export interface SessionState {
  asking?: Asking;
  said?: string;
}

/** What the resident said, as the interaction model resolved it (docs/alexa.md, interaction models). */
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
