import { DAY_MS, jstDayNumber } from './jst.js';
import type { Persona } from './persona.js';
import { between, chance, deriveSeed, mulberry32, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface Interval {
  from: number;
  until: number;
}

/** The day's meals at home (cooking time), each absent when the resident ate out. */
export interface Meals {
  breakfast: Interval | undefined;
  lunch: Interval | undefined;
  dinner: Interval | undefined;
}

/** Long stretches in one place: TV sessions and a nap (a PIR sees little), and the bath. */
export interface StillTimes {
  tv: Interval[];
  naps: Interval[];
  bath: Interval | undefined;
  /** All of them: nobody potters about meanwhile. */
  busy: Interval[];
}

/** Of a day's TV hours, the share watched after breakfast, after lunch, and in the evening. */
const TV_SHARES = [0.2, 0.35, 0.45] as const;

/**
 * When the resident sits still: TV after each meal at home (its length drawn around the
 * resident's daily hours), a nap after lunch on some days, and the evening bath. A session ends
 * before the next meal, an outing, the bath or bed; one that would start while out is skipped.
 */
export function planStillTimes(
  persona: Persona,
  day: { wakeAt: number; bedAt: number; meals: Meals; outings: readonly Interval[] },
  rng: Rng,
): StillTimes {
  const { meals, outings, bedAt } = day;
  const nap =
    meals.lunch && chance(rng, persona.napChance)
      ? startingAt(meals.lunch.until + between(rng, 25, 40) * MINUTE, between(rng, 30, 90) * MINUTE)
      : undefined;
  const bathFrom = (meals.dinner?.until ?? bedAt - 3 * HOUR) + between(rng, 60, 150) * MINUTE;
  const bath =
    chance(rng, persona.bathChance) && bathFrom < bedAt - 45 * MINUTE
      ? startingAt(bathFrom, between(rng, 20, 40) * MINUTE)
      : undefined;
  const sessionLength = (share: number) => persona.tvHoursPerDay * share * between(rng, 0.7, 1.3) * HOUR;
  const ends = [meals.lunch?.from, meals.dinner?.from, bath?.from, bedAt].flatMap((t) =>
    t === undefined ? [] : [t - 20 * MINUTE],
  );
  const tv: Interval[] = [];
  const starts = [meals.breakfast?.until, nap?.until ?? meals.lunch?.until, meals.dinner?.until];
  TV_SHARES.forEach((share, i) => {
    const after = starts[i];
    const length = sessionLength(share);
    if (after === undefined) return;
    const from = after + between(rng, 25, 40) * MINUTE;
    const stop = Math.min(from + length, ...ends.filter((t) => t > from), ...outings.map((o) => o.from - 10 * MINUTE));
    if (stop - from >= 15 * MINUTE && !outings.some((o) => from >= o.from && from < o.until))
      tv.push({ from, until: stop });
  });
  const naps = nap && !outings.some((o) => o.from < nap.until && o.until > nap.from) ? [nap] : [];
  return { tv, naps, bath, busy: [...tv, ...naps, ...(bath ? [bath] : [])] };
}

const startingAt = (from: number, length: number): Interval => ({ from, until: from + length });

/** The parts of `part` outside `hole`. */
export const cut = (part: Interval, hole: Interval): Interval[] =>
  [
    { from: part.from, until: Math.min(part.until, hole.from) },
    { from: Math.max(part.from, hole.until), until: part.until },
  ].filter((p) => p.until > p.from);

/**
 * The toilet trips seen in one local day: those after midnight of the night that ends at this
 * morning's waking, and those before midnight of the night that begins at this evening's bed
 * time. Each night is drawn from a stream of its own, so the two days that share it agree.
 */
export function planTrips(persona: Persona, dayStart: number, day: { wakeAt: number; bedAt: number }): number[] {
  return [
    ...nightTrips(persona, dayStart).filter((t) => t >= dayStart && t < day.wakeAt - 15 * MINUTE),
    // A trip takes a few minutes and its PIRs clear after it: one seen today ends inside the day.
    ...nightTrips(persona, dayStart + DAY_MS).filter(
      (t) => t >= day.bedAt + HOUR && t < dayStart + DAY_MS - 10 * MINUTE,
    ),
  ];
}

/**
 * The night that ends on the morning of `morning` (local midnight): Poisson(`nightVoidsPerNight`)
 * trips, spread roughly evenly over the usual sleep (the k-th of n at k/(n+1) of it, ±30 min):
 * the bladder fills at a steady pace at night, so a resident with two or three voids a night
 * is up at about the same hours each night, the last one in the early morning.
 */
function nightTrips(persona: Persona, morning: number): number[] {
  const rng = mulberry32(deriveSeed(persona.nightSeed, jstDayNumber(morning)));
  const asleep = morning - DAY_MS + persona.bedAt;
  const up = morning + persona.wakeAt;
  const count = poisson(rng, persona.nightVoidsPerNight);
  return Array.from(
    { length: count },
    (_, k) => asleep + ((k + 1) / (count + 1)) * (up - asleep) + between(rng, -30, 30) * MINUTE,
  );
}

/** A Poisson draw (Knuth): fine for the small means of a day. */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = rng(); product > limit; product *= rng()) count++;
  return count;
}
