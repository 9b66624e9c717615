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

/**
 * Everyday habits that decide what room sensors see, each drawn from published descriptions of
 * older people living alone rather than from what any rule needs (docs/history-import.md,
 * "What the stories are drawn from").
 */
export interface LifeHabits {
  /** Mean toilet trips a night (each night Poisson): nocturia, two or more for most over 70. */
  nightVoidsPerNight: number;
  /** Seeds the stream of each of the resident's nights, which the evening before and the morning after share. */
  nightSeed: number;
  /** Daily chance of sleeping in 1½–3 h past the usual time. */
  lateMorningChance: number;
  /** Hours of TV a day, and the mean minutes between movements a PIR sees while the resident sits. */
  tvHoursPerDay: number;
  seatedStillMin: number;
  /** Daily chances of an afternoon nap and of an evening bath. */
  napChance: number;
  bathChance: number;
  /** Visits to the storage room a week: its sensor may see nobody for days. */
  closetVisitsPerWeek: number;
  /** Family visits a month, and the share of them that stay the night. */
  visitsPerMonth: number;
  overnightVisitShare: number;
  /** Watts of lights and small appliances while up at home, and of the TV. */
  awakeWatts: number;
  tvWatts: number;
}

/** How one simulated resident lives; the routine generator and the speaker read this. */
export interface Persona extends LifeHabits {
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
  /** Daily probabilities: going out, a voluntary "おはよう". */
  outingChance: number;
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

/**
 * A resident from `rng`; their everyday habits come from `habitsRng`, a stream of their own, so
 * that the draws of names, times and speaker habits stay what they were before habits existed.
 */
export function createPersona(rng: Rng, residentId: string, habit: SpeakerHabit, habitsRng: Rng): Persona {
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
    voluntaryCheckinChance: between(rng, 0.1, 0.5),
    ...speakerTraits(rng, habit),
    indoorBaseC: between(rng, 18, 24),
    ...createHabits(habitsRng),
  };
}

/**
 * Where the numbers come from:
 * - night toilet trips: two or more a night for 60 % of people over 69 in a Japanese health
 *   screening (Yoshimura et al., Int J Urol 2004;11:282–287), 56 % of Korean men over 65
 *   (Lee et al., Korean J Urol 2012;53:263); CASAS's single-resident apartments annotate them
 *   as their own activity (Bed_to_Toilet);
 * - TV: people in their seventies and over watch about 5 h a weekday (NHK 国民生活時間調査
 *   2010 and 2015); a PIR sees motion, not presence, so a seated viewer goes unseen for long
 *   stretches, and ARAS annotates "Watching TV" and "Napping" as separate still activities;
 * - a storage room or closet used a few times a week: the door and cupboard sensors of
 *   van Kasteren's datasets (UbiComp 2008) and CASAS's apartments, many silent for days;
 * - family visits: ARAS annotates "Having Guest"; the resident of CASAS's Aruba apartment was
 *   visited by her children and grandchildren regularly.
 * The spreads between residents are ours, wide on purpose.
 */
function createHabits(rng: Rng): LifeHabits {
  return {
    nightVoidsPerNight: chance(rng, 0.6) ? between(rng, 2, 3.5) : between(rng, 0.3, 1.5),
    nightSeed: Math.floor(rng() * 2 ** 32),
    lateMorningChance: between(rng, 0.02, 0.08),
    tvHoursPerDay: between(rng, 2, 6),
    seatedStillMin: between(rng, 20, 75),
    napChance: between(rng, 0.2, 0.7),
    bathChance: between(rng, 0.5, 0.95),
    closetVisitsPerWeek: between(rng, 0.3, 2),
    visitsPerMonth: between(rng, 0, 4),
    overnightVisitShare: between(rng, 0, 0.3),
    awakeWatts: between(rng, 20, 80),
    tvWatts: between(rng, 60, 150),
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
