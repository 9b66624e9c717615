import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0017-learned-baselines',
  sql: `
  -- A home's baseline is what was learned from its days (issue 18), no longer the days themselves;
  -- the baseline job relearns every home whose stored baseline is of an older shape.
  ALTER TABLE baselines RENAME COLUMN days TO learned;
  `,
};
