import type { Alert } from '@mimamori/contract';

/**
 * How a rule's alerts take part in a home's incident (issue 18.4; docs/decisions.md, "One
 * incident per home"). `leads`: its alert may open an incident, which the network is told of
 * and which escalates; `joins`: it only adds a reason to an incident already open (a device
 * going offline in a home that looks empty), and is an ordinary alert otherwise. Undefined: it
 * never groups (an SOS, a `help` answer, a hot room, a flat battery), told at once as its own.
 */
export type IncidentRole = 'leads' | 'joins';

/** Open an alert for a home and rule (or count a repeat of the one open); the alert service decides the rest. */
export interface RaiseAlert {
  kind: 'raise';
  homeId: string;
  residentId: string | undefined;
  rule: string;
  severity: Alert['severity'];
  /** Plain words for the watcher, in Japanese and English; no health detail beyond what the rule needs. */
  message: { ja: string; en: string };
  sourceEventSeq: number | undefined;
  /**
   * When its cause happened: the device's own time of the event behind it (an SOS press), so an
   * alert arriving late says so; undefined for what a deadline found (nothing happened).
   */
  occurredAt: number | undefined;
  /** The rule type's part in the home's incident. */
  incident?: IncidentRole | undefined;
}

/** The condition is over (activity resumed, the room cooled down): the open alert resolves itself. */
export interface ClearAlert {
  kind: 'clear';
  homeId: string;
  rule: string;
  reason: { ja: string; en: string };
  incident?: IncidentRole | undefined;
}

/**
 * How detection (the rules engine, the check-in service) reaches the watch-over network: the
 * alert service implements it. Called inside the caller's transaction, so an alert is stored
 * with the state that caused it or not at all.
 */
export interface AlertPort {
  raise(decision: RaiseAlert, now: number): unknown;
  clear(decision: ClearAlert, now: number): unknown;
}
