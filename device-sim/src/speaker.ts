import type { CheckinItem, CheckinItems, DeviceEventBody } from '@mimamori/contract';
import type { PromptCommand } from '@mimamori/device-link';
import type { Persona } from './persona.js';
import { between, chance, type Rng } from './rng.js';

/** What the resident does about a prompt: answer after `delayMs` of simulated time. */
export interface PlannedAnswer {
  delayMs: number;
  event: DeviceEventBody;
}

const SPOKEN = {
  ja: { fine: '元気です', unwell: 'ちょっと調子が悪いです', help: '助けて' },
  en: { fine: "I'm fine", unwell: "I'm not feeling well", help: 'Help me' },
} as const;

/**
 * How the resident answers a speaker prompt (`attempt` 1 for the first, 2+ for re-prompts of
 * the same check-in): not at all before `answersFromAttempt` (they did not hear it) or with
 * probability 1 − `answerProbability`; otherwise after a persona-dependent delay, mostly
 * "fine", sometimes "unwell" or "help", with an answer to each item the prompt asks. Pure, for
 * tests and replays.
 */
export function answerPrompt(
  persona: Persona,
  prompt: PromptCommand,
  rng: Rng,
  attempt: number,
  answerProbability = persona.answerProbability,
): PlannedAnswer | undefined {
  if (attempt < persona.answersFromAttempt || !chance(rng, answerProbability)) return undefined;
  const needsHelp = chance(rng, persona.helpChance);
  const feelsUnwell = needsHelp || chance(rng, persona.unwellChance);
  const wanted = needsHelp ? 'help' : feelsUnwell ? 'unwell' : 'fine';
  // A speaker can only return one of the answers the prompt offers.
  const answer = prompt.choices.includes(wanted) ? wanted : prompt.choices[0];
  const [minDelay, maxDelay] = persona.answerDelayMs;
  const event: DeviceEventBody = {
    type: 'checkin',
    promptId: prompt.promptId,
    residentId: prompt.residentId,
    answer: answer ?? wanted,
    via: 'voice',
    ...(answer === 'fine' || answer === 'unwell' || answer === 'help' ? { text: SPOKEN[prompt.lang][answer] } : {}),
    ...(prompt.items.length > 0 ? { items: answerItems(prompt.items, feelsUnwell, rng) } : {}),
  };
  return { delayMs: between(rng, minDelay, maxDelay), event };
}

/** Mostly "ok"; health follows how the resident feels, the others are now and then "not_ok". */
function answerItems(asked: readonly CheckinItem[], feelsUnwell: boolean, rng: Rng): CheckinItems {
  const okChance: Record<CheckinItem, number> = {
    health: feelsUnwell ? 0 : 1,
    medication: 0.95,
    sleep: 0.9,
    meal: 0.95,
  };
  return Object.fromEntries(asked.map((item) => [item, chance(rng, okChance[item]) ? 'ok' : 'not_ok']));
}
