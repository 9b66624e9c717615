import { describe, expect, it } from 'vitest';
import { between, deriveSeed, mulberry32, pick } from './rng.js';

const draws = (seed: number, n = 5) => Array.from({ length: n }, mulberry32(seed));

describe('seeded random stream', () => {
  it('gives the same numbers for the same seed and different ones for another seed', () => {
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('stays in [0, 1) and spreads over it', () => {
    const values = draws(7, 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('derives a distinct stream for each home and day, depending on the order of the parts', () => {
    const seeds = new Set<number>();
    for (let home = 0; home < 50; home++) for (let day = 0; day < 50; day++) seeds.add(deriveSeed(1, home, day));
    expect(seeds.size).toBe(2500);
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
  });

  it('draws within bounds and picks only listed items', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 1000; i++) {
      const value = between(rng, 5, 10);
      expect(value).toBeGreaterThanOrEqual(5);
      expect(value).toBeLessThan(10);
      expect(['a', 'b', 'c']).toContain(pick(rng, ['a', 'b', 'c'] as const));
    }
  });
});
