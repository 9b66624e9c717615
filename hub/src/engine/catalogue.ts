import { ruleParams, type Rule, type RuleType } from '@mimamori/contract';
import { z } from 'zod';
import { windowOf } from '../time/local-time.js';
import type { IncidentRole } from '../ports/index.js';
import type { RuleSettings } from './decisions.js';
import { defineRuleType, type RuleTypeDefinition } from './rule-type.js';
import { activityDrop } from './rules/activity-drop.js';
import { checkinConcern } from './rules/checkin-concern.js';
import { deviceBattery } from './rules/device-battery.js';
import { deviceOffline } from './rules/device-offline.js';
import { environmentCold, environmentHeat } from './rules/environment.js';
import { inactivity } from './rules/inactivity.js';
import { nightActivity } from './rules/night-activity.js';
import { outLong } from './rules/out-long.js';
import { silenceUnusual } from './rules/silence-unusual.js';
import { sos } from './rules/sos.js';
import { usageContinuous } from './rules/usage-continuous.js';
import { wakeLate } from './rules/wake-late.js';

/** Every rule type, each defined in its own file under `rules/` (a new type: a file and a line here). */
export const RULE_CATALOGUE: Record<RuleType, RuleTypeDefinition> = {
  // Raised by the check-in service from its schedules; listed so staff tune and scope it like any rule.
  'checkin.missed': defineRuleType('checkin.missed', {
    defaultSeverity: 'warning',
    reads: [],
    pausedByAbsence: true,
    state: z.undefined(),
    evaluate: undefined,
  }),
  'checkin.concern': checkinConcern,
  sos,
  inactivity,
  'silence.unusual': silenceUnusual,
  'out.long': outLong,
  'wake.late': wakeLate,
  'activity.drop': activityDrop,
  'night.activity': nightActivity,
  'environment.heat': environmentHeat,
  'environment.cold': environmentCold,
  'usage.continuous': usageContinuous,
  'device.offline': deviceOffline,
  'device.battery': deviceBattery,
};

/**
 * Which rule types' alerts fold into a home's one incident (issue 18.4, alerts/incident.ts):
 * those that say the resident may be lying still, not up, gone or less active lead; a device
 * offline only joins an incident already open (alone it is a technician's matter). The others
 * never group: an SOS and a `help` answer break through at once, as their own alert.
 */
export const INCIDENT_ROLES: Partial<Record<RuleType, IncidentRole>> = {
  inactivity: 'leads',
  'silence.unusual': 'leads',
  'out.long': 'leads',
  'wake.late': 'leads',
  'activity.drop': 'leads',
  'device.offline': 'joins',
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

/**
 * Stored parameters, leaving out any the type no longer has (issue 18 retired `inactivity`'s
 * `powerActivityWatts` when presence became the one judge of activity), so that the values staff
 * chose for the others are kept.
 */
function parseKnownParams(type: RuleType, params: Record<string, unknown>) {
  const parsed = parseParams(type, params);
  const retired = parsed.error?.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
  if (!retired?.length) return parsed;
  return parseParams(type, Object.fromEntries(Object.entries(params).filter(([key]) => !retired.includes(key))));
}

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
  const parsed = parseKnownParams(rule.type, { ...(proposal ?? rule.params), ...override?.params });
  // Stored params were validated on save; a type whose schema later tightened falls back to defaults.
  const params = parsed.success ? parsed.data : ruleParams[rule.type].parse({});
  return {
    id: rule.id,
    severity: rule.severity,
    activeHours: rule.activeHours ? windowOf(rule.activeHours) : undefined,
    params,
  };
}
