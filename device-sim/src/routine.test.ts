import { deviceEvent } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { createPersona } from './persona.js';
import { seededRng } from './rng.js';
import { planDay } from './routine.js';
import { jstDayStart, toJstIso } from './sim-clock.js';

const DAY = jstDayStart(Date.parse('2026-11-22T12:00:00+09:00'));

describe('simulated routines', () => {
  it('gives the same homes and day for the same seed, and different ones for another seed', () => {
    const plan = (seed: number) => planDay(createPersona(seededRng(seed)), DAY, seededRng(seed + 1));
    expect(plan(1)).toEqual(plan(1));
    expect(plan(1)).not.toEqual(plan(2));
  });

  it('plans only events that pass the contract, in time order, within the day', () => {
    for (let seed = 0; seed < 20; seed++) {
      const events = planDay(createPersona(seededRng(seed)), DAY, seededRng(seed));
      events.forEach(({ event, at }, i) => {
        expect(deviceEvent.safeParse({ ...event, id: `e${i}`, ts: toJstIso(at) }).success).toBe(true);
        expect(at).toBeGreaterThanOrEqual(DAY);
        expect(at).toBeLessThan(DAY + 86_400_000 + 90_000);
        if (i > 0) expect(at).toBeGreaterThanOrEqual(events[i - 1]?.at ?? 0);
      });
    }
  });

  it('wakes the resident before any daytime motion and clears every PIR occupancy ~90 s later', () => {
    const persona = createPersona(seededRng(3));
    const motions = planDay(persona, DAY, seededRng(3)).filter((p) => p.event.type === 'motion');
    expect(motions[0]?.event).toMatchObject({ room: 'bedroom', occupied: true });
    const occupied = motions.filter((p) => p.event.type === 'motion' && p.event.occupied);
    const cleared = motions.filter((p) => p.event.type === 'motion' && !p.event.occupied);
    expect(cleared.map((c) => c.at)).toEqual(occupied.map((o) => o.at + 90_000));
  });

  it('stamps Japan time with its offset', () => {
    expect(toJstIso(Date.parse('2026-11-22T00:00:00Z'))).toBe('2026-11-22T09:00:00.000+09:00');
  });
});
