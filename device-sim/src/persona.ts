import type { Resident } from '@mimamori/contract';
import { between, chance, pick, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How one simulated resident lives; the routine generator and the speaker read this. */
export interface Persona {
  residentId: string;
  name: string;
  language: Resident['language'];
  /** Usual wake and bed time, ms after local midnight; each day jitters around them. */
  wakeAt: number;
  bedAt: number;
  /** Usual lunch and dinner, ms after local midnight (breakfast follows waking). */
  lunchAt: number;
  dinnerAt: number;
  /** Mean minutes between living-room movements while awake at home. */
  movementEveryMin: number;
  /** Daily probabilities: going out, a night-time trip to the toilet, a voluntary "おはよう". */
  outingChance: number;
  nightTripChance: number;
  voluntaryCheckinChance: number;
  /** Probability of answering a speaker prompt at all, how long it takes, and of feeling unwell. */
  answerProbability: number;
  answerDelayMs: readonly [number, number];
  unwellChance: number;
  /** Indoor temperature the home settles around, °C (heating habits differ a lot). */
  indoorBaseC: number;
}

// Common family names, and given names of people now in their seventies and eighties.
const FAMILY_NAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田'] as const;
const GIVEN_NAMES = ['ハナ', 'トメ', 'キヨ', '和子', '節子', '幸子', '静子', '清', '茂', '正雄', '勇', '武'] as const;

export function createPersona(rng: Rng, residentId: string): Persona {
  return {
    residentId,
    name: `${pick(rng, FAMILY_NAMES)} ${pick(rng, GIVEN_NAMES)}`,
    // A few residents prefer English prompts (the contract's other speaker language).
    language: chance(rng, 0.05) ? 'en' : 'ja',
    wakeAt: between(rng, 6 * HOUR, 8 * HOUR),
    bedAt: between(rng, 21 * HOUR, 23 * HOUR),
    lunchAt: between(rng, 11.5 * HOUR, 12.75 * HOUR),
    dinnerAt: between(rng, 17.5 * HOUR, 19 * HOUR),
    movementEveryMin: between(rng, 15, 45),
    outingChance: between(rng, 0.2, 0.8),
    nightTripChance: between(rng, 0.2, 0.9),
    voluntaryCheckinChance: between(rng, 0.1, 0.5),
    answerProbability: between(rng, 0.8, 1),
    answerDelayMs: [between(rng, 0.5, 2) * MINUTE, between(rng, 3, 15) * MINUTE],
    unwellChance: between(rng, 0.02, 0.1),
    indoorBaseC: between(rng, 18, 24),
  };
}
