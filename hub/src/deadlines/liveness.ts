import type { Logger } from 'pino';
import type { HubStateRepository } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { formatMinuteOfDay, localDate, localMinuteOfDay } from '../time/local-time.js';
import type { DeadlineAction, DeadlineScheduler } from './deadline-scheduler.js';

/** The hub notes that it is alive this often: after a crash, the outage is dated from the last note. */
const ALIVE_EVERY_MS = 10_000;
/** The hub_state key of the last liveness note; the import command reads it to see whether the hub runs. */
export const ALIVE_KEY = 'alive_at';

export interface Outage {
  from: number;
  to: number;
}

/**
 * Dates the hub's own outages: a liveness note every 10 s in the store (and one at a clean
 * stop); at start, the hub was down from the last note until now — however short that was, as
 * after a crash and an immediate restart. Deadlines that passed in it, and only those, fire
 * once, marked with it ("detected late"), by the check-in service and the rules engine alike.
 */
export class Liveness {
  #outage: Outage | undefined;

  constructor(
    private readonly deps: {
      hubState: HubStateRepository;
      deadlines: DeadlineScheduler<DeadlineAction>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** The outage found at start, if the hub was down. */
  get outage(): Outage | undefined {
    return this.#outage;
  }

  start(): void {
    const now = this.deps.clock.now();
    const lastAlive = this.deps.hubState.get(ALIVE_KEY);
    if (lastAlive !== undefined) {
      this.#outage = { from: lastAlive, to: now };
      this.deps.logger.warn(
        { from: new Date(lastAlive).toISOString(), to: new Date(now).toISOString() },
        'the hub was down; overdue deadlines are handled once, marked as detected late',
      );
    }
    this.#noteAlive(now);
  }

  /** Stops the liveness note, so a clean shutdown still dates the outage from its last beat. */
  stop(): void {
    this.deps.deadlines.cancel('hub:alive');
    this.deps.hubState.set(ALIVE_KEY, this.deps.clock.now());
  }

  #noteAlive(now: number): void {
    this.deps.hubState.set(ALIVE_KEY, now);
    this.deps.deadlines.schedule('hub:alive', now + ALIVE_EVERY_MS, (at) =>
      this.#noteAlive(Math.max(at, this.deps.clock.now())),
    );
  }
}

/** "hub down from … to …" in UTC, for records such as a check-in's `detectedLate`. */
export const outageRecord = (o: Outage): string =>
  `hub down from ${new Date(o.from).toISOString()} to ${new Date(o.to).toISOString()}`;

/** The sentence an alert detected late ends with, in the home's local time. */
export function outageNote(o: Outage, timezone: string): { ja: string; en: string } {
  const local = (ms: number) => `${localDate(ms, timezone)} ${formatMinuteOfDay(localMinuteOfDay(ms, timezone))}`;
  return {
    ja: `※ハブ停止（${local(o.from)}〜${local(o.to)}）のため検知が遅れました。`,
    en: ` Detected late: the hub was down from ${local(o.from)} to ${local(o.to)}.`,
  };
}
