import type { Logger } from 'pino';
import type { AlertService } from '../alerts/index.js';
import type { Metrics } from '../metrics/index.js';
import type { EventJournal, JournalCursor, StoredEvent } from '../store/index.js';
import type { Clock } from '../time/index.js';
import type { Decision } from './decisions.js';
import { evaluateCheckinConcern } from './rules/checkin-concern.js';
import { evaluateSos } from './rules/sos.js';

/** Something that keeps its own durable state from events, inside the engine's transaction. */
export interface EventConsumer {
  onEvent(event: StoredEvent, now: number): void;
}

export interface RulesEngineDeps {
  journal: Pick<EventJournal, 'readAfter'>;
  /** The last journal sequence whose decisions are stored; advanced in the same transaction. */
  cursor: JournalCursor;
  alerts: AlertService;
  transaction: <T>(work: () => T) => T;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Updated in the same transaction as the alerts and the cursor (check-ins answered). */
  consumers?: readonly EventConsumer[];
}

const CATCH_UP_BATCH = 1000;
/** Rules that look at one event alone. */
const STATELESS_RULES = [
  ['sos', evaluateSos],
  ['checkin.concern', evaluateCheckinConcern],
] as const;

/**
 * Evaluates every journaled event exactly once, in journal order. The alerts an event causes
 * and the cursor past it are committed together, so a crash between "event stored" and
 * "alert stored" is repaired at start-up by evaluating the events after the cursor.
 */
export class RulesEngine {
  #position = 0;

  constructor(private readonly deps: RulesEngineDeps) {}

  /** Catches up on events journaled but not yet evaluated (after a crash). */
  async start(): Promise<void> {
    this.#position = this.deps.cursor.get();
    let caughtUp = 0;
    for (let batch = this.deps.journal.readAfter(this.#position, CATCH_UP_BATCH); batch.length > 0;
      batch = this.deps.journal.readAfter(this.#position, CATCH_UP_BATCH)) {
      for (const event of batch) this.handle(event);
      caughtUp += batch.length;
    }
    if (caughtUp > 0) this.deps.logger.warn({ events: caughtUp }, 'evaluated events stored before the last stop');
  }

  /** Evaluates one stored event; events at or before the cursor were handled already and are skipped. */
  handle(event: StoredEvent): void {
    if (event.seq <= this.#position) return;
    const decisions = this.#evaluate(event);
    const now = this.deps.clock.now();
    this.deps.transaction(() => {
      for (const consumer of this.deps.consumers ?? []) consumer.onEvent(event, now);
      for (const decision of decisions) this.deps.alerts.raise(decision, now);
      this.deps.cursor.set(event.seq);
    });
    this.#position = event.seq;
  }

  #evaluate(event: StoredEvent): Decision[] {
    const now = this.deps.clock.now();
    const decisions: Decision[] = [];
    for (const [rule, evaluate] of STATELESS_RULES) {
      this.deps.metrics.ruleEvaluations.inc({ rule });
      decisions.push(...evaluate(undefined, event, {}, now).decisions);
    }
    return decisions;
  }
}
