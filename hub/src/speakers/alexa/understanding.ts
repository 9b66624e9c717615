import type { IntentRequest } from 'ask-sdk-model';
import type { Heard } from './dialogue.js';
import type { Answer } from './phrases.js';

const ANSWERS: readonly string[] = ['fine', 'unwell', 'help'] satisfies Answer[];

/**
 * An intent as the skill understands it. The answer slot counts only when Alexa resolved it to
 * one of the slot type's values (entity resolution, ER_SUCCESS_MATCH): words the model does not
 * know come back unresolved and are asked again, never taken as 元気.
 */
export function understand(request: IntentRequest): Heard {
  const { intent } = request;
  switch (intent.name) {
    case 'AnswerIntent': {
      const resolved = intent.slots?.answer?.resolutions?.resolutionsPerAuthority?.find(
        (authority) => authority.status.code === 'ER_SUCCESS_MATCH',
      );
      const id = resolved?.values[0]?.value.id;
      return { kind: 'answer', answer: id !== undefined && ANSWERS.includes(id) ? (id as Answer) : undefined };
    }
    case 'PairIntent':
      return { kind: 'code', code: intent.slots?.code?.value };
    case 'AMAZON.YesIntent':
      return { kind: 'yes' };
    case 'AMAZON.NoIntent':
      return { kind: 'no' };
    case 'AMAZON.RepeatIntent':
      return { kind: 'repeat' };
    case 'AMAZON.HelpIntent':
      return { kind: 'help' };
    case 'AMAZON.StopIntent':
    case 'AMAZON.CancelIntent':
    case 'AMAZON.NavigateHomeIntent':
      return { kind: 'stop' };
    default:
      return { kind: 'unclear' };
  }
}
