export { startSimulation, type SimulationOptions } from './simulation.js';
export { SCENARIOS } from './scenarios.js';
export { planDay, type PlannedEvent } from './routine.js';
export { createPersona, type Persona } from './persona.js';
export { seededRng } from './rng.js';
