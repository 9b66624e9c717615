import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BacktestResult, Rule } from '@mimamori/contract';
import {
  assembleBacktest,
  backtestHomes,
  collectBacktest,
  type BacktestDeps,
  type BacktestPart,
  type BacktestRequest,
} from './backtest.js';
import type { BacktestJob } from './backtest-worker.js';

const WORKER = fileURLToPath(new URL('./backtest-worker.js', import.meta.url));

/**
 * Runs backtests off the main thread: the homes are shared out among `workers` worker threads,
 * each reading the database through its own read-only connection, so a month of a thousand
 * homes neither blocks MQTT ingest and alerts nor uses one core only. Where the compiled worker
 * is not available (the TypeScript sources run directly, as in unit tests) or `workers` is 0,
 * it runs in this thread.
 */
export class BacktestRunner {
  readonly #workers: number;

  constructor(
    private readonly deps: BacktestDeps & { dbFile: string },
    workers: number,
  ) {
    this.#workers = existsSync(WORKER) ? workers : 0;
  }

  async run(rule: Rule, request: BacktestRequest): Promise<BacktestResult> {
    const homes = backtestHomes(rule, request, this.deps);
    if (this.#workers === 0)
      return assembleBacktest(rule, request, homes.length, [collectBacktest(rule, request, homes, this.deps)]);
    const shares = Array.from({ length: Math.min(this.#workers, Math.max(1, homes.length)) }, (_, i) =>
      homes.filter((_, j) => j % this.#workers === i),
    );
    const parts = await Promise.all(
      shares.map((homeIds) => this.#inWorker({ dbFile: this.deps.dbFile, rule, request, homeIds })),
    );
    return assembleBacktest(rule, request, homes.length, parts);
  }

  #inWorker(job: BacktestJob): Promise<BacktestPart> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER, { workerData: job });
      worker.once('message', (part: BacktestPart) => resolve(part));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`a backtest worker stopped with exit code ${code}`));
      });
    });
  }
}
