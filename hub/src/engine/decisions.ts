import type { Alert } from '@mimamori/contract';
import type { StoredEvent } from '../store/index.js';

/** What an evaluator asks for; the engine turns decisions into stored alerts. Evaluators do no I/O. */
export interface RaiseAlert {
  kind: 'raise';
  homeId: string;
  residentId: string | undefined;
  rule: string;
  severity: Alert['severity'];
  /** Plain words for the watcher, in Japanese and English; no health detail beyond what the rule needs. */
  message: { ja: string; en: string };
  sourceEventSeq: number | undefined;
}

export type Decision = RaiseAlert;

/**
 * A rule type: a pure function of its own state, one input, its parameters and now.
 * Stateless rules (like `sos`) use `undefined` state.
 */
export type RuleEvaluator<State, Params> = (
  state: State,
  input: StoredEvent,
  params: Params,
  now: number,
) => { state: State; decisions: Decision[] };
