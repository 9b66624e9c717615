import type { DeviceEventBody } from '@mimamori/contract';
import type { DeviceRole } from './home-spec.js';
import { DAY_MS } from './jst.js';
import type { Persona } from './persona.js';
import { between, chance, type Rng } from './rng.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A PIR sensor clears occupancy by itself ~90 s after the last movement (PROTOCOL.md, motion). */
export const PIR_CLEAR_MS = 90 * SECOND;

export type RoutineDevice = Exclude<DeviceRole, 'sos'>;

/** One thing a home's devices will report at `at` (epoch ms of simulated time). */
export interface PlannedEvent {
  at: number;
  device: RoutineDevice;
  event: DeviceEventBody;
}

export interface Outing {
  from: number;
  until: number;
}

/** A resident's day: the facts it was built from, and the events that show them. */
export interface DayPlan {
  wakeAt: number;
  bedAt: number;
  outings: readonly Outing[];
  nightTrips: readonly number[];
  events: readonly PlannedEvent[];
}

/**
 * A resident's day as the home's sensors would see it: waking, meals (movement in the
 * open-plan living room and a cooking spike on the power meter), an occasional outing
 * (entrance door, no movement while out), bed time, a night-time trip, indoor climate every
 * 10 min, power every 15 min. Pure: the same persona, day and stream give the same plan.
 * `dayStart` is local midnight (epoch ms).
 */
export function planDay(persona: Persona, dayStart: number, rng: Rng): DayPlan {
  const wakeAt = dayStart + persona.wakeAt + between(rng, -20, 20) * MINUTE;
  const bedAt = dayStart + persona.bedAt + between(rng, -30, 30) * MINUTE;
  const breakfastAt = wakeAt + between(rng, 20, 50) * MINUTE;
  const dinnerAt = dayStart + persona.dinnerAt + between(rng, -20, 20) * MINUTE;
  const outings = planOutings(persona, dayStart, breakfastAt, dinnerAt, rng);
  const isHome = (t: number) => !outings.some((o) => t >= o.from && t < o.until);
  const isAwakeAtHome = (t: number) => t >= wakeAt && t < bedAt && isHome(t);
  // A resident who is out at lunch time eats out.
  const meals = [breakfastAt, dayStart + persona.lunchAt + between(rng, -15, 15) * MINUTE, dinnerAt]
    .filter(isHome)
    .map((at) => ({ at, cookedUntil: at + between(rng, 10, 25) * MINUTE }));
  const isCooking = (t: number) => meals.some((m) => t >= m.at && t < m.cookedUntil);

  const movements = [wakeAt + between(rng, 1, 5) * MINUTE, bedAt - between(rng, 2, 10) * MINUTE];
  for (const meal of meals) movements.push(meal.at, meal.at + between(rng, 10, 25) * MINUTE);
  for (
    let t = wakeAt + between(rng, 10, 30) * MINUTE;
    t < bedAt;
    t += between(rng, 0.5, 1.5) * persona.movementEveryMin * MINUTE
  ) {
    movements.push(t);
  }
  const nightTrips = chance(rng, persona.nightTripChance) ? [dayStart + between(rng, 1, 4.5) * HOUR] : [];
  const events: PlannedEvent[] = [];
  const atHome = movements.filter((t) => outings.every((o) => t < o.from - 5 * MINUTE || t > o.until + MINUTE));
  for (const outing of outings) {
    // Last movement before leaving clears before the door opens; the first after returning follows it.
    atHome.push(outing.from - between(rng, 2, 4) * MINUTE, outing.until + between(rng, 0.5, 2) * MINUTE);
    for (const [at, open] of [
      [outing.from, true],
      [outing.from + between(rng, 10, 40) * SECOND, false],
      [outing.until, true],
      [outing.until + between(rng, 10, 40) * SECOND, false],
    ] as const) {
      events.push({ at, device: 'door', event: { type: 'door', name: 'entrance', open } });
    }
  }
  events.push(...pirEvents([...atHome, ...nightTrips]));

  if (chance(rng, persona.voluntaryCheckinChance)) {
    const text = persona.language === 'ja' ? 'おはよう' : 'Good morning';
    const event = { type: 'checkin', answer: 'fine', via: 'voice', residentId: persona.residentId, text } as const;
    events.push({ at: wakeAt + between(rng, 5, 30) * MINUTE, device: 'speaker', event });
  }
  for (let t = dayStart; t < dayStart + DAY_MS; t += 10 * MINUTE) {
    events.push({ at: t, device: 'environment', event: indoorClimate(persona, t - dayStart, isAwakeAtHome(t), rng) });
  }
  const watts = (t: number) =>
    Math.round(
      isCooking(t) ? between(rng, 900, 1400) : isAwakeAtHome(t) ? between(rng, 150, 450) : between(rng, 50, 110),
    );
  const powerAt = meals.flatMap((m) => [m.at, m.cookedUntil]);
  for (let t = dayStart; t < dayStart + DAY_MS; t += 15 * MINUTE) powerAt.push(t);
  for (const at of powerAt) events.push({ at, device: 'power', event: { type: 'power', watts: watts(at) } });

  return { wakeAt, bedAt, outings, nightTrips, events: events.sort((a, b) => a.at - b.at) };
}

/** At most one outing a day, between breakfast and dinner, of half an hour to three hours. */
function planOutings(persona: Persona, dayStart: number, breakfastAt: number, dinnerAt: number, rng: Rng): Outing[] {
  if (!chance(rng, persona.outingChance)) return [];
  const from = Math.max(dayStart + between(rng, 9.5, 15.5) * HOUR, breakfastAt + 20 * MINUTE);
  const until = Math.min(from + between(rng, 0.5, 3) * HOUR, dinnerAt - 30 * MINUTE);
  return until - from >= 20 * MINUTE ? [{ from, until }] : [];
}

/**
 * What a PIR reports for these movement times: `occupied: true` at the first movement, and
 * `occupied: false` 90 s after the last one of a burst (a movement before it clears re-arms it).
 */
export function pirEvents(movements: readonly number[]): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const sorted = [...movements].sort((a, b) => a - b);
  let clearAt = -Infinity;
  for (const t of sorted) {
    if (t >= clearAt) {
      if (clearAt !== -Infinity) events.push(pir(clearAt, false));
      events.push(pir(t, true));
    }
    clearAt = t + PIR_CLEAR_MS;
  }
  if (clearAt !== -Infinity) events.push(pir(clearAt, false));
  return events;
}

const pir = (at: number, occupied: boolean): PlannedEvent => ({
  at,
  device: 'motion',
  event: { type: 'motion', room: 'living', occupied },
});

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
