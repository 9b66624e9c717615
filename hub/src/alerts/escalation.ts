import { z } from 'zod';
import type { HoursWindow, NetworkInput, Severity } from '@mimamori/contract';

/** The parts of a home's network escalation needs. */
export type EscalationPlan = Pick<NetworkInput, 'criticalStartTier' | 'criticalTiersAtOnce' | 'ackReminderMinutes'> & {
  tiers: readonly { ackTimeoutMinutes: number; hours?: HoursWindow | undefined }[];
};

/**
 * Where an alert's escalation stands; stored with the alert, so a restart resumes at this step.
 * - `waiting`: tiers in `told` have been told; at `dueAt` the next reachable tier is told.
 * - `ack_reminder`: someone acknowledged; at `dueAt` (not resolved yet) they are reminded.
 * - `ack_overdue`: reminded; at `dueAt` the next tier is told (an acknowledged alert must not go quiet).
 * - `exhausted`: every tier was told and reminded; nothing more is scheduled.
 * - `stopped`: resolved or cleared.
 */
export const escalationState = z.object({
  told: z.array(z.number().int()),
  phase: z.enum(['waiting', 'ack_reminder', 'ack_overdue', 'exhausted', 'stopped']),
  dueAt: z.number().nullable(),
});
export type EscalationState = z.infer<typeof escalationState>;

/** What a step does: tiers to tell now (0-based), and whom to remind. */
export interface EscalationStep {
  tell: number[];
  remind?: 'acknowledger' | 'told';
  state: EscalationState;
}

const MINUTE = 60_000;

/** Whether a tier can be reached at this local minute of the day (0–1439); a window may cross midnight. */
export function reachable(tier: { hours?: HoursWindow | undefined }, minuteOfDay: number): boolean {
  if (!tier.hours) return true;
  const from = minutesOf(tier.hours.from);
  const to = minutesOf(tier.hours.to);
  return from <= to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The first step of a new alert. A warning tells the first reachable tier; a critical alert
 * tells `criticalTiersAtOnce` reachable tiers from `criticalStartTier`. When no tier can be
 * reached at this hour, the last tier is told anyway: an alert never reaches nobody.
 */
export function begin(plan: EscalationPlan, severity: Severity, now: number, minuteOfDay: number): EscalationStep {
  const tell = firstTiers(plan, severity, minuteOfDay);
  return { tell, state: waitFor(plan, tell, now) };
}

/** A firing more severe than the open alert: the critical tiers not yet told are told now. */
export function escalateSeverity(
  plan: EscalationPlan,
  state: EscalationState,
  now: number,
  minuteOfDay: number,
): EscalationStep {
  if (state.phase === 'stopped') return { tell: [], state };
  const tell = firstTiers(plan, 'critical', minuteOfDay).filter((tier) => !state.told.includes(tier));
  if (tell.length === 0) return { tell, state };
  const told = [...state.told, ...tell];
  // An acknowledged alert keeps its acknowledgement clock; only an unclaimed one waits on the new tiers.
  return {
    tell,
    state: state.phase === 'waiting' || state.phase === 'exhausted' ? waitFor(plan, told, now) : { ...state, told },
  };
}

/** The step due at `state.dueAt`. */
export function next(plan: EscalationPlan, state: EscalationState, now: number, minuteOfDay: number): EscalationStep {
  switch (state.phase) {
    case 'ack_reminder':
      return {
        tell: [],
        remind: 'acknowledger',
        state: { ...state, phase: 'ack_overdue', dueAt: now + plan.ackReminderMinutes * MINUTE },
      };
    case 'waiting':
    case 'ack_overdue': {
      const tier = nextReachable(plan, state.told, minuteOfDay);
      if (tier === undefined)
        return { tell: [], remind: 'told', state: { told: state.told, phase: 'exhausted', dueAt: null } };
      const told = [...state.told, tier];
      return { tell: [tier], state: waitFor(plan, told, now) };
    }
    case 'exhausted':
    case 'stopped':
      return { tell: [], state };
  }
}

/** Someone said "向かいます": telling more tiers stops; the acknowledgement timeout starts. */
export function acknowledged(plan: EscalationPlan, state: EscalationState, now: number): EscalationState {
  return { told: state.told, phase: 'ack_reminder', dueAt: now + plan.ackReminderMinutes * MINUTE };
}

/**
 * Whoever had the alert cannot go after all: telling resumes at once with the next reachable
 * tier, as if the last tier's timeout had passed now (issue 20); when every tier has been told,
 * the step reminds everyone told.
 */
export function released(
  plan: EscalationPlan,
  state: EscalationState,
  now: number,
  minuteOfDay: number,
): EscalationStep {
  return next(plan, { ...state, phase: 'waiting' }, now, minuteOfDay);
}

/** Resolved or cleared: nothing more is scheduled. */
export function stopped(state: EscalationState): EscalationState {
  return { told: state.told, phase: 'stopped', dueAt: null };
}

function firstTiers(plan: EscalationPlan, severity: Severity, minuteOfDay: number): number[] {
  const start = severity === 'critical' ? plan.criticalStartTier - 1 : 0;
  const wanted = severity === 'critical' ? plan.criticalTiersAtOnce : 1;
  const tiers: number[] = [];
  plan.tiers.forEach((tier, index) => {
    if (index >= start && tiers.length < wanted && reachable(tier, minuteOfDay)) tiers.push(index);
  });
  return tiers.length > 0 ? tiers : [plan.tiers.length - 1];
}

function nextReachable(plan: EscalationPlan, told: readonly number[], minuteOfDay: number): number | undefined {
  const after = Math.max(-1, ...told);
  const index = plan.tiers.findIndex((tier, i) => i > after && reachable(tier, minuteOfDay));
  return index === -1 ? undefined : index;
}

/** Waits for the last tier told to acknowledge within its timeout. */
function waitFor(plan: EscalationPlan, told: number[], now: number): EscalationState {
  const last = plan.tiers[Math.max(...told)] ?? plan.tiers[plan.tiers.length - 1];
  return { told, phase: 'waiting', dueAt: now + (last?.ackTimeoutMinutes ?? 0) * MINUTE };
}
