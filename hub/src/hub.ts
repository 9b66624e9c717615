import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import cron, { type ScheduledTask } from 'node-cron';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AlertFeed, AlertService } from './alerts/index.js';
import { buildApi } from './api/index.js';
import { ExternalBroker, MqttBroker, type DeviceBroker } from './broker/index.js';
import type { DeviceCommand } from '@mimamori/contract';
import type { Config } from './config/index.js';
import { CheckinService } from './checkins/index.js';
import { DeadlineScheduler, Liveness, type DeadlineAction } from './deadlines/index.js';
import { MqttSpeakers, Speakers } from './speakers/index.js';
import { BacktestRunner, BaselineJob, HomeContexts, RuleAdmin, RuleRegistry, RulesEngine } from './engine/index.js';
import { Ingest } from './ingest/index.js';
import { Heartbeat } from './metrics/heartbeat.js';
import { createMetrics, type Metrics } from './metrics/index.js';
import {
  EmailChannel,
  Notifier,
  NotificationQueue,
  SpeakerAnnounceChannel,
  WebhookChannel,
  WebPushChannel,
  vapidKeys,
  type Channel,
  type VapidKeys,
} from './notify/index.js';
import {
  AbsenceRepository,
  AlertRepository,
  BaselineRepository,
  CheckinRepository,
  CheckinScheduleRepository,
  HomeActivity,
  HubStateRepository,
  DeviceRepository,
  EventJournal,
  EventRetention,
  HomeRepository,
  JournalCursor,
  NetworkRepository,
  AuditLog,
  OutboxRepository,
  RuleRepository,
  RuleStateRepository,
  SqliteTimeSeries,
  InfluxForwarder,
  InfluxTimeSeries,
  UserRepository,
  openDatabase,
  type Db,
  type TimeSeriesStore,
} from './store/index.js';
import type { Clock } from './time/index.js';
import { monthlyReport } from './reports/index.js';
import { DEMO_USERS, seedUsers, type SeedUser } from './users-seed.js';

/** The dashboard as `npm run build` leaves it, next to the hub in the repository. */
const DEADLINES_PER_COMMIT = 1000;
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export interface HubDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
}

/**
 * The whole hub, wired from config: stores → engine → alerts → notifier, the broker feeding
 * ingest, the API reading the stores. Construction opens nothing; `start()` opens the
 * database and listens, `stop()` stops everything in reverse order.
 */
export class Hub {
  readonly metrics: Metrics = createMetrics();
  #db: Db | undefined;
  #api: FastifyInstance | undefined;
  #broker: DeviceBroker | undefined;
  #ingest: Ingest | undefined;
  #deadlines: DeadlineScheduler<DeadlineAction> | undefined;
  #liveness: Liveness | undefined;
  #notifier: Notifier | undefined;
  #timeSeries: TimeSeriesStore | undefined;
  #forwarder: InfluxForwarder | undefined;
  #baselineTask: ScheduledTask | undefined;
  #email: EmailChannel | undefined;
  #heartbeat: Heartbeat | undefined;
  #vapid: VapidKeys = { publicKey: '', privateKey: '', subject: '' };

  constructor(private readonly deps: HubDeps) {}

  get httpPort(): number {
    return ((this.#api?.server as Server | undefined)?.address() as AddressInfo | null)?.port ?? 0;
  }

  get mqttPort(): number {
    return this.#broker?.port ?? 0;
  }

  async start(): Promise<void> {
    if (this.#db) return;
    const { config, clock, logger } = this.deps;
    const dbFile = join(config.dataDir, 'mimamori.sqlite');
    const db = (this.#db = openDatabase(dbFile));
    const homes = new HomeRepository(db);
    const devices = new DeviceRepository(db);
    const users = new UserRepository(db);
    const alerts = new AlertRepository(db);
    const outbox = new OutboxRepository(db);
    const schedules = new CheckinScheduleRepository(db);
    const checkins = new CheckinRepository(db);
    const absences = new AbsenceRepository(db);
    const transaction = <T>(work: () => T): T => db.transaction(work)();

    await seedUsers(users, this.#seedUsers(), clock.now(), logger.child({ module: 'users' }));

    const networks = new NetworkRepository(db);
    // The broker starts after the engine; until then a command cannot be sent, which the callers log or retry.
    const sendCommand = (homeId: string, deviceId: string, command: DeviceCommand) =>
      this.#broker
        ? this.#broker.sendCommand(homeId, deviceId, command)
        : Promise.reject(new Error('the broker is not running yet'));
    const speakers = new Speakers({
      platforms: [new MqttSpeakers({ devices, sendCommand })],
      homes,
      metrics: this.metrics,
      logger: logger.child({ module: 'speakers' }),
    });
    const notifier = (this.#notifier = new Notifier({
      outbox,
      channels: this.#channels(users, speakers),
      clock,
      retryMinMs: config.notify.retryMinSeconds * 1000,
      retryMaxMs: config.notify.retryMaxSeconds * 1000,
      metrics: this.metrics,
      logger: logger.child({ module: 'notify' }),
    }));
    const ruleRepository = new RuleRepository(db);
    const rules = new RuleRegistry(ruleRepository);
    const notifications = new NotificationQueue({
      repository: alerts,
      homes,
      users,
      ruleTypeOf: (ruleId) => rules.get(ruleId)?.type,
      email: config.notify.smtp !== undefined,
      publicUrl:
        config.notify.publicUrl ??
        `${config.tls.certFile ? 'https' : 'http'}://${config.http.host}:${config.http.port}`,
      onQueued: () => notifier.wake(),
      metrics: this.metrics,
      logger: logger.child({ module: 'notify' }),
    });
    const journal = new EventJournal(db, () => this.#forwarder?.notify());
    // One scheduler for every deadline of the hub: check-in steps, absences, liveness.
    const deadlines = (this.#deadlines = new DeadlineScheduler<DeadlineAction>(clock, (key, action, dueAt) => {
      try {
        action(dueAt);
      } catch (error) {
        logger.error({ err: error, key }, 'a deadline action failed');
      }
    }));
    // Deadlines due together (the 9:00 check-ins of every home) share commits, a thousand at a time.
    deadlines.fireInGroups(transaction, DEADLINES_PER_COMMIT);
    const alertFeed = new AlertFeed();
    const alertService = new AlertService({
      repository: alerts,
      feed: alertFeed,
      homes,
      networks,
      users,
      notifications,
      webhooks: config.notify.webhooks,
      deadlines,
      clock,
      metrics: this.metrics,
      logger: logger.child({ module: 'alerts' }),
    });
    const hubState = new HubStateRepository(db);
    const liveness = (this.#liveness = new Liveness({ hubState, deadlines, clock, logger }));
    liveness.start();
    const seeded = rules.seedDefaults(clock.now());
    if (seeded.length > 0) logger.info({ rules: seeded }, 'rules added from the catalogue');
    const baselines = new BaselineRepository(db);
    const homeContexts = new HomeContexts({ homes, devices, baselines, absences, state: hubState });
    const restartGraceMs = config.checkins.restartGraceSeconds * 1000;
    const checkinService = new CheckinService({
      schedules,
      checkins,
      absences,
      activity: new HomeActivity(db),
      homes,
      speakers,
      liveness,
      missedRule: (homeId) => {
        const home = homes.get(homeId);
        return home && rules.ofType('checkin.missed', { homeId, district: home.district })?.settings;
      },
      alerts: alertService,
      deadlines,
      transaction,
      clock,
      metrics: this.metrics,
      logger: logger.child({ module: 'checkins' }),
      restartGraceMs,
    });
    const engineCursor = new JournalCursor(db, 'engine');
    const engine = new RulesEngine({
      journal,
      cursor: engineCursor,
      rules,
      states: new RuleStateRepository(db),
      homes: homeContexts,
      alerts: alertService,
      ask: (decision) => speakers.ask(decision),
      deadlines,
      liveness,
      restartGraceMs,
      transaction,
      clock,
      metrics: this.metrics,
      logger: logger.child({ module: 'engine' }),
      consumers: [checkinService],
    });
    const backtests = new BacktestRunner({ homes, devices, absences, journal, dbFile }, config.rules.backtestWorkers);
    const ruleAdmin = new RuleAdmin({
      repository: ruleRepository,
      homes,
      baselines,
      backtests,
      onChanged: (ruleId) => engine.ruleChanged(ruleId),
    });
    const baselineJob = new BaselineJob({
      homes,
      journal,
      baselines,
      clock,
      logger: logger.child({ module: 'baselines' }),
    });
    const ingest = (this.#ingest = new Ingest({
      journal,
      devices,
      onStored: (event) => engine.handle(event),
      onStatus: (homeId, deviceId, online) => engine.deviceStatus(homeId, deviceId, online),
      clock,
      metrics: this.metrics,
      logger: logger.child({ module: 'ingest' }),
    }));
    const { backend, influxUrl } = config.timeseries;
    const influxCursor = new JournalCursor(db, 'influx');
    if (backend === 'influx' && influxUrl) {
      // Events are journaled in SQLite first and forwarded, so the alert path never waits on InfluxDB.
      this.#timeSeries = new InfluxTimeSeries(influxUrl, config.timeseries.retentionDays);
      const forwarder = (this.#forwarder = new InfluxForwarder({
        journal,
        cursor: influxCursor,
        sink: this.#timeSeries,
        clock,
        logger: logger.child({ module: 'influx' }),
      }));
      this.metrics.gauge('mimamori_influx_forward_lag_events', 'Journaled events not yet in InfluxDB', [], (g) =>
        g.set(forwarder.lag()),
      );
    } else {
      this.#timeSeries = new SqliteTimeSeries(db);
    }
    this.#registerStateGauges(alerts, outbox);

    // InfluxDB may be down at start-up; the forwarder catches up when it returns.
    await this.#timeSeries
      .start()
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'time-series store not ready'));
    this.#forwarder?.start();
    if (baselineJob.stale()) baselineJob.run();
    const retention = new EventRetention({
      journal,
      readers: this.#forwarder ? [engineCursor, influxCursor] : [engineCursor],
      retentionDays: config.timeseries.retentionDays,
      clock,
      logger: logger.child({ module: 'retention' }),
    });
    // System jobs, not per-resident deadlines: once a night, after the 04:00 day boundary.
    this.#baselineTask = cron.schedule(
      config.rules.baselineCron,
      () => {
        void baselineJob.run();
        retention.run();
      },
      { timezone: config.rules.baselineTimezone, noOverlap: true },
    );
    await engine.start();
    notifier.start();

    const brokerLogger = logger.child({ module: 'broker' });
    const tls =
      config.tls.certFile && config.tls.keyFile
        ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }
        : undefined;
    const broker: DeviceBroker = (this.#broker = config.mqtt.external
      ? new ExternalBroker({
          ...config.mqtt.external,
          homeIds: () => homes.list().map((h) => h.id),
          devices,
          ingest,
          metrics: this.metrics,
          logger: brokerLogger,
        })
      : new MqttBroker({ ...config.mqtt, tls, devices, ingest, metrics: this.metrics, logger: brokerLogger }));
    await broker.start();
    // Deadlines start once the broker can send prompts; overdue ones wait out the restart grace
    // period, so answers devices held while the hub was down are taken first.
    checkinService.start();
    const resumed = alertService.resume();
    if (resumed > 0) logger.info({ escalations: resumed }, 'escalations resumed at their stored steps');
    deadlines.start();

    const auditLog = new AuditLog(db);
    const api = (this.#api = await buildApi({
      homes,
      devices,
      users,
      alerts,
      schedules,
      checkins,
      absences,
      checkinService,
      ruleAdmin,
      alertService,
      networks,
      alertFeed,
      audit: auditLog,
      ruleTypeOf: (ruleId) => rules.get(ruleId)?.type,
      webhookNames: config.notify.webhooks.flatMap((hook) => (hook.name ? [hook.name] : [])),
      vapidPublicKey: this.#vapid.publicKey,
      monthlyReport: (month) => monthlyReport(db, month, config.reports.timezone),
      broker,
      timeSeries: this.#timeSeries,
      clock,
      health: () => this.#health(),
      metricsText: () => this.metrics.registry.metrics(),
      secureCookies: tls !== undefined,
      tls,
      dashboardDir: existsSync(DASHBOARD_DIR) ? DASHBOARD_DIR : undefined,
      logger: logger.child({ module: 'api' }),
    }));
    api.server.on('upgrade', (request, socket, head) => {
      if (broker.handleUpgrade && new URL(request.url ?? '/', 'http://hub').pathname === '/mqtt')
        broker.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
    await api.listen({ host: config.http.host, port: config.http.port });
    if (config.heartbeat.url) {
      this.#heartbeat = new Heartbeat({
        url: config.heartbeat.url,
        intervalMs: config.heartbeat.intervalSeconds * 1000,
        healthy: async () =>
          (this.#broker?.ready ?? false) && (this.#db?.open ?? false) && (this.#ingest?.storeCheck().ok ?? false),
        auditHead: () => auditLog.head(),
        logger: logger.child({ module: 'heartbeat' }),
      });
      this.#heartbeat.start();
    }
  }

  async stop(): Promise<void> {
    if (!this.#db) return;
    this.#heartbeat?.stop();
    await this.#api?.close();
    await this.#broker?.stop();
    this.#deadlines?.stop();
    await this.#baselineTask?.destroy();
    this.#liveness?.stop();
    await this.#notifier?.stop();
    this.#email?.close();
    await this.#forwarder?.stop();
    await this.#timeSeries?.stop();
    this.#db.close();
    this.#db = undefined;
  }

  /** Every channel this configuration can reach people by; e-mail only with SMTP configured. */
  #channels(users: UserRepository, speakers: Speakers): Channel[] {
    const { notify, dataDir } = this.deps.config;
    this.#vapid = vapidKeys(dataDir, notify.vapid);
    const timeoutMs = notify.timeoutSeconds * 1000;
    this.#email = notify.smtp && new EmailChannel(notify.smtp, timeoutMs);
    return [
      new WebhookChannel(notify.webhooks, timeoutMs),
      new WebPushChannel(this.#vapid, users, timeoutMs),
      new SpeakerAnnounceChannel(speakers),
      ...(this.#email ? [this.#email] : []),
    ];
  }

  #seedUsers(): SeedUser[] {
    const { mode, admin } = this.deps.config;
    const seeds: SeedUser[] = mode === 'demo' ? [...DEMO_USERS] : [];
    if (admin.username && admin.password) {
      seeds.push({ username: admin.username, password: admin.password, displayName: admin.username, role: 'admin' });
    }
    return seeds;
  }

  async #health(): Promise<{ ok: boolean; checks: Record<string, { ok: boolean; detail?: string }> }> {
    const timeSeriesOk = (await this.#timeSeries?.ping().catch(() => false)) ?? false;
    const checks = {
      broker: { ok: this.#broker?.ready ?? false },
      state: { ok: this.#db?.open ?? false },
      // Failing from a failed write of events (disk full, database locked) until one succeeds.
      events: this.#ingest?.storeCheck() ?? { ok: false },
      timeSeries: { ok: timeSeriesOk, detail: this.#timeSeries?.backend ?? 'none' },
    };
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  }

  #registerStateGauges(alerts: AlertRepository, outbox: OutboxRepository): void {
    this.metrics.gauge('mimamori_alerts', 'Alerts by state', ['state'], (gauge) => {
      gauge.reset();
      for (const [state, n] of Object.entries(alerts.countByStatus())) gauge.set({ state }, n);
    });
    this.metrics.gauge('mimamori_outbox_deliveries', 'Notification deliveries by status', ['status'], (gauge) => {
      gauge.reset();
      for (const [status, n] of Object.entries(outbox.countByStatus())) gauge.set({ status }, n);
    });
  }
}
