import type { Db } from './database.js';

/** One rule's memory of one home, and when it next wants to be asked without an event. */
export interface StoredRuleState {
  ruleId: string;
  homeId: string;
  state: unknown;
  wakeAt: number | undefined;
}

/**
 * Rule state per (rule, home), written in the engine's transaction together with the alerts
 * it causes and the journal cursor, so that after a crash the engine resumes from exactly the
 * state that matches the events it has evaluated. Wake times rebuild the deadline scheduler.
 */
export class RuleStateRepository {
  readonly #get;
  readonly #put;
  readonly #delete;

  constructor(private readonly db: Db) {
    this.#get = db.prepare('SELECT state FROM rule_state WHERE rule_id = ? AND home_id = ?');
    this.#put = db.prepare(
      `INSERT INTO rule_state (rule_id, home_id, state, wake_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (rule_id, home_id) DO UPDATE SET state = excluded.state, wake_at = excluded.wake_at`,
    );
    this.#delete = db.prepare('DELETE FROM rule_state WHERE rule_id = ? AND home_id = ?');
  }

  get(ruleId: string, homeId: string): unknown {
    const row = this.#get.get(ruleId, homeId) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as unknown);
  }

  put(ruleId: string, homeId: string, state: unknown, wakeAt: number | undefined): void {
    this.#put.run(ruleId, homeId, JSON.stringify(state), wakeAt ?? null);
  }

  delete(ruleId: string, homeId: string): void {
    this.#delete.run(ruleId, homeId);
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
