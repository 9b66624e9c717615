import type { AbsenceReason } from '@mimamori/contract';
import type { Persona } from './persona.js';
import { DAY_MS } from './jst.js';
import { between, chance, pick, type Rng } from './rng.js';
import { poisson, type Interval } from './still-times.js';

const HOUR = 3_600_000;

/** The resident is away from home; `registered` when someone entered it as an absence (不在登録). */
export interface Away extends Interval {
  registered: { reason: AbsenceReason; note: string } | undefined;
}

/** A family member visits; one who stays the night sleeps in the living room. */
export interface Visit extends Interval {
  overnight: boolean;
}

/** What happens to a home over the weeks besides ordinary days. */
export interface HomeEpisodes {
  away: Away[];
  visits: Visit[];
  /** Days (from 0) whose afternoons are hot indoors (31–34 °C): an air conditioner not used or broken. */
  hotDays: Set<number>;
}

/**
 * Chances per home and 30 days. Registered stays are the hospital stays and trips that field
 * services see registered; unregistered nights away (a night or two at a child's home) are what
 * docs/rules.md calls "nights away", a main source of false alarms in field services.
 */
const PER_30_DAYS = { hospital: 0.02, registeredTrip: 0.04, nightsAway: 0.25, hotSpell: 0.05 } as const;

/**
 * A home's episodes over `days` days from `start` (local midnight), none overlapping another and
 * none inside `keepClear` (injected incidents' time, which must find the resident at home).
 * Family visits follow the resident's habit (visits a month, share overnight).
 */
export function planEpisodes(
  persona: Persona,
  start: number,
  days: number,
  rng: Rng,
  keepClear: readonly Interval[],
): HomeEpisodes {
  const taken: Interval[] = [...keepClear];
  const fits = (i: Interval) =>
    i.until <= start + days * DAY_MS && !taken.some((t) => t.from < i.until && i.from < t.until);
  const months = days / 30;
  const away: Away[] = [];
  const tryAway = (chanceIn30Days: number, make: (dayStart: number) => Away) => {
    if (!chance(rng, Math.min(1, chanceIn30Days * months))) return;
    const candidate = make(start + Math.floor(between(rng, 0, days)) * DAY_MS);
    if (fits(candidate)) {
      away.push(candidate);
      taken.push(candidate);
    }
  };
  tryAway(PER_30_DAYS.hospital, (d) => ({
    from: d + between(rng, 9, 11) * HOUR,
    until: d + Math.round(between(rng, 3, 10)) * DAY_MS + between(rng, 11, 15) * HOUR,
    registered: { reason: 'hospital', note: pick(rng, ['検査入院', '入院']) },
  }));
  tryAway(PER_30_DAYS.registeredTrip, (d) => ({
    from: d + between(rng, 8, 11) * HOUR,
    until: d + Math.round(between(rng, 1, 3)) * DAY_MS + between(rng, 14, 18) * HOUR,
    registered: pick(rng, [
      { reason: 'trip', note: '旅行' },
      { reason: 'family', note: '家族宅に滞在' },
    ] as const),
  }));
  tryAway(PER_30_DAYS.nightsAway, (d) => ({
    from: d + between(rng, 13, 17) * HOUR,
    until: d + Math.round(between(rng, 1, 2)) * DAY_MS + between(rng, 10, 17) * HOUR,
    registered: undefined,
  }));

  const visits: Visit[] = [];
  for (let n = poisson(rng, persona.visitsPerMonth * months); n > 0; n--) {
    const dayStart = start + Math.floor(between(rng, 0, days)) * DAY_MS;
    const overnight = chance(rng, persona.overnightVisitShare);
    const from = dayStart + (overnight ? between(rng, 14, 17) : between(rng, 10, 14)) * HOUR;
    const until = overnight ? dayStart + DAY_MS + between(rng, 10, 15) * HOUR : from + between(rng, 2, 6) * HOUR;
    const visit = { from, until, overnight };
    if (fits(visit)) {
      visits.push(visit);
      taken.push(visit);
    }
  }

  const hotDays = new Set<number>();
  if (chance(rng, Math.min(1, PER_30_DAYS.hotSpell * months))) {
    const first = Math.floor(between(rng, 0, Math.max(1, days - 3)));
    for (let d = first; d < Math.min(days, first + 3); d++) hotDays.add(d);
  }
  return { away: away.sort((a, b) => a.from - b.from), visits: visits.sort((a, b) => a.from - b.from), hotDays };
}
