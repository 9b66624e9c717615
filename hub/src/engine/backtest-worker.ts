import { parentPort, workerData } from 'node:worker_threads';
import type { Rule } from '@mimamori/contract';
import {
  AbsenceRepository,
  AlertRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  RuleRepository,
  openReadOnly,
} from '../store/index.js';
import { collectBacktest, type BacktestRequest } from './backtest.js';

/** What the runner hands a worker: the database file, the rule, the request and its share of homes. */
export interface BacktestJob {
  dbFile: string;
  rule: Rule;
  request: BacktestRequest;
  homeIds: string[];
}

// A worker thread: replays its share of homes over its own read-only connection and posts the part back.
const job = workerData as BacktestJob;
const db = openReadOnly(job.dbFile);
try {
  const deps = {
    homes: new HomeRepository(db),
    devices: new DeviceRepository(db),
    absences: new AbsenceRepository(db),
    journal: new EventJournal(db),
    alerts: new AlertRepository(db),
    rules: new RuleRepository(db),
  };
  parentPort?.postMessage(collectBacktest(job.rule, job.request, job.homeIds, deps));
} finally {
  db.close();
}
