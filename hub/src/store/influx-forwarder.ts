import type { Logger } from 'pino';
import { SerialRunner, type Clock } from '../time/index.js';
import type { JournalCursor } from './cursors.js';
import type { EventJournal } from './journal.js';
import type { TimeSeriesStore } from './time-series.js';

export interface InfluxForwarderDeps {
  journal: Pick<EventJournal, 'readAfter' | 'headSeq'>;
  cursor: Pick<JournalCursor, 'get' | 'set'>;
  sink: TimeSeriesStore;
  clock: Clock;
  logger: Logger;
  batchSize?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  pollMs?: number;
}

/**
 * Events per write. During an outage every retry reads a whole batch again: with the largest
 * events (a 1,000-character transcript) and a 128 MiB heap, 5,000 raised the hub's RSS by ~45 MiB
 * where 1,000 raise it by ~8, and InfluxDB took them no faster (~7,000 events/s either way).
 */
const BATCH_SIZE = 1000;

/**
 * Copies the journal to InfluxDB after a durable cursor. The alert path never waits on this:
 * while InfluxDB is down the journal keeps growing on disk, the cursor stays put, and at most
 * one batch is held in memory; once InfluxDB answers again everything after the cursor follows.
 */
export class InfluxForwarder {
  readonly #runner: SerialRunner;
  #failures = 0;

  constructor(private readonly deps: InfluxForwarderDeps) {
    this.#runner = new SerialRunner(
      deps.clock,
      () => this.#forward(),
      (error) => deps.logger.error({ err: error }, 'InfluxDB forwarding round failed'),
    );
  }

  /** How many journaled events InfluxDB does not have yet. */
  lag(): number {
    return this.deps.journal.headSeq() - this.deps.cursor.get();
  }

  start(): void {
    this.#runner.start();
  }

  stop(): Promise<void> {
    return this.#runner.stop();
  }

  /** Called after each journal commit: forward soon, unless waiting out an outage's backoff. */
  notify(): void {
    if (this.#failures > 0 && this.#runner.sleeping) return;
    this.#runner.wake();
  }

  /** Forwards everything after the cursor; returns how long to sleep (poll interval, or backoff after a failure). */
  async #forward(): Promise<number> {
    const { journal, cursor, sink, logger } = this.deps;
    const size = this.deps.batchSize ?? BATCH_SIZE;
    try {
      for (
        let batch = journal.readAfter(cursor.get(), size);
        batch.length > 0;
        batch = journal.readAfter(cursor.get(), size)
      ) {
        await sink.write(batch);
        cursor.set((batch.at(-1) as { seq: number }).seq);
      }
    } catch (error) {
      this.#failures += 1;
      // Once per outage, not per retry: a long outage must not flood the log.
      if (this.#failures === 1)
        logger.warn(
          { err: (error as Error).message, lag: this.lag() },
          'InfluxDB unavailable; events wait in the journal',
        );
      const min = this.deps.retryMinMs ?? 1000;
      return Math.min(this.deps.retryMaxMs ?? 60_000, min * 2 ** (this.#failures - 1));
    }
    if (this.#failures > 0) logger.info({ after: this.#failures }, 'InfluxDB reachable again; forwarding resumed');
    this.#failures = 0;
    return this.deps.pollMs ?? 5000;
  }
}
