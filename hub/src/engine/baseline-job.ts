import type { Logger } from 'pino';
import type { BaselineRepository, EventJournal, HomeRepository } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { lastLocalMinute } from '../time/local-time.js';
import { BASELINE_DAYS, DAY_STARTS_AT_MINUTE, summarizeDays } from './baseline.js';

export interface BaselineJobDeps {
  homes: Pick<HomeRepository, 'list'>;
  journal: Pick<EventJournal, 'history'>;
  baselines: Pick<BaselineRepository, 'putMany' | 'get'>;
  clock: Clock;
  logger: Logger;
}

const DAY = 24 * 60 * 60_000;
/** Homes whose baselines are stored in one transaction: 100,000 homes with a commit each took minutes (issue 7). */
const HOMES_PER_COMMIT = 1000;

/**
 * Recomputes every home's learned baseline from its own last 28 whole days in the journal. Run
 * daily by a system cron job (and at start-up when baselines are missing or stale); the
 * learned rules read the result, and judge nobody until a home has enough days.
 */
export class BaselineJob {
  constructor(private readonly deps: BaselineJobDeps) {}

  /** Recomputes the baseline of every home; returns how many homes have one with data. */
  run(): { homes: number; learned: number } {
    const now = this.deps.clock.now();
    let learned = 0;
    const homes = this.deps.homes.list();
    let group: { homeId: string; days: readonly unknown[] }[] = [];
    for (const home of homes) {
      const today = lastLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
      const days = summarizeDays(this.deps.journal.history(home.id, today - BASELINE_DAYS * DAY, today), home.timezone);
      group.push({ homeId: home.id, days });
      if (group.length >= HOMES_PER_COMMIT) {
        this.deps.baselines.putMany(group, now);
        group = [];
      }
      if (days.length > 0) learned++;
    }
    this.deps.baselines.putMany(group, now);
    this.deps.logger.info({ homes: homes.length, withHistory: learned }, 'baselines recomputed');
    return { homes: homes.length, learned };
  }

  /** Whether any home has no baseline, or one older than a day. */
  stale(): boolean {
    const now = this.deps.clock.now();
    return this.deps.homes.list().some((h) => (this.deps.baselines.get(h.id)?.computedAt ?? 0) < now - DAY);
  }
}
