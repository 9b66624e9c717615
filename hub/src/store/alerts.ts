import type { Alert, AlertDetail, AlertOutcome } from '@mimamori/contract';
import type { RaiseAlert } from '../ports/index.js';
import type { Db } from './database.js';
import { transactionsOf } from './transactions.js';
import { newId } from './ids.js';
import { iso, isoOrNull } from './rows.js';

interface AlertRow {
  id: string;
  home_id: string;
  resident_id: string | null;
  rule: string;
  severity: Alert['severity'];
  status: Alert['status'];
  message_ja: string;
  message_en: string;
  opened_at: number;
  updated_at: number;
  fire_count: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
  outcome: AlertOutcome | null;
  note: string | null;
  occurred_at: number | null;
  late_report: number;
  incident_id: string | null;
  condition_over_at: number | null;
  acknowledged_by_name: string | null;
  last_fired_at: number | null;
}

/**
 * Alerts with the display name of whoever acknowledged them ("田中 一郎さんが向かっています") and
 * when they last fired (a second SOS press: 「2回目」 and its time), from the timeline's index.
 */
const SELECT_ALERT = `SELECT alerts.*, users.display_name AS acknowledged_by_name,
  (SELECT MAX(at) FROM alert_timeline WHERE alert_id = alerts.id AND kind IN ('opened', 'refired')) AS last_fired_at
  FROM alerts LEFT JOIN users ON users.username = alerts.acknowledged_by`;

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  homeId: r.home_id,
  residentId: r.resident_id,
  rule: r.rule,
  severity: r.severity,
  status: r.status,
  message: { ja: r.message_ja, en: r.message_en },
  openedAt: iso(r.opened_at),
  updatedAt: iso(r.updated_at),
  fireCount: r.fire_count,
  lastFiredAt: iso(r.last_fired_at ?? r.opened_at),
  acknowledgedBy: r.acknowledged_by,
  acknowledgedByName: r.acknowledged_by_name,
  acknowledgedAt: isoOrNull(r.acknowledged_at),
  resolvedAt: isoOrNull(r.resolved_at),
  outcome: r.outcome,
  note: r.note,
  occurredAt: isoOrNull(r.occurred_at),
  lateReport: r.late_report === 1,
  incidentId: r.incident_id,
});

/** An alert as detection raised it, and whether it opens as a late report (see alert-service.ts). */
export type NewAlert = Omit<RaiseAlert, 'kind' | 'incident'> & { lateReport: boolean };

/** A home's open incident as stored: its lead, whether the lead's own condition is over, its other reasons. */
export interface StoredIncident {
  lead: Alert;
  leadConditionOver: boolean;
  reasons: Alert[];
}

export interface QueuedDelivery {
  /** The transition (its timeline entry) this delivery tells about. */
  transition: number;
  channel: string;
  target: string;
  /** The user told, or undefined for a bridge webhook. */
  recipient: string | undefined;
  payload: string;
}

/**
 * Alerts, their timelines and the notification outbox. Callers compose these inside
 * `transaction()` so an alert, its timeline record and its deliveries are stored together,
 * before anything is sent.
 */
export class AlertRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return transactionsOf(this.db).run(work);
  }

  /** The open or acknowledged alert of a home for a rule, if any. */
  findActive(homeId: string, rule: string): Alert | undefined {
    const row = this.db
      .prepare(`${SELECT_ALERT} WHERE home_id = ? AND rule = ? AND status IN ('open', 'acknowledged')`)
      .get(homeId, rule) as AlertRow | undefined;
    return row && toAlert(row);
  }

  /**
   * Opens an alert; `incident` says whether it leads a new incident of its home (`lead`), is a
   * further reason of one (the lead's id), or stands alone (undefined).
   */
  open(alert: NewAlert, now: number, incident?: 'lead' | { of: string }): Alert {
    const id = newId('a');
    const incidentId = incident === 'lead' ? id : (incident?.of ?? null);
    this.db
      .prepare(
        `INSERT INTO alerts (id, home_id, resident_id, rule, severity, status, message_ja, message_en,
                             opened_at, updated_at, fire_count, source_event_seq, occurred_at, late_report, incident_id)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
      )
      .run(
        id,
        alert.homeId,
        alert.residentId ?? null,
        alert.rule,
        alert.severity,
        alert.message.ja,
        alert.message.en,
        now,
        now,
        alert.sourceEventSeq ?? null,
        alert.occurredAt ?? null,
        alert.lateReport ? 1 : 0,
        incidentId,
      );
    return this.get(id) as Alert;
  }

  /** The home's open incident: the oldest active alert that leads one, and its active reasons. */
  openIncident(homeId: string): StoredIncident | undefined {
    const row = this.db
      .prepare(
        `${SELECT_ALERT} WHERE home_id = ? AND incident_id = alerts.id AND status IN ('open', 'acknowledged')
         ORDER BY opened_at, alerts.id LIMIT 1`,
      )
      .get(homeId) as AlertRow | undefined;
    if (!row) return undefined;
    return { lead: toAlert(row), leadConditionOver: row.condition_over_at !== null, reasons: this.reasonsOf(row.id) };
  }

  /** The active alerts that are further reasons of the incident `leadId` leads. */
  reasonsOf(leadId: string): Alert[] {
    const rows = this.db
      .prepare(
        `${SELECT_ALERT} WHERE incident_id = ? AND alerts.id <> incident_id AND status IN ('open', 'acknowledged')
         ORDER BY opened_at, alerts.id`,
      )
      .all(leadId) as AlertRow[];
    return rows.map(toAlert);
  }

  /** The lead's own condition is over (`at`) while other reasons hold its incident, or holds again (null). */
  setConditionOver(id: string, at: number | null): void {
    this.db.prepare('UPDATE alerts SET condition_over_at = ? WHERE id = ?').run(at, id);
  }

  /**
   * Counts a repeat firing on an active alert instead of opening another, on its timeline too.
   * `message`, when the repeat says something new (a second device offline), becomes the alert's
   * words, and the timeline keeps it.
   */
  refire(active: Alert, now: number, sourceEventSeq: number | undefined, message?: Alert['message']): Alert {
    const { id } = active;
    const reworded = message && (message.ja !== active.message.ja || message.en !== active.message.en);
    // The timeline first: the alert read back carries this firing as its latest (lastFiredAt).
    this.addTimeline(id, { at: now, kind: 'refired', detail: { sourceEventSeq, ...(reworded && { message }) } });
    this.db
      .prepare(
        `UPDATE alerts SET fire_count = fire_count + 1, updated_at = ?,
           message_ja = COALESCE(?, message_ja), message_en = COALESCE(?, message_en) WHERE id = ?`,
      )
      .run(now, reworded ? message.ja : null, reworded ? message.en : null, id);
    return this.get(id) as Alert;
  }

  /** The condition cleared by itself (activity resumed, the room cooled down). */
  autoResolve(id: string, now: number): Alert {
    this.db
      .prepare("UPDATE alerts SET status = 'auto_resolved', resolved_at = ?, updated_at = ? WHERE id = ?")
      .run(now, now, id);
    return this.get(id) as Alert;
  }

  /** A watcher has it ("向かいます"). */
  acknowledge(id: string, by: string, now: number): Alert {
    this.db
      .prepare(
        "UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, updated_at = ? WHERE id = ?",
      )
      .run(by, now, now, id);
    return this.get(id) as Alert;
  }

  /** The watcher who had it cannot go after all: open again, nobody's. */
  release(id: string, now: number): Alert {
    this.db
      .prepare(
        "UPDATE alerts SET status = 'open', acknowledged_by = NULL, acknowledged_at = NULL, updated_at = ? WHERE id = ?",
      )
      .run(now, id);
    return this.get(id) as Alert;
  }

  /** Ended by a person, with what they found. */
  resolve(id: string, outcome: AlertOutcome, note: string | null, now: number): Alert {
    this.db
      .prepare(
        "UPDATE alerts SET status = 'resolved', outcome = ?, note = ?, resolved_at = ?, updated_at = ? WHERE id = ?",
      )
      .run(outcome, note, now, now, id);
    return this.get(id) as Alert;
  }

  /** The alert with its timeline, oldest entry first. */
  detail(id: string): AlertDetail | undefined {
    const alert = this.get(id);
    if (!alert) return undefined;
    const rows = this.db
      .prepare('SELECT at, kind, actor, detail FROM alert_timeline WHERE alert_id = ? ORDER BY id')
      .all(id) as { at: number; kind: string; actor: string | null; detail: string | null }[];
    return {
      ...alert,
      timeline: rows.map((r) => ({
        at: iso(r.at),
        kind: r.kind,
        actor: r.actor,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      })),
    };
  }

  /** Makes an open alert more severe, with the wording of the more severe firing. */
  raiseSeverity(id: string, alert: Pick<NewAlert, 'severity' | 'message'>, now: number): Alert {
    this.db
      .prepare(
        'UPDATE alerts SET severity = ?, message_ja = ?, message_en = ?, fire_count = fire_count + 1, updated_at = ? WHERE id = ?',
      )
      .run(alert.severity, alert.message.ja, alert.message.en, now, id);
    return this.get(id) as Alert;
  }

  /** Records a transition; its id identifies the transition in delivery keys. */
  addTimeline(
    alertId: string,
    entry: { at: number; kind: string; actor?: string | undefined; detail?: unknown },
  ): number {
    return Number(
      this.db
        .prepare('INSERT INTO alert_timeline (alert_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)')
        .run(
          alertId,
          entry.at,
          entry.kind,
          entry.actor ?? null,
          entry.detail === undefined ? null : JSON.stringify(entry.detail),
        ).lastInsertRowid,
    );
  }

  /**
   * Queues one delivery. Its key (alert, transition, channel, target) is what receivers dedupe
   * on, and queueing the same delivery twice stores it once.
   */
  queueDelivery(alertId: string, delivery: QueuedDelivery, now: number): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO outbox (alert_id, channel, target, recipient, payload, dedup_key, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(
        alertId,
        delivery.channel,
        delivery.target,
        delivery.recipient ?? null,
        delivery.payload,
        `${alertId}:${delivery.transition}:${delivery.channel}:${delivery.target}`,
        now,
        now,
      );
  }

  /** Where the alert's escalation stands, as the alert service stored it (it parses what it reads). */
  escalation(id: string): unknown {
    const row = this.db.prepare('SELECT escalation FROM alerts WHERE id = ?').get(id) as
      { escalation: string | null } | undefined;
    return row?.escalation ? (JSON.parse(row.escalation) as unknown) : undefined;
  }

  /** Stores the escalation's state; `dueAt` is its next step, which `pendingSteps` finds after a restart. */
  setEscalation(id: string, state: { dueAt: number | null }): void {
    this.db
      .prepare('UPDATE alerts SET escalation = ?, next_step_at = ? WHERE id = ?')
      .run(JSON.stringify(state), state.dueAt, id);
  }

  /** Alerts with an escalation step still to come, for rebuilding deadlines after a restart. */
  pendingSteps(): { id: string; dueAt: number }[] {
    return this.db.prepare('SELECT id, next_step_at AS dueAt FROM alerts WHERE next_step_at IS NOT NULL').all() as {
      id: string;
      dueAt: number;
    }[];
  }

  /**
   * A home's alerts that were on at some time in [from, to): their rule, when they opened and when
   * their condition was over or they were resolved (null while neither), for a backtest to fold
   * replayed alerts with what really happened into incidents.
   */
  spans(homeId: string, from: number, to: number): { rule: string; openedAt: number; clearedAt: number | null }[] {
    return this.db
      .prepare(
        `SELECT rule, opened_at AS openedAt, COALESCE(condition_over_at, resolved_at) AS clearedAt FROM alerts
         WHERE home_id = ? AND opened_at < ? AND (COALESCE(condition_over_at, resolved_at) IS NULL
           OR COALESCE(condition_over_at, resolved_at) > ?)
         ORDER BY opened_at`,
      )
      .all(homeId, to, from) as { rule: string; openedAt: number; clearedAt: number | null }[];
  }

  get(id: string): Alert | undefined {
    const row = this.db.prepare(`${SELECT_ALERT} WHERE alerts.id = ?`).get(id) as AlertRow | undefined;
    return row && toAlert(row);
  }

  /** Newest first; `watcherId` keeps the homes whose network lists that user. */
  list(filter: {
    status?: Alert['status'] | undefined;
    homeId?: string | undefined;
    watcherId?: string | undefined;
    limit: number;
  }): Alert[] {
    const rows = this.db
      .prepare(
        `${SELECT_ALERT} WHERE (@status IS NULL OR status = @status) AND (@homeId IS NULL OR home_id = @homeId)
           AND (@watcherId IS NULL OR home_id IN (SELECT home_id FROM network_members WHERE user_id = @watcherId))
         ORDER BY opened_at DESC, alerts.id LIMIT @limit`,
      )
      .all({
        status: filter.status ?? null,
        homeId: filter.homeId ?? null,
        watcherId: filter.watcherId ?? null,
        limit: filter.limit,
      }) as AlertRow[];
    return rows.map(toAlert);
  }

  countByStatus(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM alerts GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
