import type { EventType, RuleParams, RuleType, Severity } from '@mimamori/contract';
import type { z } from 'zod';
import type { Evaluation, RuleEvaluator, RuleInput, RuleSettings } from './decisions.js';

declare const opaque: unique symbol;
/** A rule's memory of one home: opaque outside its own type, whose evaluator alone reads it. */
export type RuleState = { readonly [opaque]: 'RuleState' };

/** A state as read back from the store: the type's own, or one of an older shape to drop. */
export type RestoredState = { ok: true; state: RuleState | undefined } | { ok: false; reason: string };

/** What the engine, the backtest and the API know about a rule type. */
export interface RuleTypeDefinition {
  type: RuleType;
  defaultSeverity: Severity;
  /** The event types that can change the rule's state; it is not asked about others. */
  reads: ReadonlySet<EventType>;
  /** Device status changes (live only) matter to it. */
  readsStatus: boolean;
  /** While the home has an active absence the rule is not run, and starts afresh after it. */
  pausedByAbsence: boolean;
  /** Judges against the home's learned baseline. */
  learned: boolean;
  /** False for `checkin.missed`, which the check-in service raises from its schedules. */
  evaluates: boolean;
  /** Parses a state stored by an earlier run with the type's schema. */
  restore(stored: unknown): RestoredState;
  /**
   * Runs the type's evaluator: the one way the live engine and `replay()` drive a rule. The
   * settings are the ones `settingsFor` made for this type (their params parsed by its schema).
   */
  run(
    state: RuleState | undefined,
    input: RuleInput,
    settings: RuleSettings<unknown>,
    now: number,
  ): Evaluation<RuleState | undefined>;
}

interface RuleTypeSpec<T extends RuleType, S> {
  defaultSeverity: Severity;
  reads: readonly EventType[];
  readsStatus?: boolean;
  pausedByAbsence: boolean;
  learned?: boolean;
  /** The shape of what the rule remembers per home (`z.undefined()` for rules that keep nothing). */
  state: z.ZodType<S>;
  evaluate: RuleEvaluator<S, RuleParams<T>> | undefined;
}

/**
 * A rule type from its evaluator and the schema of its state. The evaluator's types meet the
 * catalogue's erased ones here and nowhere else: states only ever reach `run` from `restore` or
 * from the same type's previous `run`, and settings from `settingsFor` with this type's params.
 */
export function defineRuleType<T extends RuleType, S>(type: T, spec: RuleTypeSpec<T, S>): RuleTypeDefinition {
  const { evaluate, state: schema } = spec;
  return {
    type,
    defaultSeverity: spec.defaultSeverity,
    reads: new Set(spec.reads),
    readsStatus: spec.readsStatus ?? false,
    pausedByAbsence: spec.pausedByAbsence,
    learned: spec.learned ?? false,
    evaluates: evaluate !== undefined,
    restore(stored) {
      if (stored === undefined || stored === null) return { ok: true, state: undefined };
      const parsed = schema.safeParse(stored);
      if (parsed.success) return { ok: true, state: parsed.data as unknown as RuleState };
      const issue = parsed.error.issues[0];
      return { ok: false, reason: issue ? `${issue.path.join('.') || '(state)'}: ${issue.message}` : 'invalid' };
    },
    run(state, input, settings, now) {
      if (!evaluate) return { state, decisions: [], wakeAt: undefined };
      const result = evaluate(state as unknown as S | undefined, input, settings as RuleSettings<RuleParams<T>>, now);
      return result as unknown as Evaluation<RuleState | undefined>;
    },
  };
}
