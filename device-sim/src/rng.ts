/**
 * A seeded random stream, so the same seed always gives the same homes and days.
 * The simulator never calls Math.random: a run must be reproducible from its `--seed`.
 */
export type Rng = () => number;

/** mulberry32 (Tommy Ettinger, public domain): tiny, fast, and good enough for simulated lives. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Folds several integers (seed, home index, day number, stream tag) into one 32-bit seed, so
 * every home and every day gets its own stream: day 3 of home 7 is the same whether or not
 * the run started on day 1.
 */
export function deriveSeed(...parts: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x01000193);
    hash ^= hash >>> 13;
  }
  return hash >>> 0;
}

export const between = (rng: Rng, min: number, max: number): number => min + (max - min) * rng();

export const chance = (rng: Rng, probability: number): boolean => rng() < probability;

export function pick<T>(rng: Rng, items: readonly [T, ...T[]]): T {
  return items[Math.floor(rng() * items.length)] ?? items[0];
}
