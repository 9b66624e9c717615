import type { Db } from './database.js';

/**
 * Questions the check-in service asks of the journal: did the resident check in by
 * themselves, did anything move in the home. Times are device timestamps (ms).
 */
export class HomeActivity {
  constructor(private readonly db: Db) {}

  /** The latest voluntary check-in (one without a promptId) in [from, to], for the resident or the whole home. */
  lastVoluntaryCheckin(homeId: string, residentId: string, from: number, to: number): number | undefined {
    const row = this.db
      .prepare(
        `SELECT MAX(ts) AS ts FROM events
         WHERE home_id = ? AND type = 'checkin' AND ts >= ? AND ts <= ?
           AND json_extract(data, '$.promptId') IS NULL
           AND COALESCE(json_extract(data, '$.residentId'), ?) = ?`,
      )
      .get(homeId, from, to, residentId, residentId) as { ts: number | null };
    return row.ts ?? undefined;
  }

  /**
   * The resident's latest activity if it was at or after `from`, as the rules engine judges it (its
   * presence: a stray trigger in a silent home is not the resident, issue 18.6), so that a check-in
   * satisfied by activity and the rules mean the same thing by it.
   */
  lastActivitySince(homeId: string, from: number): number | undefined {
    const row = this.db.prepare('SELECT last_activity_at AS ts FROM home_presence WHERE home_id = ?').get(homeId) as
      { ts: number | null } | undefined;
    const ts = row?.ts ?? undefined;
    return ts !== undefined && ts >= from ? ts : undefined;
  }
}
