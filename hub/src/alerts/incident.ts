import type { IncidentRole } from '../ports/index.js';

/** A home's open incident: the rule whose alert leads it, and the reasons whose condition still holds. */
export interface IncidentState {
  lead: string;
  open: readonly string[];
}

/** A rule's raise or clear as the incident sees it: the rule's id and its type's role. */
export interface IncidentInput {
  kind: 'raise' | 'clear';
  rule: string;
  role: IncidentRole | undefined;
}

/**
 * What the alert service does with the decision:
 * - `alone`: no incident's business; the alert is raised or cleared as ever.
 * - `open`: the alert opens and leads a new incident: told and escalated.
 * - `join`: one more reason (or the lead's own, again) of the open incident `lead`: recorded
 *   and shown, nobody is told again (a more severe reason still raises the incident's severity).
 * - `reason-over`: this reason's condition is over while others hold: the incident goes on.
 * - `resolve`: the last reason is over: the incident clears and everyone told hears it.
 */
export type IncidentStep =
  | { kind: 'alone' }
  | { kind: 'open' }
  | { kind: 'join'; lead: string }
  | { kind: 'reason-over'; lead: string }
  | { kind: 'resolve'; lead: string };

/**
 * One step of a home's incident: a pure function of the open incident (undefined when none)
 * and one rule decision, so the live alert service and a backtest fold the same decisions to
 * the same incidents (Alertmanager's group_by home, PagerDuty's merging of alerts).
 */
export function foldIncident(
  state: IncidentState | undefined,
  input: IncidentInput,
): { state: IncidentState | undefined; step: IncidentStep } {
  if (input.role === undefined) return { state, step: { kind: 'alone' } };
  if (input.kind === 'raise') {
    if (!state)
      return input.role === 'leads'
        ? { state: { lead: input.rule, open: [input.rule] }, step: { kind: 'open' } }
        : { state, step: { kind: 'alone' } };
    const open = state.open.includes(input.rule) ? state.open : [...state.open, input.rule];
    return { state: { lead: state.lead, open }, step: { kind: 'join', lead: state.lead } };
  }
  if (!state || (input.rule !== state.lead && !state.open.includes(input.rule)))
    return { state, step: { kind: 'alone' } };
  const open = state.open.filter((rule) => rule !== input.rule);
  return open.length === 0
    ? { state: undefined, step: { kind: 'resolve', lead: state.lead } }
    : { state: { lead: state.lead, open }, step: { kind: 'reason-over', lead: state.lead } };
}

/** An alert a replay raised: its rule, the rule's role, when it opened and when its condition cleared. */
export interface ReplayedAlert {
  rule: string;
  role: IncidentRole | undefined;
  openedAt: number;
  clearedAt: number | null;
}

/** An incident as the network would have seen it: opened once, with every reason it carried. */
export interface ReplayedIncident {
  lead: string;
  openedAt: number;
  clearedAt: number | null;
  reasons: string[];
}

/**
 * The incidents one home's replayed alerts make: their raises and clears in time order (a clear
 * before a raise at the same instant, as the live engine sees a condition end before the next
 * begins) folded by `foldIncident`. An alert that is no incident's business is one incident itself.
 */
export function incidentsOf(alerts: readonly ReplayedAlert[]): ReplayedIncident[] {
  const moments = alerts.flatMap((alert) => [
    { at: alert.openedAt, order: 1, input: { kind: 'raise' as const, rule: alert.rule, role: alert.role } },
    ...(alert.clearedAt === null
      ? []
      : [{ at: alert.clearedAt, order: 0, input: { kind: 'clear' as const, rule: alert.rule, role: alert.role } }]),
  ]);
  moments.sort((a, b) => a.at - b.at || a.order - b.order);
  const incidents: ReplayedIncident[] = [];
  const alone = new Map<string, ReplayedIncident>();
  let state: IncidentState | undefined;
  let current: ReplayedIncident | undefined;
  for (const { at, input } of moments) {
    const folded = foldIncident(state, input);
    state = folded.state;
    const { step } = folded;
    if (step.kind === 'open') {
      current = { lead: input.rule, openedAt: at, clearedAt: null, reasons: [input.rule] };
      incidents.push(current);
    } else if (step.kind === 'join' && current && !current.reasons.includes(input.rule)) {
      current.reasons.push(input.rule);
    } else if (step.kind === 'resolve' && current) {
      current.clearedAt = at;
      current = undefined;
    } else if (step.kind === 'alone' && input.kind === 'raise') {
      const own = { lead: input.rule, openedAt: at, clearedAt: null, reasons: [input.rule] };
      alone.set(input.rule, own);
      incidents.push(own);
    } else if (step.kind === 'alone') {
      const own = alone.get(input.rule);
      if (own) own.clearedAt = at;
      alone.delete(input.rule);
    }
  }
  return incidents;
}
