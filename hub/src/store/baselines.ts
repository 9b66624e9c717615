import type { Db } from './database.js';

/**
 * Each home's learned baseline (the engine's `Baseline`, stored as JSON and parsed by the
 * engine): recomputed daily from the journal, read by the learned rules. The store does not
 * interpret it.
 */
export class BaselineRepository {
  readonly #get;
  readonly #put;

  constructor(private readonly db: Db) {
    this.#get = db.prepare('SELECT learned, computed_at FROM baselines WHERE home_id = ?');
    this.#put = db.prepare(
      `INSERT INTO baselines (home_id, computed_at, learned) VALUES (?, ?, ?)
       ON CONFLICT (home_id) DO UPDATE SET computed_at = excluded.computed_at, learned = excluded.learned`,
    );
  }

  get(homeId: string): { learned: unknown; computedAt: number } | undefined {
    const row = this.#get.get(homeId) as { learned: string; computed_at: number } | undefined;
    return row && { learned: JSON.parse(row.learned) as unknown, computedAt: row.computed_at };
  }

  put(homeId: string, learned: unknown, now: number): void {
    this.#put.run(homeId, now, JSON.stringify(learned));
  }

  /** Stores many homes' baselines in one transaction: one commit for all, not one per home. */
  putMany(entries: readonly { homeId: string; learned: unknown }[], now: number): void {
    this.db.transaction(() => {
      for (const { homeId, learned } of entries) this.put(homeId, learned, now);
    })();
  }
}
