import type { ResponsePlan } from './api.js';

/** The steps of setting up a home, in the order staff go through them (issue 19 item 1). */
export const SETUP_STEPS = ['home', 'residents', 'consent', 'plan', 'devices', 'schedule', 'network', 'done'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** What the hub holds of a home, as far as setting it up goes. */
export interface SetupFacts {
  residents: number;
  residentsWithoutSchedule: number;
  consentRecorded: boolean;
  plan: ResponsePlan;
  devicesWithCredentials: number;
  network: boolean;
}

/**
 * The steps a home still lacks, read from what the hub holds (nothing is kept in a browser, so
 * another staff member can carry on where one left off): a resident, a recorded consent,
 * something for the person at the door, a device with credentials, a schedule for every
 * resident, a network. One owner for the console's guided set-up and the board's list.
 */
export function missingSetup(facts: SetupFacts): SetupStep[] {
  const { plan } = facts;
  const done: Record<Exclude<SetupStep, 'home' | 'done'>, boolean> = {
    residents: facts.residents > 0,
    consent: facts.consentRecorded,
    plan: Boolean(plan.keyHolder || plan.notes || plan.medicalNotes || plan.entryConsent),
    devices: facts.devicesWithCredentials > 0,
    schedule: facts.residents > 0 && facts.residentsWithoutSchedule === 0,
    network: facts.network,
  };
  return SETUP_STEPS.filter((step): step is keyof typeof done => step in done && !done[step as keyof typeof done]);
}
