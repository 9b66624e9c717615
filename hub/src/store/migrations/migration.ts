import { createHash } from 'node:crypto';

/**
 * One schema change. `name` orders it (`NNNN-what-it-adds`) and is what the database records
 * as applied, with the checksum of its SQL: a migration that has shipped is never edited,
 * because databases that already ran it would never see the edit (a new one is appended).
 */
export interface Migration {
  name: string;
  sql: string;
}

export const checksumOf = (migration: Migration): string => createHash('sha256').update(migration.sql).digest('hex');
