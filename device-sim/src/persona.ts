import type { Resident } from '@mimamori/contract';
import { between, chance, pick, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How a resident deals with the speaker's check-in, the cases field services see most:
 * `prompt` answers at once, `late` misses the first prompt and answers a re-prompt,
 * `forgetful` often does not answer at all, `unwell` often says they feel unwell. `silent`
 * (never answers) and `help` (always asks for help) exist for tests and demonstrations.
 */
export const SPEAKER_HABITS = ['prompt', 'late', 'forgetful', 'unwell', 'silent', 'help'] as const;
export type SpeakerHabit = (typeof SPEAKER_HABITS)[number];
/** The habits homes get in turn, so any run of four or more homes has each of them. */
const EVERYDAY_HABITS: readonly SpeakerHabit[] = ['prompt', 'late', 'forgetful', 'unwell'];

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
  speakerHabit: SpeakerHabit;
  /** The first prompt of a check-in this resident hears (2: only a re-prompt). */
  answersFromAttempt: number;
  /** Probability of answering a check-in at all, how long it takes, and of answering unwell or help. */
  answerProbability: number;
  answerDelayMs: readonly [number, number];
  unwellChance: number;
  helpChance: number;
  /** Indoor temperature the home settles around, °C (heating habits differ a lot). */
  indoorBaseC: number;
}

// Common family names, and given names of people now in their seventies and eighties.
const FAMILY_NAMES = [
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山田',
] as const;
const GIVEN_NAMES = ['ハナ', 'トメ', 'キヨ', '和子', '節子', '幸子', '静子', '清', '茂', '正雄', '勇', '武'] as const;

export function createPersona(rng: Rng, residentId: string, habit: SpeakerHabit): Persona {
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
    ...speakerTraits(rng, habit),
    indoorBaseC: between(rng, 18, 24),
  };
}

/** The habit of the n-th home (from 0) of a run. */
export const everydayHabit = (index: number): SpeakerHabit =>
  EVERYDAY_HABITS[index % EVERYDAY_HABITS.length] as SpeakerHabit;

type SpeakerTraits = Pick<
  Persona,
  'speakerHabit' | 'answersFromAttempt' | 'answerProbability' | 'answerDelayMs' | 'unwellChance' | 'helpChance'
>;

function speakerTraits(rng: Rng, habit: SpeakerHabit): SpeakerTraits {
  const quick = [between(rng, 0.2, 0.5) * MINUTE, between(rng, 1, 3) * MINUTE] as const;
  const base = {
    speakerHabit: habit,
    answersFromAttempt: 1,
    answerDelayMs: quick,
    unwellChance: between(rng, 0.02, 0.08),
    helpChance: 0,
  };
  switch (habit) {
    case 'prompt':
      return { ...base, answerProbability: between(rng, 0.95, 1) };
    case 'late':
      return { ...base, answersFromAttempt: 2, answerProbability: between(rng, 0.9, 1) };
    case 'forgetful':
      return {
        ...base,
        answerProbability: between(rng, 0.5, 0.7),
        answerDelayMs: [1 * MINUTE, between(rng, 5, 10) * MINUTE],
      };
    case 'unwell':
      return {
        ...base,
        answerProbability: between(rng, 0.9, 1),
        unwellChance: between(rng, 0.4, 0.6),
        helpChance: 0.05,
      };
    case 'silent':
      return { ...base, answerProbability: 0 };
    case 'help':
      return { ...base, answerProbability: 1, helpChance: 1 };
  }
}
