import type { Rule, RuleScope, RuleType, RuleVersion } from '@mimamori/contract';
import type { Db } from './database.js';
import { iso } from './rows.js';

interface RuleRow {
  id: string;
  type: RuleType;
  enabled: number;
  severity: Rule['severity'];
  params: string;
  active_hours: string | null;
  scope: string;
  version: number;
  updated_at: number;
  updated_by: string;
}

/** A rule's configurable part, as created, changed or rolled back to. */
export type RuleConfig = Pick<
  Rule,
  'id' | 'type' | 'enabled' | 'severity' | 'params' | 'activeHours' | 'scope' | 'overrides'
>;

/** Who changed a rule and why; kept with every version. */
export interface RuleChange {
  by: string;
  reason: string;
  at: number;
}

/**
 * The rule catalogue as configured: rules, per-home overrides, and a version history in which
 * every version is a full snapshot (rule and overrides), so a rollback restores exactly what
 * was live, and "who changed what, when, why" needs no diffing of logs.
 */
export class RuleRepository {
  constructor(private readonly db: Db) {}

  list(): Rule[] {
    const overrides = this.#overrides();
    return (this.db.prepare('SELECT * FROM rules ORDER BY id').all() as RuleRow[]).map((r) =>
      toRule(r, overrides.get(r.id) ?? []),
    );
  }

  get(id: string): Rule | undefined {
    const row = this.db.prepare('SELECT * FROM rules WHERE id = ?').get(id) as RuleRow | undefined;
    return row && toRule(row, this.#overrides(id).get(id) ?? []);
  }

  /** Stores `config` as the rule's next version (version 1 when new). */
  save(config: RuleConfig, change: RuleChange): Rule {
    return this.db.transaction(() => {
      const version =
        ((this.db.prepare('SELECT version FROM rules WHERE id = ?').get(config.id) as { version: number } | undefined)
          ?.version ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO rules (id, type, enabled, severity, params, active_hours, scope, version, updated_at, updated_by)
           VALUES (@id, @type, @enabled, @severity, @params, @activeHours, @scope, @version, @at, @by)
           ON CONFLICT (id) DO UPDATE SET enabled = @enabled, severity = @severity, params = @params,
             active_hours = @activeHours, scope = @scope, version = @version, updated_at = @at, updated_by = @by`,
        )
        .run({
          id: config.id,
          type: config.type,
          enabled: config.enabled ? 1 : 0,
          severity: config.severity,
          params: JSON.stringify(config.params),
          activeHours: config.activeHours && JSON.stringify(config.activeHours),
          scope: JSON.stringify(config.scope),
          version,
          at: change.at,
          by: change.by,
        });
      this.db.prepare('DELETE FROM rule_overrides WHERE rule_id = ?').run(config.id);
      const insertOverride = this.db.prepare(
        'INSERT INTO rule_overrides (rule_id, home_id, enabled, params) VALUES (?, ?, ?, ?)',
      );
      for (const o of config.overrides)
        insertOverride.run(
          config.id,
          o.homeId,
          o.enabled === null ? null : o.enabled ? 1 : 0,
          JSON.stringify(o.params),
        );
      this.db
        .prepare(
          'INSERT INTO rule_versions (rule_id, version, snapshot, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(config.id, version, JSON.stringify(snapshotOf(config)), change.at, change.by, change.reason);
      return this.get(config.id) as Rule;
    })();
  }

  versions(id: string): RuleVersion[] {
    const rows = this.db.prepare('SELECT * FROM rule_versions WHERE rule_id = ? ORDER BY version DESC').all(id) as {
      version: number;
      snapshot: string;
      changed_at: number;
      changed_by: string;
      reason: string;
    }[];
    return rows.map((r) => ({
      version: r.version,
      changedAt: iso(r.changed_at),
      changedBy: r.changed_by,
      reason: r.reason,
      rule: JSON.parse(r.snapshot) as RuleVersion['rule'],
    }));
  }

  version(id: string, version: number): RuleConfig | undefined {
    const row = this.db
      .prepare('SELECT snapshot FROM rule_versions WHERE rule_id = ? AND version = ?')
      .get(id, version) as { snapshot: string } | undefined;
    return row && (JSON.parse(row.snapshot) as RuleConfig);
  }

  #overrides(ruleId?: string): Map<string, Rule['overrides']> {
    const rows = (
      ruleId === undefined
        ? this.db.prepare('SELECT * FROM rule_overrides ORDER BY home_id').all()
        : this.db.prepare('SELECT * FROM rule_overrides WHERE rule_id = ? ORDER BY home_id').all(ruleId)
    ) as { rule_id: string; home_id: string; enabled: number | null; params: string }[];
    const byRule = new Map<string, Rule['overrides']>();
    for (const r of rows) {
      const list = byRule.get(r.rule_id) ?? [];
      list.push({
        homeId: r.home_id,
        enabled: r.enabled === null ? null : r.enabled === 1,
        params: JSON.parse(r.params) as Record<string, unknown>,
      });
      byRule.set(r.rule_id, list);
    }
    return byRule;
  }
}

const snapshotOf = ({
  id,
  type,
  enabled,
  severity,
  params,
  activeHours,
  scope,
  overrides,
}: RuleConfig): RuleConfig => ({ id, type, enabled, severity, params, activeHours, scope, overrides });

const toRule = (r: RuleRow, overrides: Rule['overrides']): Rule => ({
  id: r.id,
  type: r.type,
  enabled: r.enabled === 1,
  severity: r.severity,
  params: JSON.parse(r.params) as Record<string, unknown>,
  activeHours: r.active_hours === null ? null : (JSON.parse(r.active_hours) as Rule['activeHours']),
  scope: JSON.parse(r.scope) as RuleScope,
  overrides,
  version: r.version,
  updatedAt: iso(r.updated_at),
  updatedBy: r.updated_by,
});
