import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0011-outbox-by-alert',
  sql: `
  -- An alert's deliveries, shown to staff with the alert (who was told how, and the last error).
  CREATE INDEX outbox_alert ON outbox(alert_id);
  `,
};
