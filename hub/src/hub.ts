import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { apiServer } from './api/index.js';
import { composeBroker, readTls } from './broker/index.js';
import { listenAddresses, type Config } from './config/index.js';
import { composeCore, coreApiServices } from './core.js';
import { BacktestRunner, BaselineJob, RuleAdmin } from './engine/index.js';
import { systemJobs } from './jobs/index.js';
import { Lifecycle, type Component } from './lifecycle/index.js';
import { Heartbeat } from './metrics/heartbeat.js';
import { createMetrics, registerStateGauges, type Metrics } from './metrics/index.js';
import { monthlyReport } from './reports/index.js';
import { MqttSpeakers } from './speakers/index.js';
import { AMAZON, composeAlexa, type AmazonSide } from './speakers/alexa/index.js';
import { composeTimeSeries, EventRetention, openStores } from './store/index.js';
import type { Clock } from './time/index.js';
import { usersComponent } from './users-seed.js';

/** The dashboard as `npm run build` leaves it, next to the hub in the repository. */
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export interface HubDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Where Alexa's certificates and Login with Amazon are (Amazon's own unless a test stands in for them). */
  amazon?: AmazonSide;
}

/** A composed hub: its components in start order, and what the process needs to say where it listens. */
interface ComposedHub {
  lifecycle: Lifecycle;
  httpPort: () => number;
  mqttPort: () => number;
}

/**
 * The whole hub: the core (ingest, rules, check-ins, alerts, notifications; see core.ts) with
 * its edges — the store file, the time series, system jobs, the devices' broker, the API and
 * the dead-man's switch. Composition builds every part and opens the database; the lifecycle
 * starts the parts in the order of the list below and stops them in reverse.
 */
function composeHub({ config, clock, logger, amazon = AMAZON }: HubDeps, metrics: Metrics): ComposedHub {
  const tls = readTls(config.tls);
  const dbFile = join(config.dataDir, 'mimamori.sqlite');
  const stores = openStores(dbFile, { onJournalCommitted: () => timeSeries.onJournalCommitted() });
  const timeSeries = composeTimeSeries(config.timeseries, { stores, clock, logger });
  // Links in messages: the configured address, else where the API listens (known once it does).
  const publicUrl = () => config.notify.publicUrl ?? listenAddresses(config, api.port, broker.port).http;
  // The broker is composed after the core it feeds; speakers reach it only once both are started.
  const mqttSpeakers = new MqttSpeakers({
    devices: stores.devices,
    sendCommand: (homeId, deviceId, command) => broker.sendCommand(homeId, deviceId, command),
  });
  const { clientId, clientSecret, ...alexaSettings } = config.alexa;
  const alexa = composeAlexa(
    { ...alexaSettings, credentials: clientId && clientSecret ? { clientId, clientSecret } : undefined },
    { stores, ingest: () => core.ingest, amazon, clock, metrics, logger },
  );
  const speakerPlatforms = [mqttSpeakers, alexa.platform];
  const core = composeCore({ config, stores, speakerPlatforms, publicUrl, clock, metrics, logger });
  const {
    broker,
    component: brokerComponent,
    syncMetrics: syncBrokerMetrics,
  } = composeBroker(config.mqtt, {
    tls,
    stores,
    dbFile,
    ingest: core.ingest,
    metrics,
    logger,
  });
  const backtests = new BacktestRunner({ ...stores, dbFile }, config.rules.backtestWorkers);
  const ruleAdmin = new RuleAdmin({
    repository: stores.rules,
    homes: stores.homes,
    baselines: stores.baselines,
    backtests,
    onChanged: (ruleId) => core.engine.ruleChanged(ruleId),
  });
  const baselines = new BaselineJob({ ...stores, clock, logger: logger.child({ module: 'baselines' }) });
  const retention = new EventRetention({
    journal: stores.journal,
    readers: timeSeries.readers,
    retentionDays: config.timeseries.retentionDays,
    clock,
    logger: logger.child({ module: 'retention' }),
  });
  registerStateGauges(metrics, stores, timeSeries);

  const health = async () => {
    const timeSeriesOk = await timeSeries.store.ping().catch(() => false);
    const checks = {
      broker: { ok: broker.ready },
      state: { ok: stores.db.open },
      // Failing from a failed write of events (disk full, database locked) until one succeeds.
      events: core.ingest.storeCheck(),
      timeSeries: { ok: timeSeriesOk, detail: timeSeries.store.backend },
    };
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  };
  const api = apiServer(
    {
      ...coreApiServices(core, stores),
      alexaPairing: alexa.pairing,
      alexaEndpoint: alexa.endpoint,
      ruleAdmin,
      webhookNames: config.notify.webhooks.flatMap((hook) => (hook.name ? [hook.name] : [])),
      monthlyReport: (month) => monthlyReport(stores.db, month, config.reports.timezone),
      broker,
      timeSeries: timeSeries.store,
      clock,
      mqttUrlFor: (host) =>
        config.mqtt.external?.url ?? `${tls === undefined ? 'mqtt' : 'mqtts'}://${host}:${broker.port}`,
      historyStart: () => stores.journal.firstEventAt(),
      health,
      metricsText: async () => {
        await syncBrokerMetrics();
        return metrics.registry.metrics();
      },
      secureCookies: tls !== undefined,
      tls,
      dashboardDir: existsSync(DASHBOARD_DIR) ? DASHBOARD_DIR : undefined,
      logger: logger.child({ module: 'api' }),
    },
    config.http,
    broker,
  );
  const heartbeat = config.heartbeat.url
    ? new Heartbeat({
        url: config.heartbeat.url,
        intervalMs: config.heartbeat.intervalSeconds * 1000,
        healthy: async () => broker.ready && stores.db.open && core.ingest.storeCheck().ok,
        auditHead: () => stores.audit.head(),
        logger: logger.child({ module: 'heartbeat' }),
      })
    : undefined;

  const components: Component[] = [
    stores.component,
    usersComponent(stores.users, config, clock, logger.child({ module: 'users' })),
    timeSeries.component,
    core.components.liveness,
    core.components.rules,
    systemJobs(config.rules, { baselines, retention }),
    // Events journaled before the last stop are evaluated before the broker takes new ones.
    core.components.engine,
    core.components.notifier,
    brokerComponent,
    core.components.checkins,
    core.components.escalations,
    core.components.deadlines,
    api,
    ...(heartbeat ? [{ name: 'heartbeat', start: () => heartbeat.start(), stop: () => heartbeat.stop() }] : []),
  ];
  return { lifecycle: new Lifecycle(components, logger), httpPort: () => api.port, mqttPort: () => broker.port };
}

/**
 * The hub as the process and the tests run it. Construction opens nothing; `start()` composes
 * the hub and starts it, `stop()` stops it (a stopped hub can be started again, composed anew).
 */
export class Hub {
  readonly metrics: Metrics = createMetrics();
  #composed: ComposedHub | undefined;

  constructor(private readonly deps: HubDeps) {}

  get httpPort(): number {
    return this.#composed?.httpPort() ?? 0;
  }

  get mqttPort(): number {
    return this.#composed?.mqttPort() ?? 0;
  }

  async start(): Promise<void> {
    if (this.#composed) return;
    const composed = composeHub(this.deps, this.metrics);
    this.#composed = composed;
    try {
      await composed.lifecycle.start();
    } catch (error) {
      this.#composed = undefined;
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.#composed?.lifecycle.stop();
    this.#composed = undefined;
  }
}
