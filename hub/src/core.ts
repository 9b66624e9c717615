import type { Logger } from 'pino';
import { AlertFeed, AlertService } from './alerts/index.js';
import { CheckinService } from './checkins/index.js';
import type { Config } from './config/index.js';
import { DeadlineScheduler, Liveness, type DeadlineAction } from './deadlines/index.js';
import { HomeContexts, RuleRegistry, RulesEngine } from './engine/index.js';
import { Ingest } from './ingest/index.js';
import type { Component } from './lifecycle/index.js';
import type { Metrics } from './metrics/index.js';
import { composeNotify, type Notify } from './notify/index.js';
import { Speakers, type SpeakerPlatform } from './speakers/index.js';
import type { Stores } from './store/index.js';
import type { Clock } from './time/index.js';

/** Deadlines due together (the 9:00 check-ins of every home) share commits, a thousand at a time. */
const DEADLINES_PER_COMMIT = 1000;

export interface CoreDeps {
  config: Pick<Config, 'checkins' | 'notify' | 'dataDir' | 'alerts'>;
  stores: Stores;
  /** The platforms the homes' speakers are on (the MQTT speakers; a recording one in tests). */
  speakerPlatforms: readonly SpeakerPlatform[];
  /** The dashboard's address, which notifications link to. */
  publicUrl: () => string;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The hub without its edges (no sockets, no system jobs, no time-series backend): events in
 * through `ingest`, rules, check-ins, alerts with escalation and the notification outbox over
 * the given stores. The hub adds the broker, the API and the jobs around it; tests compose
 * just this, over an in-memory store and a manual clock.
 */
export interface Core {
  deadlines: DeadlineScheduler<DeadlineAction>;
  liveness: Liveness;
  speakers: Speakers;
  rules: RuleRegistry;
  notify: Notify;
  alertFeed: AlertFeed;
  alerts: AlertService;
  checkins: CheckinService;
  engine: RulesEngine;
  ingest: Ingest;
  /** The core's components, for the hub to place in its start order (see hub.ts). */
  components: {
    liveness: Component;
    rules: Component;
    engine: Component;
    notifier: Component;
    checkins: Component;
    escalations: Component;
    deadlines: Component;
  };
}

export function composeCore(deps: CoreDeps): Core {
  const { config, stores, clock, metrics, logger } = deps;
  const restartGraceMs = config.checkins.restartGraceSeconds * 1000;
  const deadlines = new DeadlineScheduler<DeadlineAction>(clock, (key, action, dueAt) => {
    try {
      action(dueAt);
    } catch (error) {
      logger.error({ err: error, key }, 'a deadline action failed');
    }
  });
  deadlines.fireInGroups(stores.transaction, DEADLINES_PER_COMMIT);
  const liveness = new Liveness({ hubState: stores.hubState, deadlines, clock, logger });
  const speakers = new Speakers({
    platforms: deps.speakerPlatforms,
    homes: stores.homes,
    metrics,
    logger: logger.child({ module: 'speakers' }),
  });
  const rules = new RuleRegistry(stores.rules);
  const ruleTypeOf = (ruleId: string) => rules.get(ruleId)?.type;
  const notify = composeNotify({
    settings: config.notify,
    dataDir: config.dataDir,
    stores,
    speakers,
    ruleTypeOf,
    publicUrl: deps.publicUrl,
    clock,
    metrics,
    logger,
  });
  const alertFeed = new AlertFeed();
  const alerts = new AlertService({
    repository: stores.alerts,
    feed: alertFeed,
    homes: stores.homes,
    networks: stores.networks,
    users: stores.users,
    notifications: notify.queue,
    webhooks: config.notify.webhooks,
    lateReportAfterMs: config.alerts.lateReportHours * 3_600_000,
    deadlines,
    clock,
    metrics,
    logger: logger.child({ module: 'alerts' }),
  });
  const checkins = new CheckinService({
    schedules: stores.schedules,
    checkins: stores.checkins,
    absences: stores.absences,
    activity: stores.homeActivity,
    homes: stores.homes,
    speakers,
    liveness,
    missedRule: (homeId) => {
      const home = stores.homes.get(homeId);
      return home && rules.ofType('checkin.missed', { homeId, district: home.district })?.settings;
    },
    alerts,
    deadlines,
    transaction: stores.transaction,
    clock,
    metrics,
    logger: logger.child({ module: 'checkins' }),
    restartGraceMs,
  });
  const engine = new RulesEngine({
    journal: stores.journal,
    cursor: stores.engineCursor,
    rules,
    states: stores.ruleStates,
    presence: stores.presence,
    homes: new HomeContexts({
      homes: stores.homes,
      devices: stores.devices,
      baselines: stores.baselines,
      absences: stores.absences,
      state: stores.hubState,
    }),
    alerts,
    ask: (question) => speakers.ask(question),
    deadlines,
    liveness,
    restartGraceMs,
    transaction: stores.transaction,
    clock,
    metrics,
    logger: logger.child({ module: 'engine' }),
    consumers: [checkins],
  });
  const ingest = new Ingest({
    journal: stores.journal,
    devices: stores.devices,
    onStored: (event) => engine.handle(event),
    onStatus: (homeId, deviceId, online) => engine.deviceStatus(homeId, deviceId, online),
    clock,
    metrics,
    logger: logger.child({ module: 'ingest' }),
  });
  return {
    deadlines,
    liveness,
    speakers,
    rules,
    notify,
    alertFeed,
    alerts,
    checkins,
    engine,
    ingest,
    components: {
      liveness: { name: 'liveness', start: () => liveness.start(), stop: () => liveness.stop() },
      rules: {
        name: 'rules',
        start: () => {
          const seeded = rules.seedDefaults(clock.now());
          if (seeded.length > 0) logger.info({ rules: seeded }, 'rules added from the catalogue');
        },
      },
      // Evaluates events journaled before the last stop, before the broker takes new ones.
      engine: { name: 'engine', start: () => engine.start() },
      notifier: notify.component,
      // Check-in deadlines are armed once the broker can send prompts.
      checkins: { name: 'checkins', start: () => checkins.start() },
      escalations: {
        name: 'escalations',
        start: () => {
          const resumed = alerts.resume();
          if (resumed > 0) logger.info({ escalations: resumed }, 'escalations resumed at their stored steps');
        },
      },
      // Last of the core: overdue deadlines wait out the restart grace, so answers devices held come first.
      deadlines: { name: 'deadlines', start: () => deadlines.start(), stop: () => deadlines.stop() },
    },
  };
}

/** What the API reads from the core and the stores; the hub (or a test) adds its edges. */
export function coreApiServices(core: Core, stores: Stores) {
  return {
    ...stores,
    checkinService: core.checkins,
    alertService: core.alerts,
    alertFeed: core.alertFeed,
    ruleTypeOf: (ruleId: string) => core.rules.get(ruleId)?.type,
    vapidPublicKey: core.notify.vapidPublicKey,
  };
}
