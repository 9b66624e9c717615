import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0010-applied-migrations',
  sql: `
  -- Which migrations this file has run, by name, with the checksum of their SQL then: an edited
  -- migration (which databases that ran it would never see) stops the hub at start.
  CREATE TABLE schema_migrations (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  );
  `,
};
