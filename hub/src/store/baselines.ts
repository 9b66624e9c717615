import type { Db } from './database.js';

/**
 * Learned baselines per home (the engine's `DaySummary` list, stored as JSON): recomputed
 * daily from the journal, read by the learned rules. The store does not interpret them.
 */
export class BaselineRepository {
  readonly #get;

  constructor(private readonly db: Db) {
    this.#get = db.prepare('SELECT days, computed_at FROM baselines WHERE home_id = ?');
  }

  get<T>(homeId: string): { days: T[]; computedAt: number } | undefined {
    const row = this.#get.get(homeId) as { days: string; computed_at: number } | undefined;
    return row && { days: JSON.parse(row.days) as T[], computedAt: row.computed_at };
  }

  put(homeId: string, days: readonly unknown[], now: number): void {
    this.db
      .prepare(
        `INSERT INTO baselines (home_id, computed_at, days) VALUES (?, ?, ?)
         ON CONFLICT (home_id) DO UPDATE SET computed_at = excluded.computed_at, days = excluded.days`,
      )
      .run(homeId, now, JSON.stringify(days));
  }

  /** Stores many homes' baselines in one transaction: one commit for all, not one per home. */
  putMany(entries: readonly { homeId: string; days: readonly unknown[] }[], now: number): void {
    this.db.transaction(() => {
      for (const { homeId, days } of entries) this.put(homeId, days, now);
    })();
  }
}
