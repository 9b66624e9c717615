import type { Db } from './database.js';
import { WriteBehindMap } from './write-behind.js';

/** One rule's memory of one home, and when it next wants to be asked without an event. */
export interface StoredRuleState {
  ruleId: string;
  homeId: string;
  state: unknown;
  wakeAt: number | undefined;
}

/**
 * A state with its JSON, made once however often the row is compared and written, and whether
 * it was read from the file rather than put by this run of the hub.
 */
type Row = Pick<StoredRuleState, 'state' | 'wakeAt'> & { json?: string; fromFile?: true };
const serialised = (row: Row) => (row.json ??= JSON.stringify(row.state));

/**
 * How many (rule, home) states stay in memory between the transactions that use them: every
 * rule of about 2,000 homes, a few MiB. The homes that are busy stay; a hub with 100,000 homes
 * reads the others from the file when they next have an event.
 */
const STATES_KEPT = 20_000;

const keyOf = (ruleId: string, homeId: string) => `${ruleId}\u0000${homeId}`;

/**
 * Rule state per (rule, home), written in the engine's transaction together with the alerts
 * it causes and the journal cursor, so that after a crash the engine resumes from exactly the
 * state that matches the events it has evaluated. Wake times rebuild the deadline scheduler.
 *
 * States are kept in memory and written when the engine's transaction commits (write-behind):
 * `waking` and `homesOf` read the file, so they see what the last commit wrote.
 */
export class RuleStateRepository {
  readonly #states: WriteBehindMap<Row>;

  constructor(private readonly db: Db) {
    const select = db.prepare('SELECT state, wake_at FROM rule_state WHERE rule_id = ? AND home_id = ?');
    const upsert = db.prepare(
      `INSERT INTO rule_state (rule_id, home_id, state, wake_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (rule_id, home_id) DO UPDATE SET state = excluded.state, wake_at = excluded.wake_at`,
    );
    const remove = db.prepare('DELETE FROM rule_state WHERE rule_id = ? AND home_id = ?');
    this.#states = new WriteBehindMap<Row>(
      db,
      {
        read: (key) => {
          const row = select.get(...key.split('\u0000')) as { state: string; wake_at: number | null } | undefined;
          return (
            row && {
              state: JSON.parse(row.state) as unknown,
              wakeAt: row.wake_at ?? undefined,
              json: row.state,
              fromFile: true,
            }
          );
        },
        write: (key, row) => {
          if (row) upsert.run(...key.split('\u0000'), serialised(row), row.wakeAt ?? null);
          else remove.run(...key.split('\u0000'));
        },
        // A third of the states an event's rules return are the ones stored, remade (a battery
        // level, a day not yet begun): not written again, they cost a comparison (issue 21).
        unchanged: (stored, row) => stored.wakeAt === row.wakeAt && serialised(stored) === serialised(row),
      },
      STATES_KEPT,
    );
  }

  /**
   * The rule's state for the home. `fromFile`: read from the file, as an earlier run of the hub
   * wrote it (perhaps before the rule's state changed shape), rather than put by this run.
   */
  get(ruleId: string, homeId: string): { readonly state: unknown; readonly fromFile?: true } | undefined {
    return this.#states.get(keyOf(ruleId, homeId));
  }

  put(ruleId: string, homeId: string, state: unknown, wakeAt: number | undefined): void {
    this.#states.set(keyOf(ruleId, homeId), { state, wakeAt });
  }

  delete(ruleId: string, homeId: string): void {
    this.#states.set(keyOf(ruleId, homeId), undefined);
  }

  /** Every (rule, home) with a wake time: the deadlines to rebuild after a start. */
  waking(): StoredRuleState[] {
    const rows = this.db.prepare('SELECT * FROM rule_state WHERE wake_at IS NOT NULL').all() as {
      rule_id: string;
      home_id: string;
      state: string;
      wake_at: number;
    }[];
    return rows.map((r) => ({
      ruleId: r.rule_id,
      homeId: r.home_id,
      state: JSON.parse(r.state) as unknown,
      wakeAt: r.wake_at,
    }));
  }

  /** Homes a rule holds state for: the ones to look at again when the rule changes. */
  homesOf(ruleId: string): string[] {
    return (
      this.db.prepare('SELECT home_id FROM rule_state WHERE rule_id = ?').all(ruleId) as { home_id: string }[]
    ).map((r) => r.home_id);
  }
}
