import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0005-alert-outcomes',
  sql: `
  -- Who went ("向かいます"), when it ended and how.
  ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
  ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER;
  ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
  ALTER TABLE alerts ADD COLUMN outcome TEXT;
  ALTER TABLE alerts ADD COLUMN note TEXT;
  `,
};
