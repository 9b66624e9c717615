import type { Absence, AbsenceInput } from '@mimamori/contract';
import type { Db } from './database.js';
import { newId } from './ids.js';
import { iso, isoOrNull } from './rows.js';

interface AbsenceRow {
  id: string;
  home_id: string;
  home_name: string;
  reason: Absence['reason'];
  note: string | null;
  starts_at: number;
  ends_at: number;
  created_by: string;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  reminded_at: number | null;
}

/** An absence with its times as epoch ms, for the check-in service and the reminder. */
export interface StoredAbsence {
  id: string;
  homeId: string;
  startsAt: number;
  endsAt: number;
  remindedAt: number | null;
}

const SELECT = 'SELECT a.*, h.name AS home_name FROM absences a JOIN homes h ON h.id = a.home_id';

const toStored = (r: AbsenceRow): StoredAbsence => ({
  id: r.id,
  homeId: r.home_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  remindedAt: r.reminded_at,
});

/**
 * Absences (不在登録) per home. Every absence has an end; while one is active the home is
 * not prompted and its missed-check-in and inactivity rules stay quiet.
 */
export class AbsenceRepository {
  constructor(private readonly db: Db) {}

  create(
    homeId: string,
    input: Pick<AbsenceInput, 'reason' | 'endsAt' | 'note'> & { startsAt: string },
    by: string,
    now: number,
  ): Absence {
    const id = newId('ab');
    this.db
      .prepare(
        `INSERT INTO absences (id, home_id, reason, note, starts_at, ends_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        homeId,
        input.reason,
        input.note ?? null,
        Date.parse(input.startsAt),
        Date.parse(input.endsAt),
        by,
        now,
        now,
      );
    return this.get(id, now) as Absence;
  }

  get(id: string, now: number): Absence | undefined {
    const row = this.db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as AbsenceRow | undefined;
    return row && toAbsence(row, now);
  }

  stored(id: string): StoredAbsence | undefined {
    const row = this.db.prepare('SELECT * FROM absences WHERE id = ?').get(id) as AbsenceRow | undefined;
    return row && toStored(row);
  }

  /** A home's absences that have not ended yet (active or upcoming), plus ended ones when `all`. */
  listForHome(homeId: string, now: number, all: boolean): Absence[] {
    const rows = this.db
      .prepare(`${SELECT} WHERE a.home_id = ? AND (? OR a.ends_at > ?) ORDER BY a.starts_at`)
      .all(homeId, all ? 1 : 0, now);
    return (rows as AbsenceRow[]).map((r) => toAbsence(r, now));
  }

  /** Every absence active now, across all homes, soonest end first. */
  listActive(now: number): Absence[] {
    const rows = this.db.prepare(`${SELECT} WHERE a.starts_at <= ? AND a.ends_at > ? ORDER BY a.ends_at`).all(now, now);
    return (rows as AbsenceRow[]).map((r) => toAbsence(r, now));
  }

  /** Every absence that has not ended, across all homes (active and upcoming), soonest end first. */
  listUnendedViews(now: number): Absence[] {
    const rows = this.db.prepare(`${SELECT} WHERE a.ends_at > ? ORDER BY a.ends_at`).all(now);
    return (rows as AbsenceRow[]).map((r) => toAbsence(r, now));
  }

  /** The absence covering `at` for a home, if any. */
  activeAt(homeId: string, at: number): StoredAbsence | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM absences WHERE home_id = ? AND starts_at <= ? AND ends_at > ? ORDER BY ends_at DESC LIMIT 1',
      )
      .get(homeId, at, at) as AbsenceRow | undefined;
    return row && toStored(row);
  }

  /** A home's absences overlapping [from, to): what a backtest must respect. */
  overlapping(homeId: string, from: number, to: number): StoredAbsence[] {
    return (
      this.db
        .prepare('SELECT * FROM absences WHERE home_id = ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at')
        .all(homeId, to, from) as AbsenceRow[]
    ).map(toStored);
  }

  /** Absences that have not ended: the service schedules their starts, ends and reminders. */
  listUnended(now: number): StoredAbsence[] {
    return (this.db.prepare('SELECT * FROM absences WHERE ends_at > ?').all(now) as AbsenceRow[]).map(toStored);
  }

  update(
    id: string,
    change: { endsAt?: number | undefined; note?: string | undefined },
    by: string,
    now: number,
  ): void {
    this.db
      .prepare(
        `UPDATE absences SET ends_at = COALESCE(?, ends_at), note = COALESCE(?, note), updated_by = ?, updated_at = ?,
           reminded_at = CASE WHEN ? IS NULL THEN reminded_at ELSE NULL END
         WHERE id = ?`,
      )
      .run(change.endsAt ?? null, change.note ?? null, by, now, change.endsAt ?? null, id);
  }

  markReminded(id: string, now: number): void {
    this.db.prepare('UPDATE absences SET reminded_at = ? WHERE id = ?').run(now, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM absences WHERE id = ?').run(id).changes > 0;
  }
}

function toAbsence(r: AbsenceRow, now: number): Absence {
  return {
    id: r.id,
    homeId: r.home_id,
    homeName: r.home_name,
    reason: r.reason,
    note: r.note,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    active: r.starts_at <= now && now < r.ends_at,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedBy: r.updated_by,
    updatedAt: isoOrNull(r.updated_at) ?? iso(r.created_at),
  };
}
