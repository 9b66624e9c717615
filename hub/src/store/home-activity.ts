import { POWER_ACTIVITY_WATTS } from '@mimamori/contract';
import { activityCondition } from './activity-sql.js';
import type { Db } from './database.js';

/**
 * Questions the check-in service asks of the journal: did the resident check in by
 * themselves, did anything move in the home. Times are device timestamps (ms).
 */
export class HomeActivity {
  readonly #activity = activityCondition({ powerWatts: POWER_ACTIVITY_WATTS });

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
   * The latest sign of someone moving about in [from, to], by the contract's meaning of activity
   * (a power reading counts from POWER_ACTIVITY_WATTS, as for the inactivity rule by default).
   */
  lastActivity(homeId: string, from: number, to: number): number | undefined {
    const row = this.db
      .prepare(`SELECT MAX(ts) AS ts FROM events WHERE home_id = ? AND ts >= ? AND ts <= ? AND ${this.#activity.sql}`)
      .get(homeId, from, to, ...this.#activity.params) as { ts: number | null };
    return row.ts ?? undefined;
  }
}
