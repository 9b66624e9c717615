import type { DeviceEventBody } from '@mimamori/contract';
import type { DeviceRole } from './home-spec.js';
import { DAY_MS } from './jst.js';
import type { Persona } from './persona.js';
import { powerReadings, type Appliance } from './power.js';
import { between, chance, type Rng } from './rng.js';
import { OPEN_PLAN, pirEvents, type Coverage, type Movement } from './rooms.js';
import { cut, planStillTimes, planTrips, type Interval, type Meals } from './still-times.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** One thing a home's devices will report at `at` (epoch ms of simulated time), by the device's role. */
export interface PlannedEvent {
  at: number;
  device: DeviceRole;
  event: DeviceEventBody;
}

export type Outing = Interval;

/** What a resident does in a day, before any sensor sees it. */
export interface DayLife {
  wakeAt: number;
  bedAt: number;
  outings: readonly Outing[];
  /** When each night-time trip to the toilet began. */
  nightTrips: readonly number[];
  /** Sitting still: TV sessions and a nap, when a PIR sees little or nothing. */
  stillTimes: readonly Interval[];
  /** Where the resident moved, room by room. */
  movements: readonly Movement[];
  /** When someone opened the entrance door (it closes 10–40 s later). */
  doorOpenings: readonly number[];
  appliances: readonly Appliance[];
  /** Voluntary check-ins ("おはよう"). */
  checkins: readonly PlannedEvent[];
}

/** A resident's day: the facts it was built from, and the events that show them. */
export interface DayPlan extends DayLife {
  events: readonly PlannedEvent[];
}

/**
 * A resident's day as the home's sensors would see it (`coverage`: which motion sensor sees
 * which room), with indoor climate every 10 min and power every 15 min. Pure: the same persona,
 * day and stream give the same plan. `dayStart` is local midnight (epoch ms).
 */
export function planDay(persona: Persona, dayStart: number, rng: Rng, coverage: Coverage = OPEN_PLAN): DayPlan {
  const life = planDayLife(persona, dayStart, rng);
  return { ...life, events: dayEvents(life, persona, dayStart, coverage, rng) };
}

/**
 * A day of an older person living alone: getting up (bedroom, toilet, wash), three meals
 * (cooking in the kitchen, eating in the living room), TV in the morning, afternoon and evening,
 * sometimes a nap, the toilet every few hours, the storage room now and then, at most one outing
 * (entrance door), an evening bath on most days, bed, and the night's toilet trips.
 */
export function planDayLife(persona: Persona, dayStart: number, rng: Rng): DayLife {
  const lateBy = chance(rng, persona.lateMorningChance) ? between(rng, 90, 180) : 0;
  const wakeAt = dayStart + persona.wakeAt + (between(rng, -20, 20) + lateBy) * MINUTE;
  const bedAt = dayStart + persona.bedAt + between(rng, -30, 30) * MINUTE;
  const breakfastAt = wakeAt + between(rng, 20, 50) * MINUTE;
  const dinnerAt = dayStart + persona.dinnerAt + between(rng, -20, 20) * MINUTE;
  const outings = planOutings(persona, dayStart, breakfastAt, dinnerAt, rng);
  const isHome = (t: number) => !outings.some((o) => t >= o.from - 5 * MINUTE && t < o.until + MINUTE);
  // A resident who is out at lunch time eats out.
  const cooking = (at: number) => (isHome(at) ? { from: at, until: at + between(rng, 10, 25) * MINUTE } : undefined);
  const named: Meals = {
    breakfast: cooking(breakfastAt),
    lunch: cooking(dayStart + persona.lunchAt + between(rng, -15, 15) * MINUTE),
    dinner: cooking(dinnerAt),
  };
  const meals = [named.breakfast, named.lunch, named.dinner].filter((m) => m !== undefined);
  const still = planStillTimes(persona, { wakeAt, bedAt, meals: named, outings }, rng);
  const isFree = (t: number) => isHome(t) && !still.busy.some((b) => t >= b.from && t < b.until);

  const movements: Movement[] = [];
  const at = (t: number, room: Movement['room']) => movements.push({ at: t, room });
  // Getting up: out of bed, the toilet, a wash.
  at(wakeAt, 'bedroom');
  at(wakeAt + between(rng, 1, 3) * MINUTE, 'bedroom');
  at(wakeAt + between(rng, 3, 6) * MINUTE, 'toilet');
  at(wakeAt + between(rng, 8, 12) * MINUTE, 'bathroom');
  for (const meal of meals) {
    for (let t = meal.from; t < meal.until; t += between(rng, 1, 3) * MINUTE) at(t, 'kitchen');
    at(meal.until + MINUTE, 'living');
    at(meal.until + between(rng, 8, 15) * MINUTE, 'living');
    at(meal.until + between(rng, 18, 25) * MINUTE, 'kitchen');
  }
  // Pottering about between the still times, mostly in the living room.
  for (
    let t = wakeAt + between(rng, 15, 30) * MINUTE;
    t < bedAt;
    t += between(rng, 0.5, 1.5) * persona.movementEveryMin * MINUTE
  ) {
    if (isFree(t)) at(t, chance(rng, 0.85) ? 'living' : 'kitchen');
  }
  for (const s of still.tv) {
    at(s.from, 'living');
    for (
      let t = s.from + exponential(rng, persona.seatedStillMin);
      t < s.until;
      t += exponential(rng, persona.seatedStillMin)
    )
      at(t, 'living');
    at(s.until, 'living');
  }
  for (const n of still.naps) {
    at(n.from, 'bedroom');
    at(n.until, 'bedroom');
  }
  if (still.bath) {
    for (let t = still.bath.from; t < still.bath.until; t += between(rng, 4, 8) * MINUTE) at(t, 'bathroom');
  }
  // The toilet every 1½–4 h while up and at home (a trip interrupts TV, not a nap).
  for (let t = wakeAt + between(rng, 1.5, 4) * HOUR; t < bedAt - 30 * MINUTE; t += between(rng, 1.5, 4) * HOUR) {
    if (!isHome(t) || still.naps.some((n) => t >= n.from && t < n.until)) continue;
    at(t, 'toilet');
    at(t + between(rng, 2, 4) * MINUTE, 'toilet');
  }
  if (chance(rng, persona.closetVisitsPerWeek / 7)) {
    const t = wakeAt + between(rng, 1, 10) * HOUR;
    if (t < bedAt && isFree(t)) {
      at(t, 'closet');
      at(t + between(rng, 1, 3) * MINUTE, 'closet');
    }
  }
  // Going to bed: a wash, the toilet, the bedroom.
  at(bedAt - between(rng, 15, 25) * MINUTE, 'bathroom');
  at(bedAt - between(rng, 8, 12) * MINUTE, 'toilet');
  at(bedAt - between(rng, 0, 5) * MINUTE, 'bedroom');
  // Nothing of the above happens while out (a meal's dishes wait until the resident is back).
  const atHome = movements.filter((m) => isHome(m.at));
  for (const outing of outings) {
    // The last movement before leaving clears before the door opens; the first after returning follows it.
    atHome.push(
      { at: outing.from - between(rng, 2, 4) * MINUTE, room: 'entrance' },
      { at: outing.until + between(rng, 0.5, 2) * MINUTE, room: 'entrance' },
    );
  }
  const nightTrips = planTrips(persona, dayStart, { wakeAt, bedAt });
  for (const trip of nightTrips) {
    atHome.push(
      { at: trip, room: 'bedroom' },
      { at: trip + between(rng, 1, 2) * MINUTE, room: 'toilet' },
      { at: trip + between(rng, 3, 5) * MINUTE, room: 'toilet' },
      { at: trip + between(rng, 5, 7) * MINUTE, room: 'bedroom' },
    );
  }

  const checkins: PlannedEvent[] = [];
  if (chance(rng, persona.voluntaryCheckinChance)) {
    const text = persona.language === 'ja' ? 'おはよう' : 'Good morning';
    const event = { type: 'checkin', answer: 'fine', via: 'voice', residentId: persona.residentId, text } as const;
    checkins.push({ at: wakeAt + between(rng, 5, 30) * MINUTE, device: 'speaker', event });
  }
  const awake = outings.reduce<Interval[]>(
    (parts, o) => parts.flatMap((p) => cut(p, o)),
    [{ from: wakeAt, until: bedAt }],
  );
  const appliances: Appliance[] = [
    ...awake.map((p) => ({ what: 'lights' as const, ...p, watts: persona.awakeWatts })),
    ...still.tv.map((s) => ({ what: 'tv' as const, ...s, watts: persona.tvWatts })),
    ...meals.map((m) => ({ what: 'cooking' as const, ...m, watts: between(rng, 800, 1300) })),
  ];
  return {
    wakeAt,
    bedAt,
    outings,
    nightTrips,
    stillTimes: [...still.tv, ...still.naps],
    movements: atHome.sort((a, b) => a.at - b.at),
    doorOpenings: outings.flatMap((o) => [o.from, o.until]),
    appliances,
    checkins,
  };
}

/** What the home's devices report of a day's life: PIRs per `coverage`, the door, check-ins, climate, power. */
export function dayEvents(
  life: DayLife,
  persona: Persona,
  dayStart: number,
  coverage: Coverage,
  rng: Rng,
): PlannedEvent[] {
  const events: PlannedEvent[] = [
    ...pirEvents(life.movements, coverage).map((r): PlannedEvent => ({ ...r, device: 'motion' })),
    ...life.checkins,
    ...powerReadings(life.appliances, dayStart, rng).map((r): PlannedEvent => ({ ...r, device: 'power' })),
  ];
  for (const opened of life.doorOpenings) {
    events.push(door(opened, true), door(opened + between(rng, 10, 40) * SECOND, false));
  }
  const isAwakeAtHome = (t: number) =>
    t >= life.wakeAt && t < life.bedAt && !life.outings.some((o) => t >= o.from && t < o.until);
  for (let t = dayStart; t < dayStart + DAY_MS; t += 10 * MINUTE) {
    events.push({ at: t, device: 'environment', event: indoorClimate(persona, t - dayStart, isAwakeAtHome(t), rng) });
  }
  return events.sort((a, b) => a.at - b.at);
}

const door = (at: number, open: boolean): PlannedEvent => ({
  at,
  device: 'door',
  event: { type: 'door', name: 'entrance', open },
});

/** At most one outing a day, between breakfast and dinner, of half an hour to three hours. */
function planOutings(persona: Persona, dayStart: number, breakfastAt: number, dinnerAt: number, rng: Rng): Outing[] {
  if (!chance(rng, persona.outingChance)) return [];
  const from = Math.max(dayStart + between(rng, 9.5, 15.5) * HOUR, breakfastAt + 20 * MINUTE);
  const until = Math.min(from + between(rng, 0.5, 3) * HOUR, dinnerAt - 30 * MINUTE);
  return until - from >= 20 * MINUTE ? [{ from, until }] : [];
}

/** Minutes to the next of events that come at random with the given mean (ms). */
const exponential = (rng: Rng, meanMinutes: number) => -Math.log(1 - rng()) * meanMinutes * MINUTE;

/**
 * Indoor temperature follows the day (coolest before dawn, warmest mid-afternoon) and rises
 * a little while the resident is up and heating or cooking; humidity moves the other way.
 */
function indoorClimate(persona: Persona, sinceMidnight: number, occupied: boolean, rng: Rng): DeviceEventBody {
  const curve = Math.cos((2 * Math.PI * (sinceMidnight - 14 * HOUR)) / DAY_MS);
  const temperatureC = persona.indoorBaseC + 2.5 * curve + (occupied ? 1 : 0) + between(rng, -0.3, 0.3);
  const humidityPct = 55 - 6 * curve + between(rng, -3, 3);
  return {
    type: 'environment',
    temperatureC: Math.round(temperatureC * 10) / 10,
    humidityPct: Math.round(humidityPct),
  };
}
