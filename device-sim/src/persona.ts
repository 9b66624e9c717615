import { between, pick, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How one simulated resident lives: the routine generator and the speaker read this. */
export interface Persona {
  name: string;
  /** Usual wake and bed time, ms after local midnight. */
  wakeAt: number;
  bedAt: number;
  /** Probability of a voluntary "おはよう" check-in after waking. */
  voluntaryCheckin: number;
  /** Probability the resident answers a prompt, and how long they take. */
  answerProbability: number;
  answerDelay: [number, number];
}

const FAMILY = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const GIVEN = ['ハナ', 'トメ', '清', '茂', 'キヨ', '正雄', '和子', '節子', '勇', '静子'];
const TOWN = ['本町', '栄町', '緑が丘', '旭町', '若葉台'];

export function createPersona(rng: Rng): Persona {
  return {
    name: `${pick(rng, FAMILY)} ${pick(rng, GIVEN)}`,
    wakeAt: between(rng, 5.5 * HOUR, 8 * HOUR),
    bedAt: between(rng, 20.5 * HOUR, 23 * HOUR),
    voluntaryCheckin: between(rng, 0.1, 0.5),
    answerProbability: between(rng, 0.85, 1),
    answerDelay: [between(rng, 0.5, 2) * MINUTE, between(rng, 3, 15) * MINUTE],
  };
}

export function createAddress(rng: Rng, index: number): string {
  return `${pick(rng, TOWN)}${1 + (index % 5)}丁目${1 + Math.floor(rng() * 20)}-${1 + Math.floor(rng() * 12)}`;
}
