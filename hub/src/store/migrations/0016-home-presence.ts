import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0016-home-presence',
  sql: `
  -- What the engine infers about each home from its activity (issue 18: corroborated activity,
  -- strays, probably out), written in the engine's transaction with the rule states. The last
  -- activity is a column of its own: the check-in service asks it whether anyone moved.
  CREATE TABLE home_presence (
    home_id TEXT PRIMARY KEY REFERENCES homes(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    last_activity_at INTEGER
  );
  `,
};
