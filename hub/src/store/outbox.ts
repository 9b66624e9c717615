import type { Db } from './database.js';
import { transactionsOf } from './transactions.js';

export interface OutboxItem {
  id: number;
  alertId: string;
  channel: string;
  target: string;
  recipient: string | null;
  payload: string;
  /** Stable across retries and restarts: receivers dedupe on it. */
  dedupKey: string;
  attempts: number;
}

/** One delivery of an alert as staff see it: to whom, how, and how it went. */
export interface DeliveryRecord {
  channel: string;
  /** The user told (their id); null for a webhook or the home's speakers. */
  recipient: string | null;
  target: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

/** The durable queue of notification deliveries; the notifier claims due items and records each result. */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return transactionsOf(this.db).run(work);
  }

  due(now: number, limit: number): OutboxItem[] {
    return this.db
      .prepare(
        `SELECT id, alert_id AS alertId, channel, target, recipient, payload, COALESCE(dedup_key, 'outbox:' || id) AS dedupKey, attempts FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      )
      .all(now, limit) as OutboxItem[];
  }

  /** When the next pending item falls due, or undefined when nothing is pending. */
  nextDueAt(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'`).get() as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  markDelivered(id: number, now: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?`,
      )
      .run(now, id);
  }

  markRetry(id: number, error: string, retryAt: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(error, retryAt, id);
  }

  /** Gives up on an item whose target refused it for good (e.g. 404, 410): retrying cannot help. */
  markFailed(id: number, error: string): void {
    this.db
      .prepare(`UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`)
      .run(error, id);
  }

  countByStatus(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Every delivery of an alert, oldest first. */
  forAlert(alertId: string): DeliveryRecord[] {
    const rows = this.db
      .prepare(
        `SELECT channel, recipient, target, status, attempts, last_error AS lastError,
                CASE WHEN status = 'pending' THEN next_attempt_at END AS nextAttemptAt,
                delivered_at AS deliveredAt, created_at AS createdAt
         FROM outbox WHERE alert_id = ? ORDER BY id`,
      )
      .all(alertId);
    return rows as DeliveryRecord[];
  }
}
