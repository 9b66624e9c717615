import type { DeviceEventBody } from '@mimamori/contract';
import type { Persona } from './persona.js';
import { between, type Rng } from './rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type SensorRole = 'speaker' | 'motion' | 'door' | 'environment' | 'power';

/** One thing a home's devices will report, at `at` (epoch ms of simulated time). */
export interface PlannedEvent {
  at: number;
  device: SensorRole;
  event: DeviceEventBody;
}

/** A PIR sensor clears occupancy by itself after about 90 s (PROTOCOL.md, motion). */
const PIR_CLEAR_MS = 90_000;

/**
 * A resident's day as sensor events: waking, moving about, meals, going out, indoor climate,
 * power use. Pure: the same persona, day and random stream always give the same plan.
 * `dayStart` is local midnight of the day (epoch ms).
 */
export function planDay(persona: Persona, dayStart: number, rng: Rng): PlannedEvent[] {
  const plan: PlannedEvent[] = [];
  const wake = dayStart + persona.wakeAt + between(rng, -20, 20) * MINUTE;
  const bed = dayStart + persona.bedAt + between(rng, -30, 30) * MINUTE;
  const outFrom = rng() < 0.6 ? dayStart + between(rng, 9.5, 15) * HOUR : undefined;
  const outUntil = outFrom === undefined ? undefined : outFrom + between(rng, 0.5, 3) * HOUR;
  const isOut = (t: number) => outFrom !== undefined && outUntil !== undefined && t >= outFrom && t < outUntil;

  const motion = (at: number, room: string) => {
    plan.push({ at, device: 'motion', event: { type: 'motion', room, occupied: true } });
    plan.push({ at: at + PIR_CLEAR_MS, device: 'motion', event: { type: 'motion', room, occupied: false } });
  };
  motion(wake, 'bedroom');
  if (rng() < persona.voluntaryCheckin) {
    plan.push({ at: wake + between(rng, 5, 30) * MINUTE, device: 'speaker', event: { type: 'checkin', answer: 'fine', via: 'voice', text: 'おはよう' } });
  }
  for (let t = wake + between(rng, 10, 30) * MINUTE; t < bed; t += between(rng, 15, 45) * MINUTE) {
    if (!isOut(t)) motion(t, rng() < 0.7 ? 'living' : 'kitchen');
  }
  if (outFrom !== undefined && outUntil !== undefined) {
    for (const at of [outFrom, outFrom + 20_000, outUntil, outUntil + 20_000]) {
      plan.push({ at, device: 'door', event: { type: 'door', name: 'entrance', open: at === outFrom || at === outUntil } });
    }
  }
  for (let t = dayStart; t < dayStart + 24 * HOUR; t += 10 * MINUTE) {
    // Indoor temperature follows the day: coolest before dawn, warmest mid-afternoon.
    const phase = ((t - dayStart) / (24 * HOUR) - 0.375) * 2 * Math.PI;
    const temperatureC = Math.round((22 + 4 * Math.sin(phase) + between(rng, -0.5, 0.5)) * 10) / 10;
    const humidityPct = Math.round(between(rng, 40, 60));
    plan.push({ at: t, device: 'environment', event: { type: 'environment', temperatureC, humidityPct } });
  }
  for (let t = dayStart; t < dayStart + 24 * HOUR; t += 30 * MINUTE) {
    const awake = t >= wake && t < bed && !isOut(t);
    plan.push({ at: t, device: 'power', event: { type: 'power', watts: Math.round(awake ? between(rng, 150, 900) : between(rng, 40, 90)) } });
  }
  return plan.sort((a, b) => a.at - b.at);
}
