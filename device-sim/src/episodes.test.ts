import { describe, expect, it } from 'vitest';
import { planEpisodes } from './episodes.js';
import { describeHome } from './home-spec.js';
import { DAY_MS } from './jst.js';
import { deriveSeed, mulberry32 } from './rng.js';

const START = Date.parse('2026-09-01T00:00:00+09:00');
const persona = { ...describeHome(1, 0).persona, visitsPerMonth: 3, overnightVisitShare: 0.3 };
/** The episodes of many homes' 90 days, to see every kind and check that they never collide. */
const homes = Array.from({ length: 200 }, (_, i) => planEpisodes(persona, START, 90, mulberry32(deriveSeed(7, i)), []));

describe('episodes of a home', () => {
  it('has registered hospital stays and trips, nights away nobody registered, family visits and hot spells', () => {
    const away = homes.flatMap((h) => h.away);
    expect(away.filter((a) => a.registered?.reason === 'hospital').length).toBeGreaterThan(0);
    expect(away.filter((a) => a.registered && a.registered.reason !== 'hospital').length).toBeGreaterThan(0);
    const unregistered = away.filter((a) => !a.registered);
    expect(unregistered.length).toBeGreaterThan(homes.length * 0.4);
    for (const a of unregistered) expect(a.until - a.from).toBeLessThan(3 * DAY_MS);
    const visits = homes.flatMap((h) => h.visits);
    expect(visits.length / homes.length).toBeGreaterThan(6);
    expect(visits.some((v) => v.overnight)).toBe(true);
    expect(homes.filter((h) => h.hotDays.size === 3).length).toBeGreaterThan(0);
  });

  it('never overlaps one episode with another, and keeps clear of an incident’s time', () => {
    for (const h of homes) {
      const spans = [...h.away, ...h.visits].sort((a, b) => a.from - b.from);
      spans.slice(1).forEach((s, i) => expect(s.from).toBeGreaterThanOrEqual(spans[i]?.until ?? Infinity));
      for (const s of spans) expect(s.until).toBeLessThanOrEqual(START + 90 * DAY_MS);
    }
    const clear = { from: START + 20 * DAY_MS, until: Infinity };
    for (let i = 0; i < 50; i++) {
      const h = planEpisodes(persona, START, 90, mulberry32(deriveSeed(7, i)), [clear]);
      for (const s of [...h.away, ...h.visits]) expect(s.until).toBeLessThanOrEqual(clear.from);
    }
  });
});
