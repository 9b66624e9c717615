import type { Intent, IntentRequest } from 'ask-sdk-model';
import type { Heard } from './dialogue.js';
import type { Answer } from './phrases.js';

/** The ANSWER slot type's value ids (alexa/skill-package/interactionModels): what an answer can be. */
export const ANSWER_IDS: readonly Answer[] = ['fine', 'unwell', 'help'];

/**
 * The intents of the interaction models and what each means to the skill; any other intent
 * (AMAZON.FallbackIntent among them) is unclear. The answer slot counts only when Alexa resolved
 * it to one of the slot type's values (entity resolution, ER_SUCCESS_MATCH): words the model does
 * not know come back unresolved and are asked again, never taken as 元気.
 */
export const INTENTS: Record<string, (intent: Intent) => Heard> = {
  AnswerIntent: (intent) => {
    const resolved = intent.slots?.answer?.resolutions?.resolutionsPerAuthority?.find(
      (authority) => authority.status.code === 'ER_SUCCESS_MATCH',
    );
    const id = resolved?.values[0]?.value.id;
    return { kind: 'answer', answer: ANSWER_IDS.find((answer) => answer === id) };
  },
  PairIntent: (intent) => ({ kind: 'code', code: intent.slots?.code?.value }),
  'AMAZON.YesIntent': () => ({ kind: 'yes' }),
  'AMAZON.NoIntent': () => ({ kind: 'no' }),
  'AMAZON.RepeatIntent': () => ({ kind: 'repeat' }),
  'AMAZON.HelpIntent': () => ({ kind: 'help' }),
  'AMAZON.StopIntent': () => ({ kind: 'stop' }),
  'AMAZON.CancelIntent': () => ({ kind: 'stop' }),
  'AMAZON.NavigateHomeIntent': () => ({ kind: 'stop' }),
  'AMAZON.FallbackIntent': () => ({ kind: 'unclear' }),
};

export function understand(request: IntentRequest): Heard {
  return INTENTS[request.intent.name]?.(request.intent) ?? { kind: 'unclear' };
}
