import type { Logger } from 'pino';
import type { Alert, AlertOutcome, Home } from '@mimamori/contract';
import { check } from './lifecycle.js';
import type { ClearAlert, RaiseAlert } from '../engine/index.js';
import type { Metrics } from '../metrics/index.js';
import type { AlertRepository } from '../store/index.js';

/** Who is told about an alert: for now every configured webhook receives every alert. */
export interface Recipient {
  channel: 'webhook';
  target: string;
}

/** The notification as queued: everything a channel needs to word and send it. */
export interface AlertNotification {
  /**
   * `alert.severity_raised`: an open alert fired again, more severely (an "unwell" followed by
   * "help"); `alert.cleared`: the condition ended by itself (解除), so nobody need go.
   */
  event: 'alert.opened' | 'alert.severity_raised' | 'alert.cleared' | 'alert.acknowledged' | 'alert.resolved';
  alert: Alert;
  /** Who acknowledged or resolved it, by name, with those events. */
  actor?: { username: string; displayName: string };
  /** Why it cleared ("活動がありました"), with `alert.cleared`. */
  reason?: { ja: string; en: string };
  home: Pick<Home, 'id' | 'name' | 'district'> | undefined;
}

export interface AlertServiceDeps {
  repository: AlertRepository;
  homeOf: (homeId: string) => Home | undefined;
  recipients: () => readonly Recipient[];
  /** Called after deliveries are queued; the notifier picks them up once the transaction commits. */
  onQueued: () => void;
  metrics: Metrics;
  logger: Logger;
}

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

/** The person acting on an alert. */
export interface Actor {
  username: string;
  displayName: string;
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

/**
 * The alert lifecycle: open, repeat, acknowledged by a watcher, resolved with an outcome, or
 * resolved by itself when the condition clears (the rules of it in `lifecycle.ts`). One active alert per home and rule: a repeat
 * firing is counted on the existing alert, and one more severe than the alert raises its
 * severity and notifies again, so a "help" after an "unwell" is not lost in a warning. The alert, its timeline record and its deliveries
 * are written in one transaction before anything is sent.
 */
export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  raise(decision: RaiseAlert, now: number): { alert: Alert; opened: boolean } {
    const { repository } = this.deps;
    return repository.transaction(() => {
      const active = repository.findActive(decision.homeId, decision.rule);
      if (active && SEVERITY_RANK[decision.severity] > SEVERITY_RANK[active.severity]) {
        const alert = repository.raiseSeverity(active.id, decision, now);
        repository.addTimeline(alert.id, { at: now, kind: 'severity_raised', detail: { from: active.severity, sourceEventSeq: decision.sourceEventSeq } });
        this.#queueNotifications(alert, 'alert.severity_raised', now);
        this.deps.logger.info({ alertId: alert.id, homeId: alert.homeId, rule: alert.rule, severity: alert.severity }, 'alert severity raised');
        return { alert, opened: false };
      }
      if (active) {
        const alert = repository.refire(active.id, now);
        repository.addTimeline(alert.id, { at: now, kind: 'refired', detail: { sourceEventSeq: decision.sourceEventSeq } });
        return { alert, opened: false };
      }
      const alert = repository.open(decision, now);
      repository.addTimeline(alert.id, { at: now, kind: 'opened', detail: { sourceEventSeq: decision.sourceEventSeq } });
      this.#queueNotifications(alert, 'alert.opened', now);
      this.deps.metrics.alertsOpened.inc({ rule: alert.rule, severity: alert.severity });
      this.deps.logger.info({ alertId: alert.id, homeId: alert.homeId, rule: alert.rule }, 'alert opened');
      return { alert, opened: true };
    });
  }

  /**
   * The condition behind an active alert is over: the alert resolves itself and everyone who
   * was told hears the all-clear. Nothing happens when no alert of the rule is active.
   */
  clear(decision: ClearAlert, now: number): Alert | undefined {
    const { repository } = this.deps;
    return repository.transaction(() => {
      const active = repository.findActive(decision.homeId, decision.rule);
      if (!active) return undefined;
      const alert = repository.autoResolve(active.id, now);
      repository.addTimeline(alert.id, { at: now, kind: 'auto_resolved', detail: { reason: decision.reason } });
      this.#queueNotifications(alert, 'alert.cleared', now, decision.reason);
      this.deps.logger.info({ alertId: alert.id, homeId: alert.homeId, rule: alert.rule }, 'alert cleared by itself');
      return alert;
    });
  }

  /**
   * A watcher takes the alert ("向かいます"): everyone who was told hears who has it. Saying it
   * twice changes nothing; someone else's acknowledgement is refused with who has it.
   */
  acknowledge(id: string, actor: Actor, now: number): Alert {
    return this.deps.repository.transaction(() => {
      const current = this.#require(id);
      const verdict = check(current, { kind: 'acknowledge', by: actor.username });
      if (!verdict.ok) throw new AlertActionError('conflict', verdict.reason);
      if (verdict.repeat) return current;
      const alert = this.deps.repository.acknowledge(id, actor.username, now);
      this.deps.repository.addTimeline(id, { at: now, kind: 'acknowledged', actor: actor.username });
      this.#queueNotifications(alert, 'alert.acknowledged', now, undefined, actor);
      this.deps.logger.info({ alertId: id, by: actor.username }, 'alert acknowledged');
      return alert;
    });
  }

  /** A person ends the alert with what they found; the outcome feeds each rule's precision. */
  resolve(id: string, actor: Actor, outcome: AlertOutcome, note: string | undefined, now: number): Alert {
    return this.deps.repository.transaction(() => {
      const verdict = check(this.#require(id), { kind: 'resolve', by: actor.username });
      if (!verdict.ok) throw new AlertActionError('conflict', verdict.reason);
      const alert = this.deps.repository.resolve(id, outcome, note ?? null, now);
      this.deps.repository.addTimeline(id, { at: now, kind: 'resolved', actor: actor.username, detail: { outcome, ...(note && { note }) } });
      this.#queueNotifications(alert, 'alert.resolved', now, undefined, actor);
      this.deps.logger.info({ alertId: id, by: actor.username, outcome }, 'alert resolved');
      return alert;
    });
  }

  #require(id: string): Alert {
    const alert = this.deps.repository.get(id);
    if (!alert) throw new AlertActionError('not_found', `alert ${id} does not exist`);
    return alert;
  }

  #queueNotifications(alert: Alert, event: AlertNotification['event'], now: number, reason?: AlertNotification['reason'], actor?: Actor): void {
    const home = this.deps.homeOf(alert.homeId);
    const notification: AlertNotification = {
      event,
      alert,
      home: home && { id: home.id, name: home.name, district: home.district },
      ...(reason && { reason }),
      ...(actor && { actor }),
    };
    const payload = JSON.stringify(notification);
    const recipients = this.deps.recipients();
    for (const { channel, target } of recipients) {
      this.deps.repository.queueDelivery(alert.id, { channel, target, payload }, now);
    }
    if (recipients.length > 0) this.deps.onQueued();
  }
}
