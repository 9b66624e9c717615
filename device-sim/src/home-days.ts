import type { Visit } from './episodes.js';
import type { HomeSpec } from './home-spec.js';
import { TV_AUTO_OFF_MS } from './incidents.js';
import { DAY_MS } from './jst.js';
import type { Appliance } from './power.js';
import { between, chance, pick, type Rng } from './rng.js';
import type { Movement, Room } from './rooms.js';
import type { DayLife } from './routine.js';
import { poisson, type Interval } from './still-times.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Where the resident is over the weeks: away (and back), or unable to move from a moment on. */
export interface Whereabouts {
  /** Times away from home: registered or not, coming back or (until Infinity) not. */
  away: readonly Interval[];
  /** From then on the resident cannot move (Infinity: never). */
  stillFrom: number;
}

/** Whether the resident is at home and able to move at `t`. */
export const canAct = (w: Whereabouts, t: number): boolean =>
  t < w.stillFrom && !w.away.some((a) => t >= a.from && t < a.until);

/**
 * The resident's part of a day as it really went: planned movements, door openings and
 * check-ins only while at home and able to move, plus leaving and coming back through the
 * entrance for each time away that begins or ends this day.
 */
export function residentDay(life: DayLife, w: Whereabouts, dayStart: number, rng: Rng) {
  const inDay = (t: number) => t >= dayStart && t < dayStart + DAY_MS;
  const movements: Movement[] = life.movements.filter((m) => canAct(w, m.at));
  const doorOpenings = life.doorOpenings.filter((t) => canAct(w, t));
  for (const { from, until } of w.away) {
    if (inDay(from) && from < w.stillFrom) {
      movements.push({ at: from - between(rng, 2, 4) * MINUTE, room: 'entrance' });
      doorOpenings.push(from);
    }
    if (inDay(until) && until < w.stillFrom) {
      doorOpenings.push(until);
      movements.push({ at: until + between(rng, 0.5, 2) * MINUTE, room: 'entrance' });
    }
  }
  return { movements, doorOpenings, checkins: life.checkins.filter((c) => canAct(w, c.at)) };
}

/**
 * Everything drawing power over the whole history, as it really went: an appliance the resident
 * could not have switched on does not run; leaving switches everything off; after a fall, lights
 * stay on and the TV until it switches itself off, the cooker until its own timer.
 */
export function appliancesOf(lives: readonly DayLife[], w: Whereabouts): Appliance[] {
  const departures = w.away.map((a) => a.from);
  return lives.flatMap((life) =>
    life.appliances.flatMap((a): Appliance[] => {
      if (!canAct(w, a.from)) return [];
      const left = departures.find((d) => d > a.from && d < a.until && d < w.stillFrom);
      if (left !== undefined) return [{ ...a, until: left }];
      if (w.stillFrom < a.from || w.stillFrom >= a.until || a.what === 'cooking') return [a];
      return [{ ...a, until: a.what === 'lights' ? Infinity : Math.max(w.stillFrom, a.from + TV_AUTO_OFF_MS) }];
    }),
  );
}

/**
 * A visiting family member moving about the living room, kitchen and toilet every 5–20 min while
 * up; one staying the night sleeps in the living room (23:00–06:30) and may get up once for the
 * toilet. They come and go through the entrance.
 */
export function guestDay(visits: readonly Visit[], dayStart: number, rng: Rng) {
  const movements: Movement[] = [];
  const doorOpenings: number[] = [];
  const dayEnd = dayStart + DAY_MS;
  for (const visit of visits.filter((v) => v.from < dayEnd && v.until > dayStart)) {
    for (const t of [visit.from, visit.until]) if (t >= dayStart && t < dayEnd) doorOpenings.push(t);
    const asleep = (t: number) => {
      const hour = (t - dayStart) / HOUR;
      return visit.overnight && (hour >= 23 || hour < 6.5);
    };
    const from = Math.max(visit.from, dayStart);
    for (let t = from; t < Math.min(visit.until, dayEnd); t += between(rng, 5, 20) * MINUTE) {
      if (!asleep(t)) movements.push({ at: t, room: pick(rng, ['living', 'living', 'kitchen', 'toilet'] as const) });
    }
    const night = dayStart + between(rng, 1, 5) * HOUR;
    if (visit.overnight && night >= visit.from && night < visit.until && chance(rng, 0.5)) {
      movements.push({ at: night, room: 'living' }, { at: night + between(rng, 1, 2) * MINUTE, room: 'toilet' });
    }
  }
  return { movements, doorOpenings };
}

/**
 * Single triggers nobody caused, at random moments, each in a random room a sensor watches: a
 * cat, warm air from the fridge or a heater, a glitch. The same whether or not anyone is home.
 */
export function strayMovements(spec: HomeSpec, dayStart: number, rng: Rng): Movement[] {
  const rooms = Object.keys(spec.coverage) as Room[];
  return Array.from({ length: poisson(rng, spec.strayTriggersPerDay) }, () => ({
    at: dayStart + between(rng, 0, DAY_MS - 2 * MINUTE),
    room: pick(rng, rooms as [Room, ...Room[]]),
  }));
}
