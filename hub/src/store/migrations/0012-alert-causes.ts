import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0012-alert-causes',
  sql: `
  -- When an alert's cause happened (a press held by a device, a replayed buffer), and whether it
  -- was so old that it went to staff as a late report instead of paging the network (issue 23).
  ALTER TABLE alerts ADD COLUMN occurred_at INTEGER;
  ALTER TABLE alerts ADD COLUMN late_report INTEGER NOT NULL DEFAULT 0;
  `,
};
