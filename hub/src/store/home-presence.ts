import type { Db } from './database.js';

/**
 * Each home's presence as the rules engine infers it (the engine's `PresenceState`, stored as
 * JSON and parsed by the engine), written in the engine's transaction with the rule states and
 * the cursor. The resident's last activity is kept in a column of its own, for the check-in
 * service's "did anyone move since…" (the one meaning of activity the rules use too).
 */
export class PresenceRepository {
  readonly #get;
  readonly #put;
  readonly #last;

  constructor(db: Db) {
    this.#get = db.prepare('SELECT state FROM home_presence WHERE home_id = ?');
    this.#put = db.prepare(
      `INSERT INTO home_presence (home_id, state, last_activity_at) VALUES (?, ?, ?)
       ON CONFLICT (home_id) DO UPDATE SET state = excluded.state, last_activity_at = excluded.last_activity_at`,
    );
    this.#last = db.prepare('SELECT last_activity_at FROM home_presence WHERE home_id = ?');
  }

  get(homeId: string): unknown {
    const row = this.#get.get(homeId) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as unknown);
  }

  put(homeId: string, state: unknown, lastActivityAt: number | null): void {
    this.#put.run(homeId, JSON.stringify(state), lastActivityAt);
  }

  /** The resident's last activity (corroborated: a stray trigger is not it), undefined before any. */
  lastActivity(homeId: string): number | undefined {
    const row = this.#last.get(homeId) as { last_activity_at: number | null } | undefined;
    return row?.last_activity_at ?? undefined;
  }
}
