import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0013-resident-name-reading',
  sql: `
  -- How the resident's name is read, in kana, so the speaker says it right (issue 22).
  ALTER TABLE residents ADD COLUMN reading TEXT;
  `,
};
