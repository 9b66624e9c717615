import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0009-audit-hash-chain',
  sql: `
  -- Each audit row's SHA-256 over the previous row's hash and its own content (AuditLog.verify).
  ALTER TABLE audit_log ADD COLUMN hash TEXT;
  `,
};
