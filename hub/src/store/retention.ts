import type { Logger } from 'pino';
import type { Clock } from '../time/index.js';
import type { JournalCursor } from './cursors.js';
import type { EventJournal } from './journal.js';

const DAY = 86_400_000;

/**
 * Deletes raw sensor events older than the retention period (APPI: keep personal data no
 * longer than needed). Only raw events go: alerts, check-ins, absences and the audit log stay,
 * and so does anything a reader of the journal (the engine, the InfluxDB forwarder) has not
 * taken yet. InfluxDB applies the same period through its retention policy.
 */
export class EventRetention {
  constructor(
    private readonly deps: {
      journal: Pick<EventJournal, 'deleteOlderThan' | 'headSeq'>;
      /** Every reader of the journal; events after the slowest one are kept. */
      readers: readonly Pick<JournalCursor, 'get'>[];
      retentionDays: number;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  run(): number {
    const { journal, readers, retentionDays, clock, logger } = this.deps;
    const before = clock.now() - retentionDays * DAY;
    const upToSeq = Math.min(journal.headSeq(), ...readers.map((r) => r.get()));
    const deleted = journal.deleteOlderThan(before, upToSeq);
    if (deleted > 0)
      logger.info({ deleted, before: new Date(before).toISOString() }, 'raw events past their retention deleted');
    return deleted;
  }
}
