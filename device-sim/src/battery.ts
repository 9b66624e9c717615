import { DAY_MS } from './jst.js';

/** A battery-powered sensor's charge: where it started and how fast it drains. */
export interface BatteryModel {
  startPct: number;
  drainPctPerDay: number;
}

/** Whole-percent charge after `elapsedMs` of simulated time, as sensors report it; never below 0. */
export function batteryLevel(model: BatteryModel, elapsedMs: number): number {
  return Math.max(0, Math.floor(model.startPct - (model.drainPctPerDay * elapsedMs) / DAY_MS));
}
