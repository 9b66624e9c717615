import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0003-rules',
  sql: `
  -- The rule catalogue as staff configured it; every change is a new version with a reason.
  CREATE TABLE rules (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    severity TEXT NOT NULL,
    params TEXT NOT NULL,
    active_hours TEXT,
    scope TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
  );
  CREATE TABLE rule_overrides (
    rule_id TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    enabled INTEGER,
    params TEXT NOT NULL,
    PRIMARY KEY (rule_id, home_id)
  );
  CREATE TABLE rule_versions (
    rule_id TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (rule_id, version)
  );
  -- What each rule remembers about each home, and when it next wants to look without an event.
  CREATE TABLE rule_state (
    rule_id TEXT NOT NULL,
    home_id TEXT NOT NULL,
    state TEXT NOT NULL,
    wake_at INTEGER,
    PRIMARY KEY (rule_id, home_id)
  );
  CREATE TABLE baselines (
    home_id TEXT PRIMARY KEY REFERENCES homes(id) ON DELETE CASCADE,
    computed_at INTEGER NOT NULL,
    days TEXT NOT NULL
  );
  `,
};
