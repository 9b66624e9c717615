import type { Alert, AlertOutcome } from '@mimamori/contract';
import type { AlertPort, ClearAlert, RaiseAlert } from '../ports/index.js';
import { announcement } from '../notify/index.js';
import type { HomeRepository } from '../store/index.js';
import { acknowledged, begin, escalateSeverity, released } from './escalation.js';
import { EscalationRunner, type EscalationRunnerDeps } from './escalation-runner.js';
import { lateArrival, withLateNote } from './late.js';
import { IncidentReasons } from './incident-reasons.js';
import { check, type Actor } from './lifecycle.js';

export interface AlertServiceDeps extends EscalationRunnerDeps {
  homes: Pick<HomeRepository, 'get' | 'listResidents'>;
  /** Alerts whose cause is older than this go to staff as late reports instead of paging the network. */
  lateReportAfterMs: number;
}

/** Why an action on an alert was refused; the API turns `code` into its status. */
export class AlertActionError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

/**
 * The alert lifecycle and its escalation. One active alert per home and rule: a repeat firing
 * is counted on it, a more severe one raises its severity and tells the critical tiers. An
 * alert is opened to the first tier of the home's network and told to the next tier each time
 * a tier's acknowledgement timeout passes; an acknowledgement stops that and starts the
 * acknowledgement timeout; resolving or clearing stops everything and tells everyone told so far.
 *
 * Every transition is written (alert, timeline entry, escalation state, outbox rows) in one
 * transaction before anything is sent; the next step's time is in the alert row, so a restart
 * resumes each escalation at its step (`resume`). The rules of each piece are pure and tested
 * alone: `lifecycle.ts`, `escalation.ts`, `audience.ts`, notify's `messages.ts`.
 */
export class AlertService implements AlertPort {
  readonly #incidents: IncidentReasons;
  readonly #escalations: EscalationRunner;

  constructor(private readonly deps: AlertServiceDeps) {
    this.#incidents = new IncidentReasons(deps);
    this.#escalations = new EscalationRunner(deps);
  }

  raise(raised: RaiseAlert, now: number): { alert: Alert; opened: boolean } {
    const { repository } = this.deps;
    // Every alert says when its cause happened when that was a while ago (issue 23).
    const late = lateArrival(raised.occurredAt, now, this.deps.lateReportAfterMs);
    const timezone = this.deps.homes.get(raised.homeId)?.timezone ?? 'Asia/Tokyo';
    const decision = late ? { ...raised, message: withLateNote(raised.message, late, timezone) } : raised;
    return this.#transition(() => {
      const { step, incident } = this.#incidents.step(decision.homeId, {
        kind: 'raise',
        rule: decision.rule,
        role: decision.incident,
      });
      if (step.kind === 'join' && incident) {
        if (incident.lead.rule === decision.rule) this.#incidents.leadHoldsAgain(incident.lead);
        else {
          // Nobody is told of one more reason; a more severe one makes the incident more severe.
          const added = this.#incidents.add(incident.lead, decision, now);
          if (SEVERITY_RANK[decision.severity] > SEVERITY_RANK[incident.lead.severity])
            this.#raiseSeverity(incident.lead, decision, now);
          else this.deps.feed.publishAfterCommit(repository.get(incident.lead.id) ?? incident.lead);
          return added;
        }
      }
      return this.#raiseOwn(decision, late, step.kind === 'open', now);
    });
  }

  /** Raises or repeats a home's alert for a rule; `leads`: a new one leads an incident (issue 18.4). */
  #raiseOwn(
    decision: RaiseAlert,
    late: ReturnType<typeof lateArrival>,
    leads: boolean,
    now: number,
  ): { alert: Alert; opened: boolean } {
    const { repository } = this.deps;
    const active = repository.findActive(decision.homeId, decision.rule);
    if (active && SEVERITY_RANK[decision.severity] > SEVERITY_RANK[active.severity])
      return { alert: this.#raiseSeverity(active, decision, now), opened: false };
    if (active) {
      // A repeat that says something new (a second device offline) takes its words; a late one,
      // whose words are about days ago, does not reword an alert about now.
      const alert = repository.refire(active, now, decision.sourceEventSeq, late ? undefined : decision.message);
      // Nobody is told again, but live views show the repeat (「2回目」, issue 20).
      this.deps.feed.publishAfterCommit(alert);
      return { alert, opened: false };
    }
    const alert = repository.open({ ...decision, lateReport: late?.report ?? false }, now, leads ? 'lead' : undefined);
    const network = this.#escalations.network(alert.homeId);
    // Days after the fact, nobody is paged at night: staff get it as a late report.
    const step =
      network && !alert.lateReport
        ? begin(network, alert.severity, now, this.#escalations.minuteOfDay(alert.homeId, now))
        : undefined;
    const entry = repository.addTimeline(alert.id, {
      at: now,
      kind: 'opened',
      detail: {
        sourceEventSeq: decision.sourceEventSeq,
        tiers: step?.tell,
        ...(late && { occurredAt: new Date(late.occurredAt).toISOString(), lateReport: late.report }),
      },
    });
    this.#escalations.tell(alert, entry, 'alert.opened', step?.tell ?? [], now);
    if (step) this.#escalations.save(alert.id, step.state);
    else if (alert.lateReport)
      this.deps.logger.warn(
        { alertId: alert.id, homeId: alert.homeId, occurredAt: alert.occurredAt },
        'a cause this old is a late report for staff: no tier is paged',
      );
    else
      this.deps.logger.warn(
        { alertId: alert.id, homeId: alert.homeId },
        'the home has no watch-over network: only staff webhooks are told',
      );
    this.deps.metrics.alertsOpened.inc({ rule: alert.rule, severity: alert.severity });
    this.deps.logger.info(
      { alertId: alert.id, homeId: alert.homeId, rule: alert.rule, tiers: step?.tell },
      'alert opened',
    );
    return { alert, opened: true };
  }

  /** A firing more severe than the active alert: its severity and wording change, and the critical tiers are told. */
  #raiseSeverity(active: Alert, decision: RaiseAlert, now: number): Alert {
    const { repository } = this.deps;
    const alert = repository.raiseSeverity(active.id, decision, now);
    const network = this.#escalations.network(alert.homeId);
    const state = this.#escalations.state(alert.id);
    const step =
      network && state
        ? escalateSeverity(network, state, now, this.#escalations.minuteOfDay(alert.homeId, now))
        : undefined;
    const entry = repository.addTimeline(alert.id, {
      at: now,
      kind: 'severity_raised',
      detail: { from: active.severity, sourceEventSeq: decision.sourceEventSeq, tiers: step?.tell },
    });
    // Everyone told already hears it is worse now, and so do the critical tiers not yet told.
    this.#escalations.tell(alert, entry, 'alert.severity_raised', [...(state?.told ?? []), ...(step?.tell ?? [])], now);
    if (step) this.#escalations.save(alert.id, step.state);
    this.deps.logger.info(
      { alertId: alert.id, homeId: alert.homeId, rule: alert.rule, severity: alert.severity },
      'alert severity raised',
    );
    return alert;
  }

  /**
   * The condition behind an active alert is over: the alert resolves itself and everyone who
   * was told hears the all-clear (解除). Nothing happens when no alert of the rule is active.
   */
  clear(decision: ClearAlert, now: number): Alert | undefined {
    const { repository } = this.deps;
    return this.#transition(() => {
      const { step, incident } = this.#incidents.step(decision.homeId, {
        kind: 'clear',
        rule: decision.rule,
        role: decision.incident,
      });
      if (incident && step.kind === 'reason-over') {
        this.#incidents.over(incident, decision, now);
        return incident.lead;
      }
      if (incident && step.kind === 'resolve') {
        // The last reason is over: the incident clears, and everyone told hears it.
        if (decision.rule !== incident.lead.rule) this.#incidents.over(incident, decision, now);
        return this.#clearAlert(incident.lead, decision.reason, now);
      }
      const active = repository.findActive(decision.homeId, decision.rule);
      return active && this.#clearAlert(active, decision.reason, now);
    });
  }

  /** The alert resolves itself and everyone who was told hears the all-clear (解除). */
  #clearAlert(active: Alert, reason: ClearAlert['reason'], now: number): Alert {
    const alert = this.deps.repository.autoResolve(active.id, now);
    const entry = this.deps.repository.addTimeline(alert.id, { at: now, kind: 'auto_resolved', detail: { reason } });
    this.#escalations.stop(alert, entry, 'alert.cleared', now, { reason });
    this.deps.logger.info({ alertId: alert.id, homeId: alert.homeId, rule: alert.rule }, 'alert cleared by itself');
    return alert;
  }

  /**
   * A watcher takes the alert ("向かいます"): escalation stops, everyone told hears who has it,
   * and the resident's speaker says so when the home wants that. Saying it twice changes
   * nothing; someone else's acknowledgement is refused with who has it.
   */
  acknowledge(asked: string, actor: Actor, now: number): Alert {
    const { repository } = this.deps;
    return this.#transition(() => {
      const id = this.#incidents.incidentOf(asked);
      const current = this.#require(id);
      const verdict = check(current, { kind: 'acknowledge', by: actor.username });
      if (!verdict.ok) throw new AlertActionError('conflict', verdict.reason);
      if (verdict.repeat) return current;
      const alert = repository.acknowledge(id, actor.username, now);
      const entry = repository.addTimeline(id, { at: now, kind: 'acknowledged', actor: actor.username });
      const network = this.#escalations.network(alert.homeId);
      const state = this.#escalations.state(id);
      const language = this.deps.homes.listResidents(alert.homeId)[0]?.language ?? 'ja';
      this.#escalations.tell(alert, entry, 'alert.acknowledged', state?.told ?? [], now, {
        actor,
        announce: network?.announceOnAck ? { text: announcement(actor, language), lang: language } : undefined,
      });
      if (network && state) this.#escalations.save(id, acknowledged(network, state, now));
      this.#incidents.acknowledged(id, actor.username, now);
      this.deps.logger.info({ alertId: id, by: actor.username }, 'alert acknowledged');
      return alert;
    });
  }

  /**
   * The watcher who had the alert cannot go after all ("行けなくなりました"), or staff give the
   * claim back for them: the alert is open again, telling resumes at once with the next tier,
   * and everyone told so far hears it, with the tier now told.
   */
  release(asked: string, actor: Actor, onBehalf: boolean, now: number): Alert {
    const { repository } = this.deps;
    return this.#transition(() => {
      const id = this.#incidents.incidentOf(asked);
      const current = this.#require(id);
      const verdict = check(current, { kind: 'release', by: actor.username, onBehalf });
      if (!verdict.ok) throw new AlertActionError('conflict', verdict.reason);
      const alert = repository.release(id, now);
      const network = this.#escalations.network(alert.homeId);
      const state = this.#escalations.state(id);
      const step =
        network && state ? released(network, state, now, this.#escalations.minuteOfDay(alert.homeId, now)) : undefined;
      const entry = repository.addTimeline(id, {
        at: now,
        kind: 'released',
        actor: actor.username,
        detail: { acknowledgedBy: current.acknowledgedBy, tiers: step?.tell },
      });
      this.#escalations.tell(alert, entry, 'alert.released', [...(state?.told ?? []), ...(step?.tell ?? [])], now, {
        actor,
      });
      if (step) this.#escalations.save(id, step.state);
      this.#incidents.released(id, actor.username, now);
      this.deps.logger.info({ alertId: id, by: actor.username, tiers: step?.tell }, 'alert released');
      return alert;
    });
  }

  /** A person ends the alert with what they found; the outcome feeds each rule's precision in reports. */
  resolve(asked: string, actor: Actor, outcome: AlertOutcome, note: string | undefined, now: number): Alert {
    const { repository } = this.deps;
    return this.#transition(() => {
      const id = this.#incidents.incidentOf(asked);
      const verdict = check(this.#require(id), { kind: 'resolve', by: actor.username });
      if (!verdict.ok) throw new AlertActionError('conflict', verdict.reason);
      const alert = repository.resolve(id, outcome, note ?? null, now);
      this.#incidents.resolved(id, actor.username, outcome, note ?? null, now);
      const entry = repository.addTimeline(id, {
        at: now,
        kind: 'resolved',
        actor: actor.username,
        detail: { outcome, ...(note && { note }) },
      });
      this.#escalations.stop(alert, entry, 'alert.resolved', now, { actor });
      this.deps.logger.info({ alertId: id, by: actor.username, outcome }, 'alert resolved');
      return alert;
    });
  }

  /** Puts every pending escalation step back on the scheduler (start-up); one overdue fires once. */
  resume(): number {
    return this.#escalations.resume();
  }

  #require(id: string): Alert {
    const alert = this.deps.repository.get(id);
    if (!alert) throw new AlertActionError('not_found', `alert ${id} does not exist`);
    return alert;
  }

  #transition<T>(work: () => T): T {
    return this.deps.repository.transaction(work);
  }
}
