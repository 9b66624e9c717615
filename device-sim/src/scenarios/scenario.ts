import type { DeviceEventBody } from '@mimamori/contract';
import type { DeviceRole } from '../home-spec.js';
import type { Log } from '@mimamori/device-link';

/** A simulated home as a scenario sees it. */
export interface ScenarioHome {
  readonly homeId: string;
  readonly residentId: string;
  readonly residentName: string;
  /** Publishes from the home's device with this role (with its battery level, if any). */
  publish(role: DeviceRole, body: DeviceEventBody): void;
}

/** What a scenario may do, in simulated time, on top of the homes' daily routines. */
export interface ScenarioContext {
  readonly homes: readonly ScenarioHome[];
  /** Runs `action` once `delayMs` of simulated time has passed. */
  after(delayMs: number, action: () => void): void;
  log: Log;
}

/**
 * One story the simulator can play (`--scenario`). A scenario only schedules actions in
 * start(); the simulation cancels whatever is pending when it stops.
 */
export interface Scenario {
  description: string;
  start(context: ScenarioContext): void;
}
