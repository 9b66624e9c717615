import { normal } from './normal.js';
import type { Scenario } from './scenario.js';
import { sos } from './sos.js';

export type { Scenario, ScenarioContext, ScenarioHome } from './scenario.js';

/** Every scenario by its `--scenario` name. To add one (fall, hospital stay, heat, device failure), add a module and list it here. */
export const SCENARIOS = { normal, sos } as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as [ScenarioName, ...ScenarioName[]];
