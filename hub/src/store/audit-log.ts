import type { Db } from './database.js';
import { iso } from './rows.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  homeId: string | null;
  subject: string | null;
  detail: unknown;
}

/**
 * Who viewed which home's personal data and who changed what (APPI). Append-only: the table's
 * triggers refuse UPDATE and DELETE, so not even a bug in the hub can rewrite it.
 */
export class AuditLog {
  constructor(private readonly db: Db) {}

  record(entry: { at: number; actor: string; action: string; homeId?: string | undefined; subject?: string | undefined; detail?: unknown }): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, home_id, subject, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.at, entry.actor, entry.action, entry.homeId ?? null, entry.subject ?? null, entry.detail === undefined ? null : JSON.stringify(entry.detail));
  }

  /** Newest first; `before` pages back by id. */
  list(filter: { homeId?: string | undefined; actor?: string | undefined; from?: number | undefined; to?: number | undefined; before?: number | undefined; limit: number }): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log
         WHERE (@homeId IS NULL OR home_id = @homeId) AND (@actor IS NULL OR actor = @actor)
           AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) AND (@before IS NULL OR id < @before)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ homeId: filter.homeId ?? null, actor: filter.actor ?? null, from: filter.from ?? null, to: filter.to ?? null, before: filter.before ?? null, limit: filter.limit }) as {
      id: number; at: number; actor: string; action: string; home_id: string | null; subject: string | null; detail: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, at: iso(r.at), actor: r.actor, action: r.action, homeId: r.home_id, subject: r.subject, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }));
  }
}
