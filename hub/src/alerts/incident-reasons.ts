import type { Logger } from 'pino';
import type { Alert, AlertOutcome } from '@mimamori/contract';
import type { Metrics } from '../metrics/index.js';
import type { ClearAlert, RaiseAlert } from '../ports/index.js';
import type { AlertRepository, StoredIncident } from '../store/index.js';
import type { AlertFeed } from './alert-feed.js';
import { foldIncident, type IncidentInput, type IncidentStep } from './incident.js';

export interface IncidentReasonsDeps {
  repository: AlertRepository;
  feed: Pick<AlertFeed, 'publishAfterCommit'>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The quiet side of a home's incident (issue 18.4; the pure fold is incident.ts): its further
 * reasons are stored as alerts of their own, named on the lead's timeline and shown to staff,
 * but nobody is told of them and they do not escalate; what a person does to the incident
 * they do to every reason. The alert service tells and escalates the lead as any alert. Called
 * inside the alert service's transaction.
 */
export class IncidentReasons {
  constructor(private readonly deps: IncidentReasonsDeps) {}

  /**
   * The home's open incident as the fold sees it, read from the alerts themselves (so what a
   * person resolved is no longer part of it), and the fold's step for `input`.
   */
  step(homeId: string, input: IncidentInput): { step: IncidentStep; incident: StoredIncident | undefined } {
    const incident = this.deps.repository.openIncident(homeId);
    const state = incident && {
      lead: incident.lead.rule,
      open: [...(incident.leadConditionOver ? [] : [incident.lead.rule]), ...incident.reasons.map((r) => r.rule)],
    };
    return { step: foldIncident(state, input).step, incident };
  }

  /** One more reason of the incident `lead` leads (or its repeat); whoever has the incident has it too. */
  add(lead: Alert, decision: RaiseAlert, now: number): { alert: Alert; opened: boolean } {
    const { repository } = this.deps;
    const active = repository.findActive(decision.homeId, decision.rule);
    if (active) {
      const alert = repository.refire(active, now, decision.sourceEventSeq);
      this.deps.feed.publishAfterCommit(alert);
      return { alert, opened: false };
    }
    let alert = repository.open({ ...decision, lateReport: false }, now, { of: lead.id });
    repository.addTimeline(alert.id, {
      at: now,
      kind: 'opened',
      detail: { sourceEventSeq: decision.sourceEventSeq, incident: lead.id },
    });
    if (lead.acknowledgedBy) alert = repository.acknowledge(alert.id, lead.acknowledgedBy, now);
    repository.addTimeline(lead.id, {
      at: now,
      kind: 'reason_added',
      detail: { alertId: alert.id, rule: alert.rule, severity: alert.severity, message: alert.message },
    });
    this.deps.feed.publishAfterCommit(alert);
    this.deps.metrics.alertsOpened.inc({ rule: alert.rule, severity: alert.severity });
    this.deps.logger.info(
      { alertId: alert.id, homeId: alert.homeId, rule: alert.rule, incident: lead.id },
      'alert joined the home’s open incident',
    );
    return { alert, opened: true };
  }

  /** The lead's own condition holds again. */
  leadHoldsAgain(lead: Alert): void {
    this.deps.repository.setConditionOver(lead.id, null);
  }

  /**
   * One reason's condition is over while the incident may go on: a further reason resolves
   * itself quietly; the lead's own is marked over (the lead stays open for the others).
   */
  over(incident: StoredIncident, decision: ClearAlert, now: number): void {
    const { repository } = this.deps;
    const { lead } = incident;
    const reason = incident.reasons.find((r) => r.rule === decision.rule);
    if (reason) {
      repository.autoResolve(reason.id, now);
      repository.addTimeline(reason.id, { at: now, kind: 'auto_resolved', detail: { reason: decision.reason } });
      this.deps.feed.publishAfterCommit(repository.get(reason.id) ?? reason);
    } else repository.setConditionOver(lead.id, now);
    repository.addTimeline(lead.id, {
      at: now,
      kind: 'reason_over',
      detail: { alertId: reason?.id ?? lead.id, rule: decision.rule, reason: decision.reason },
    });
  }

  /** Acting on a further reason acts on its incident: the id of the alert to act on. */
  incidentOf(id: string): string {
    return this.deps.repository.get(id)?.incidentId ?? id;
  }

  /** A watcher took the incident `leadId` leads: they have each of its reasons. */
  acknowledged(leadId: string, by: string, now: number): void {
    for (const reason of this.deps.repository.reasonsOf(leadId)) {
      this.deps.repository.acknowledge(reason.id, by, now);
      this.deps.repository.addTimeline(reason.id, {
        at: now,
        kind: 'acknowledged',
        actor: by,
        detail: { incident: leadId },
      });
    }
  }

  /** The watcher gave the incident back: its reasons are open again with it. */
  released(leadId: string, by: string, now: number): void {
    for (const reason of this.deps.repository.reasonsOf(leadId)) {
      this.deps.repository.release(reason.id, now);
      this.deps.repository.addTimeline(reason.id, {
        at: now,
        kind: 'released',
        actor: by,
        detail: { incident: leadId },
      });
    }
  }

  /** A person resolved the incident: what they found answers every reason. */
  resolved(leadId: string, by: string, outcome: AlertOutcome, note: string | null, now: number): void {
    for (const reason of this.deps.repository.reasonsOf(leadId)) {
      this.deps.repository.resolve(reason.id, outcome, note, now);
      this.deps.repository.addTimeline(reason.id, {
        at: now,
        kind: 'resolved',
        actor: by,
        detail: { outcome, incident: leadId },
      });
    }
  }
}
