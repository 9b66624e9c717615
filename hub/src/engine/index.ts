export { RulesEngine, type EventConsumer, type RulesEngineDeps } from './rules-engine.js';
export { DeadlineScheduler } from './deadline-scheduler.js';
export type { Decision, RaiseAlert, RuleEvaluator } from './decisions.js';
