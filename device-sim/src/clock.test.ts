import { describe, expect, it } from 'vitest';
import { SimClock } from './clock.js';
import { DAY_MS, jstDayNumber, jstDayStart, toJstIso } from './jst.js';
import { ManualClock } from '@mimamori/contract';

describe('simulated clock', () => {
  it('starts at the real now and runs `speed` times faster, timers included', () => {
    const real = new ManualClock(1_000_000);
    const start = real.now();
    const sim = new SimClock(real, 60);
    expect(sim.now()).toBe(start);
    real.advance(1000);
    expect(sim.now()).toBe(start + 60_000);
    let firedAt: number | undefined;
    sim.setTimer(() => (firedAt = real.now()), 60 * 60_000);
    real.advance(59_999);
    expect(firedAt).toBeUndefined();
    real.advance(1);
    expect(firedAt).toBe(start + 1000 + 60_000);
  });
});

describe('Japan time', () => {
  it('stamps ISO 8601 with the +09:00 offset', () => {
    expect(toJstIso(Date.parse('2026-11-22T00:00:00Z'))).toBe('2026-11-22T09:00:00.000+09:00');
  });

  it('finds local midnight and the day number, changing at 00:00 JST rather than UTC', () => {
    const lateEvening = Date.parse('2026-11-22T23:59:00+09:00');
    expect(toJstIso(jstDayStart(lateEvening))).toBe('2026-11-22T00:00:00.000+09:00');
    expect(jstDayStart(Date.parse('2026-11-23T00:00:00+09:00'))).toBe(jstDayStart(lateEvening) + DAY_MS);
    expect(jstDayNumber(Date.parse('2026-11-23T00:00:00+09:00'))).toBe(jstDayNumber(lateEvening) + 1);
  });
});
