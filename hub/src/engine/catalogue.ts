import { ruleParams, type EventType, type Rule, type RuleType, type Severity } from '@mimamori/contract';
import { windowOf } from '../time/local-time.js';
import type { RuleEvaluator, RuleSettings } from './decisions.js';
import { evaluateActivityDrop } from './rules/activity-drop.js';
import { evaluateCheckinConcern } from './rules/checkin-concern.js';
import { evaluateDeviceBattery } from './rules/device-battery.js';
import { evaluateDeviceOffline } from './rules/device-offline.js';
import { evaluateCold, evaluateHeat } from './rules/environment.js';
import { evaluateInactivity } from './rules/inactivity.js';
import { evaluateNightActivity } from './rules/night-activity.js';
import { evaluateSos } from './rules/sos.js';
import { evaluateUsageContinuous } from './rules/usage-continuous.js';
import { evaluateWakeLate } from './rules/wake-late.js';

/** What the engine needs to know about a rule type besides its evaluator. */
export interface RuleTypeDefinition {
  defaultSeverity: Severity;
  /** The event types that can change the rule's state; it is not asked about others. */
  reads: ReadonlySet<EventType>;
  /** Device status changes (live only) matter to it. */
  readsStatus: boolean;
  /** While the home has an active absence the rule is not run, and starts afresh after it. */
  pausedByAbsence: boolean;
  /** Judges against the home's learned baseline. */
  learned: boolean;
  /** Undefined for `checkin.missed`, which the check-in service raises from its schedules. */
  evaluate: RuleEvaluator<unknown, never> | undefined;
}

const ACTIVITY: EventType[] = ['motion', 'door', 'power', 'checkin', 'sos'];
/** Activity, and the heartbeats that show a quiet sensor is still alive. */
const ACTIVITY_AND_LIFE: EventType[] = [...ACTIVITY, 'heartbeat'];
const ALL: EventType[] = ['motion', 'door', 'environment', 'power', 'checkin', 'sos', 'heartbeat'];
const define = <S, P>(
  d: Omit<RuleTypeDefinition, 'evaluate' | 'reads'> & { reads: EventType[]; evaluate: RuleEvaluator<S, P> | undefined },
): RuleTypeDefinition => ({
  ...d,
  reads: new Set(d.reads),
  evaluate: d.evaluate as RuleEvaluator<unknown, never> | undefined,
});

export const RULE_CATALOGUE: Record<RuleType, RuleTypeDefinition> = {
  'checkin.missed': define({
    defaultSeverity: 'warning',
    reads: [],
    readsStatus: false,
    pausedByAbsence: true,
    learned: false,
    evaluate: undefined,
  }),
  'checkin.concern': define({
    defaultSeverity: 'warning',
    reads: ['checkin'],
    readsStatus: false,
    pausedByAbsence: false,
    learned: false,
    evaluate: evaluateCheckinConcern,
  }),
  sos: define({
    defaultSeverity: 'critical',
    reads: ['sos'],
    readsStatus: false,
    pausedByAbsence: false,
    learned: false,
    evaluate: evaluateSos,
  }),
  inactivity: define({
    defaultSeverity: 'warning',
    reads: ACTIVITY_AND_LIFE,
    readsStatus: false,
    pausedByAbsence: true,
    learned: false,
    evaluate: evaluateInactivity,
  }),
  'wake.late': define({
    defaultSeverity: 'warning',
    reads: ACTIVITY,
    readsStatus: false,
    pausedByAbsence: true,
    learned: true,
    evaluate: evaluateWakeLate,
  }),
  'activity.drop': define({
    defaultSeverity: 'info',
    reads: ACTIVITY,
    readsStatus: false,
    pausedByAbsence: true,
    learned: true,
    evaluate: evaluateActivityDrop,
  }),
  'night.activity': define({
    defaultSeverity: 'warning',
    reads: ACTIVITY,
    readsStatus: false,
    pausedByAbsence: true,
    learned: true,
    evaluate: evaluateNightActivity,
  }),
  'environment.heat': define({
    defaultSeverity: 'warning',
    reads: ['environment', 'checkin'],
    readsStatus: false,
    pausedByAbsence: true,
    learned: false,
    evaluate: evaluateHeat,
  }),
  'environment.cold': define({
    defaultSeverity: 'warning',
    reads: ['environment', 'checkin'],
    readsStatus: false,
    pausedByAbsence: true,
    learned: false,
    evaluate: evaluateCold,
  }),
  'usage.continuous': define({
    defaultSeverity: 'warning',
    reads: ['power'],
    readsStatus: false,
    pausedByAbsence: false,
    learned: false,
    evaluate: evaluateUsageContinuous,
  }),
  'device.offline': define({
    defaultSeverity: 'warning',
    reads: ALL,
    readsStatus: true,
    pausedByAbsence: false,
    learned: false,
    evaluate: evaluateDeviceOffline,
  }),
  'device.battery': define({
    defaultSeverity: 'info',
    reads: ALL,
    readsStatus: false,
    pausedByAbsence: false,
    learned: false,
    evaluate: evaluateDeviceBattery,
  }),
};

/** The rules a new hub starts with: one per type, and two for inactivity (daytime and absolute). */
export const DEFAULT_RULES: Pick<Rule, 'id' | 'type' | 'severity' | 'activeHours' | 'params'>[] = [
  ...(Object.keys(RULE_CATALOGUE) as RuleType[])
    .filter((type) => type !== 'inactivity')
    .map((type) => ({ id: type, type, severity: RULE_CATALOGUE[type].defaultSeverity, activeHours: null, params: {} })),
  // Water and power services watch 8 h of daytime; municipal PIR services 24 h around the clock.
  {
    id: 'inactivity',
    type: 'inactivity',
    severity: 'warning',
    activeHours: { from: '07:00', to: '21:00' },
    params: {},
  },
  {
    id: 'inactivity.24h',
    type: 'inactivity',
    severity: 'critical',
    activeHours: null,
    params: { durationMinutes: 24 * 60 },
  },
];

/**
 * Validates parameters of a type, filling in defaults; the zod error names the failing field.
 * Stored params are kept as given, so that a later change of a default reaches every rule that
 * did not choose a value.
 */
export const parseParams = (type: RuleType, params: Record<string, unknown>) => ruleParams[type].safeParse(params);

/** Whether the rule watches this home at all (scope), before overrides. */
export function inScope(rule: Pick<Rule, 'scope'>, home: { id: string; district: string | null }): boolean {
  switch (rule.scope.kind) {
    case 'all':
      return true;
    case 'districts':
      return home.district !== null && rule.scope.districts.includes(home.district);
    case 'homes':
      return rule.scope.homeIds.includes(home.id);
  }
}

/**
 * The rule as it applies to one home: undefined when it does not (disabled, out of scope, or
 * switched off for the home), else its settings with the home's override merged in.
 */
export function settingsFor(
  rule: Rule,
  home: { id: string; district: string | null },
  proposal?: Record<string, unknown>,
): RuleSettings<unknown> | undefined {
  const override = rule.overrides.find((o) => o.homeId === home.id);
  const enabled = override?.enabled ?? rule.enabled;
  if (!enabled || !inScope(rule, home)) return undefined;
  const parsed = parseParams(rule.type, { ...(proposal ?? rule.params), ...override?.params });
  // Stored params were validated on save; a type whose schema later tightened falls back to defaults.
  const params = parsed.success ? parsed.data : ruleParams[rule.type].parse({});
  return {
    id: rule.id,
    severity: rule.severity,
    activeHours: rule.activeHours ? windowOf(rule.activeHours) : undefined,
    params,
  };
}
