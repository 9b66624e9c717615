import type { Db } from './database.js';
import { WriteBehindMap } from './write-behind.js';

interface Row {
  state: unknown;
  lastActivityAt: number | null;
  /** Read from the file, as an earlier run of the hub wrote it, rather than put by this run. */
  fromFile?: true;
}

/** How many homes' presence stays in memory between the transactions that use it (see rule-state.ts). */
const HOMES_KEPT = 20_000;

/**
 * Each home's presence as the rules engine infers it (the engine's `PresenceState`, stored as
 * JSON and parsed by the engine), written in the engine's transaction with the rule states and
 * the cursor, and like them kept in memory and written once per commit (write-behind.ts). The
 * resident's last activity is kept in a column of its own, for the check-in service's "did
 * anyone move since…" (the one meaning of activity the rules use too).
 */
export class PresenceRepository {
  readonly #homes: WriteBehindMap<Row>;

  constructor(db: Db) {
    const select = db.prepare('SELECT state, last_activity_at FROM home_presence WHERE home_id = ?');
    const upsert = db.prepare(
      `INSERT INTO home_presence (home_id, state, last_activity_at) VALUES (?, ?, ?)
       ON CONFLICT (home_id) DO UPDATE SET state = excluded.state, last_activity_at = excluded.last_activity_at`,
    );
    const remove = db.prepare('DELETE FROM home_presence WHERE home_id = ?');
    this.#homes = new WriteBehindMap<Row>(
      db,
      {
        read: (homeId) => {
          const row = select.get(homeId) as { state: string; last_activity_at: number | null } | undefined;
          return (
            row && { state: JSON.parse(row.state) as unknown, lastActivityAt: row.last_activity_at, fromFile: true }
          );
        },
        write: (homeId, row) => {
          if (row) upsert.run(homeId, JSON.stringify(row.state), row.lastActivityAt);
          else remove.run(homeId);
        },
      },
      HOMES_KEPT,
    );
  }

  /** The home's presence; `fromFile` as for rule states (rule-state.ts). */
  get(homeId: string): { readonly state: unknown; readonly fromFile?: true } | undefined {
    return this.#homes.get(homeId);
  }

  put(homeId: string, state: unknown, lastActivityAt: number | null): void {
    this.#homes.set(homeId, { state, lastActivityAt });
  }

  /** A deleted home's row went with it (ON DELETE CASCADE): a home made again with its id starts afresh. */
  forget(homeId: string): void {
    this.#homes.forget(homeId);
  }

  /** The resident's last activity (corroborated: a stray trigger is not it), undefined before any. */
  lastActivity(homeId: string): number | undefined {
    return this.#homes.get(homeId)?.lastActivityAt ?? undefined;
  }
}
