import { createHash } from 'node:crypto';
import type { AuditEntry } from '@mimamori/contract';
import type { Db } from './database.js';
import { iso } from './rows.js';

/** The outcome of walking the hash chain from its first row to its head. */
export interface AuditVerification {
  /** Rows checked. */
  rows: number;
  /** Rows written before the chain began (by a hub older than it), not covered. */
  unchained: number;
  /** The first row whose hash does not follow from the row before it and its own content. */
  brokenAt: number | undefined;
  /** The newest row's hash: note it somewhere else, and a truncated log shows as a different head. */
  head: string | null;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  home_id: string | null;
  subject: string | null;
  detail: string | null;
  hash: string | null;
}

/** A row's hash: the previous row's hash and this row's content, so no row can change, go or move unnoticed. */
const chainHash = (previous: string | null, r: Omit<AuditRow, 'id' | 'hash'>): string =>
  createHash('sha256')
    .update(JSON.stringify([previous, r.at, r.actor, r.action, r.home_id, r.subject, r.detail]))
    .digest('hex');

export interface AuditRecord {
  at: number;
  actor: string;
  action: string;
  homeId?: string | undefined;
  subject?: string | undefined;
  detail?: unknown;
}

/**
 * Who viewed which home's personal data and who changed what (APPI). Append-only: the table's
 * triggers refuse UPDATE and DELETE, so not even a bug in the hub can rewrite it; and each row
 * carries a hash chained to the one before, so someone who edits the file by other means is
 * found out by `mimamori-hub verify-audit`.
 */
export class AuditLog {
  readonly #head;
  readonly #insert;
  readonly #appendAll;
  /** Rows waiting for the commit of this turn's group, with who waits for it. */
  #group: { entry: AuditRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly db: Db) {
    this.#head = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck();
    this.#insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, home_id, subject, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // Reading the head and appending happen in one transaction, so the chain has no forks.
    this.#appendAll = db.transaction((entries: AuditRecord[]) => {
      let previous = this.head();
      for (const entry of entries) {
        const row = {
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          home_id: entry.homeId ?? null,
          subject: entry.subject ?? null,
          detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
        };
        previous = chainHash(previous, row);
        this.#insert.run(row.at, row.actor, row.action, row.home_id, row.subject, row.detail, previous);
      }
    });
  }

  /** Appends a row now, in its own commit (or the caller's transaction). */
  record(entry: AuditRecord): void {
    this.#appendAll([entry]);
  }

  /**
   * Appends a row with the others recorded in the same turn, one commit for all of them, and
   * settles once it is committed. A view of personal data waits for this before its data is
   * sent: at 200 requests/s a commit (an fsync) for each was a third of the API's time (issue 21).
   */
  recordSoon(entry: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#group.push({ entry, resolve, reject });
      if (this.#group.length === 1) setImmediate(() => this.#commitGroup());
    });
  }

  #commitGroup(): void {
    const group = this.#group;
    this.#group = [];
    try {
      this.#appendAll(group.map(({ entry }) => entry));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    for (const waiting of group) waiting.resolve();
  }

  /** The newest row's hash, or null for an empty log. */
  head(): string | null {
    return (this.#head.get() as string | null | undefined) ?? null;
  }

  /** Walks the whole chain, oldest first. */
  verify(): AuditVerification {
    let rows = 0;
    let unchained = 0;
    let previous: string | null = null;
    let chained = false;
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
      rows += 1;
      if (!chained && (r.hash ?? null) === null) {
        unchained += 1;
        continue;
      }
      chained = true;
      if (r.hash !== chainHash(previous, r)) return { rows, unchained, brokenAt: r.id, head: r.hash };
      previous = r.hash;
    }
    return { rows, unchained, brokenAt: undefined, head: previous };
  }

  /** Newest first; `before` pages back by id. */
  list(filter: {
    homeId?: string | undefined;
    actor?: string | undefined;
    /** An action, or with a trailing "." every action it starts (network.). */
    action?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
    before?: number | undefined;
    limit: number;
  }): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log
         WHERE (@homeId IS NULL OR home_id = @homeId) AND (@actor IS NULL OR actor = @actor)
           AND (@action IS NULL OR action = @action OR (substr(@action, -1) = '.' AND substr(action, 1, length(@action)) = @action))
           AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) AND (@before IS NULL OR id < @before)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        homeId: filter.homeId ?? null,
        actor: filter.actor ?? null,
        action: filter.action ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
        before: filter.before ?? null,
        limit: filter.limit,
      }) as {
      id: number;
      at: number;
      actor: string;
      action: string;
      home_id: string | null;
      subject: string | null;
      detail: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: iso(r.at),
      actor: r.actor,
      action: r.action,
      homeId: r.home_id,
      subject: r.subject,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    }));
  }
}
