import type { DeviceCommand, DeviceEventBody } from '@mimamori/contract';
import type { Persona } from './persona.js';
import { between, chance, type Rng } from './rng.js';

type PromptCommand = Extract<DeviceCommand, { type: 'prompt' }>;

/** What the resident does about a prompt: answer after `delayMs` of simulated time. */
export interface PlannedAnswer {
  delayMs: number;
  event: DeviceEventBody;
}

const SPOKEN = {
  ja: { fine: 'げんきです', unwell: 'ちょっと調子が悪いです' },
  en: { fine: "I'm fine", unwell: "I'm not feeling well" },
} as const;

/**
 * How the resident answers a speaker prompt: not at all with probability
 * 1 − `answerProbability`, otherwise after a persona-dependent delay, mostly "fine",
 * sometimes "unwell", now and then with the check-in items. Pure, for tests and replays.
 */
export function answerPrompt(persona: Persona, prompt: PromptCommand, rng: Rng, answerProbability = persona.answerProbability): PlannedAnswer | undefined {
  if (!chance(rng, answerProbability)) return undefined;
  const feelsUnwell = chance(rng, persona.unwellChance);
  const wanted = feelsUnwell ? 'unwell' : 'fine';
  // A speaker can only return one of the answers the prompt offers.
  const answer = prompt.choices.includes(wanted) ? wanted : prompt.choices[0];
  const [minDelay, maxDelay] = persona.answerDelayMs;
  const event: DeviceEventBody = {
    type: 'checkin',
    promptId: prompt.promptId,
    residentId: prompt.residentId,
    answer: answer ?? wanted,
    via: 'voice',
    ...(answer === 'fine' || answer === 'unwell' ? { text: SPOKEN[prompt.lang][answer] } : {}),
    ...(chance(rng, 0.5)
      ? {
          items: {
            health: feelsUnwell ? 'not_ok' : 'ok',
            medication: chance(rng, 0.95) ? 'ok' : 'not_ok',
            sleep: chance(rng, 0.9) ? 'ok' : 'not_ok',
            meal: chance(rng, 0.95) ? 'ok' : 'not_ok',
          },
        }
      : {}),
  };
  return { delayMs: between(rng, minDelay, maxDelay), event };
}
