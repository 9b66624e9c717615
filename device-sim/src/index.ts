/** The simulator as a library, so tests can run it in-process; the CLI is a thin wrapper. */
export { startSimulation, type Simulation, type SimulationOptions } from './simulation.js';
export { simulationSettings, type SimulationSettings } from './settings.js';
export type { SimulationStats } from './stats.js';
export type { Clock } from '@mimamori/contract';
export { silentLog, type Log } from '@mimamori/device-link';
export {
  SCENARIOS,
  SCENARIO_NAMES,
  type Scenario,
  type ScenarioContext,
  type ScenarioName,
} from './scenarios/index.js';
export { describeHome, type DeviceRole, type HomeSpec } from './home-spec.js';
export { planDay, type DayPlan, type PlannedEvent } from './routine.js';
export type { Persona } from './persona.js';
