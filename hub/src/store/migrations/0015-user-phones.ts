import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0015-user-phones',
  sql: `
  -- How staff call a watcher (issue 19 item 8: people's e-mail, phone and affiliation).
  ALTER TABLE users ADD COLUMN phone TEXT;
  `,
};
