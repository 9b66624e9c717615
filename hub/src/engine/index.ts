export { RulesEngine, type EventConsumer, type RulesEngineDeps } from './rules-engine.js';
export type {
  AskResident,
  ClearAlert,
  Decision,
  HomeContext,
  RaiseAlert,
  RuleEvaluator,
  RuleInput,
  RuleSettings,
} from './decisions.js';
export { RuleRegistry, type ActiveRule } from './rule-registry.js';
export { HomeContexts, type HomeFacts } from './home-context.js';
export { RULE_CATALOGUE, DEFAULT_RULES, INCIDENT_ROLES } from './catalogue.js';
export { RuleAdmin, RuleChangeError } from './rule-admin.js';
export { BaselineJob } from './baseline-job.js';
export { BacktestRunner } from './backtest-runner.js';
