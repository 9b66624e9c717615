import { ACTIVITY_SENSOR_KINDS } from '@mimamori/contract';
import type { Logger } from 'pino';
import type {
  AbsenceRepository,
  BaselineRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  StoredEvent,
} from '../store/index.js';
import type { Clock } from '../time/index.js';
import { lastLocalMinute } from '../time/local-time.js';
import { BASELINE_DAYS, learnedOf } from './baseline.js';
import { DAY_STARTS_AT_MINUTE, summarizeDays } from './day-summary.js';
import { learnFromWorkingSensors } from './working-sensors.js';

export interface BaselineJobDeps {
  homes: Pick<HomeRepository, 'list'>;
  devices: Pick<DeviceRepository, 'ofHome'>;
  journal: Pick<EventJournal, 'history'>;
  absences: Pick<AbsenceRepository, 'overlapping'>;
  baselines: Pick<BaselineRepository, 'putMany' | 'get'>;
  clock: Clock;
  logger: Logger;
}

const DAY = 24 * 60 * 60_000;
/** Homes whose baselines are stored in one transaction: 100,000 homes with a commit each took minutes (issue 7). */
const HOMES_PER_COMMIT = 1000;

/**
 * Relearns every home's baseline from its own last 28 whole days in the journal, days touched
 * by a registered absence left out, and the activity sensors presumed dead by today left out
 * (working-sensors.ts). Run daily by a system cron job (and at start-up when
 * baselines are missing, stale or of an older shape); the learned rules read the result, and
 * judge nobody until a home has enough days.
 */
export class BaselineJob {
  constructor(private readonly deps: BaselineJobDeps) {}

  /** Recomputes the baseline of every home; returns how many homes have one with data. */
  run(): { homes: number; learned: number } {
    const now = this.deps.clock.now();
    let learned = 0;
    const homes = this.deps.homes.list();
    let group: { homeId: string; learned: unknown }[] = [];
    for (const home of homes) {
      const today = lastLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
      const from = today - BASELINE_DAYS * DAY;
      const away = this.deps.absences
        .overlapping(home.id, from, today)
        .map((a) => ({ from: a.startsAt, until: a.endsAt }));
      const heard = new Map<string, number>();
      const baseline = learnFromWorkingSensors(
        {
          // Read again without the dead sensors only in a home that has some: four weeks of events are not kept.
          days: (without) =>
            summarizeDays(heardFrom(this.deps.journal.history(home.id, from, today), heard, without), home.timezone, {
              from,
              until: today,
              away,
            }),
          lastHeard: (deviceId) => heard.get(deviceId),
        },
        this.deps.devices
          .ofHome(home.id)
          .filter((d) => ACTIVITY_SENSOR_KINDS.has(d.kind))
          .map((d) => d.id),
        today,
        () => learnedOf(this.deps.baselines.get(home.id)?.learned),
      );
      group.push({ homeId: home.id, learned: baseline });
      if (group.length >= HOMES_PER_COMMIT) {
        this.deps.baselines.putMany(group, now);
        group = [];
      }
      if (baseline.days > 0) learned++;
    }
    this.deps.baselines.putMany(group, now);
    this.deps.logger.info({ homes: homes.length, withHistory: learned }, 'baselines recomputed');
    return { homes: homes.length, learned };
  }

  /** Whether any home has no baseline, one older than a day, or one of an older shape. */
  stale(): boolean {
    const now = this.deps.clock.now();
    return this.deps.homes.list().some((h) => {
      const stored = this.deps.baselines.get(h.id);
      return !stored || stored.computedAt < now - DAY || !learnedOf(stored.learned);
    });
  }
}

/** The events of devices other than `without`, noting when each device was last heard as they pass. */
function* heardFrom(
  events: Iterable<StoredEvent>,
  heard: Map<string, number>,
  without: ReadonlySet<string>,
): Generator<StoredEvent> {
  for (const event of events) {
    heard.set(event.deviceId, event.ts);
    if (!without.has(event.deviceId)) yield event;
  }
}
