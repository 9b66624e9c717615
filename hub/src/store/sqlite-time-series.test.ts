import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database.js';
import { SqliteTimeSeries } from './sqlite-time-series.js';
import { describeTimeSeriesContract } from './time-series.contract.js';

describeTimeSeriesContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimamori-ts-'));
  const db = openDatabase(join(dir, 'test.sqlite'));
  return {
    store: new SqliteTimeSeries(db),
    async cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
