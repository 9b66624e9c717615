import type { DeviceEventBody } from '@mimamori/contract';
import { DAY_MS } from './jst.js';
import { between, type Rng } from './rng.js';

const MINUTE = 60_000;
/** The whole-home meter reports every 15 min, and at once when an appliance switches on or off. */
const READING_EVERY_MS = 15 * MINUTE;

/** Something drawing power from `from` until `until`: the cooker, the TV, lights and small things while up. */
export interface Appliance {
  what: 'cooking' | 'tv' | 'lights';
  from: number;
  until: number;
  watts: number;
}

export interface PowerReading {
  at: number;
  event: Extract<DeviceEventBody, { type: 'power' }>;
}

/**
 * The whole-home meter over one local day: the fridge cycling and standby loads (50–110 W at any
 * reading) plus whatever appliance is on. A TV left on, or lights, keep drawing after the person
 * who switched them on can no longer move (a fall): the meter cannot tell.
 */
export function powerReadings(appliances: readonly Appliance[], dayStart: number, rng: Rng): PowerReading[] {
  const dayEnd = dayStart + DAY_MS;
  const times = new Set<number>();
  for (let t = dayStart; t < dayEnd; t += READING_EVERY_MS) times.add(t);
  for (const a of appliances) {
    for (const t of [a.from, a.until]) if (t >= dayStart && t < dayEnd) times.add(t);
  }
  return [...times]
    .sort((a, b) => a - b)
    .map((at) => {
      const on = appliances.reduce((sum, a) => (at >= a.from && at < a.until ? sum + a.watts : sum), 0);
      return { at, event: { type: 'power', watts: Math.round(between(rng, 50, 110) + on) } };
    });
}
