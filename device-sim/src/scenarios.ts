import type { DeviceEventBody } from '@mimamori/contract';
import type { DeviceRole, SimHome } from './provision.js';

/** What a scenario may do to the simulated homes, in simulated time. */
export interface ScenarioContext {
  homes: readonly SimHome[];
  /** Runs `action` once `afterMs` of simulated time has passed. */
  after(afterMs: number, action: () => void): void;
  publish(home: SimHome, device: DeviceRole, event: DeviceEventBody): void;
  log(line: string): void;
}

export type Scenario = (context: ScenarioContext) => void;

/** Scenarios by name; each adds to the homes' normal routines. */
export const SCENARIOS: Record<string, Scenario> = {
  normal: () => {},
  sos: ({ homes, after, publish, log }) => {
    const home = homes[0];
    if (!home) return;
    after(10_000, () => {
      log(`scenario sos: ${home.persona.name} (${home.homeId}) presses the SOS button`);
      publish(home, 'sos', { type: 'sos', via: 'button', residentId: home.residentId });
    });
  },
};
