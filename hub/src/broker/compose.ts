import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Ingest } from '../ingest/index.js';
import type { Component } from '../lifecycle/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Stores } from '../store/index.js';
import type { DeviceBroker } from './device-broker.js';
import { SESSIONS_GAUGE } from './broker-metrics.js';
import { BrokerThread } from './broker-thread.js';
import { ExternalBroker } from './external-broker.js';
import { MqttBroker } from './mqtt-broker.js';

/** The certificate and key of `tls`, read once, or undefined to serve plain MQTT and HTTP. */
export function readTls(settings: Config['tls']): { cert: Buffer; key: Buffer } | undefined {
  return settings.certFile && settings.keyFile
    ? { cert: readFileSync(settings.certFile), key: readFileSync(settings.keyFile) }
    : undefined;
}

/**
 * The devices' broker: the embedded aedes by default, on a thread of its own unless
 * `mqtt.thread` is false, or, with `mqtt.external`, a client that joins an operator's broker
 * for the homes this hub owns. Either way events go to `ingest`. `syncMetrics` brings the
 * broker's counts into the hub's metrics, before each scrape.
 */
export function composeBroker(
  { external, thread, ...settings }: Config['mqtt'],
  deps: {
    tls: { cert: Buffer; key: Buffer } | undefined;
    stores: Pick<Stores, 'homes' | 'devices'>;
    dbFile: string;
    ingest: Ingest;
    metrics: Metrics;
    logger: Logger;
  },
): { broker: DeviceBroker; component: Component; syncMetrics: () => Promise<void> } {
  const { stores, ingest, metrics, tls } = deps;
  const logger = deps.logger.child({ module: 'broker' });
  const component = (broker: DeviceBroker): Component => ({
    name: 'broker',
    start: () => broker.start(),
    stop: () => broker.stop(),
  });
  if (external) {
    const broker = new ExternalBroker({
      ...external,
      homeIds: () => stores.homes.list().map((h) => h.id),
      devices: stores.devices,
      ingest,
      metrics,
      logger,
    });
    return { broker, component: component(broker), syncMetrics: async () => {} };
  }
  const embedded = thread
    ? new BrokerThread({ settings, tls, dbFile: deps.dbFile, ingest, metrics, logger })
    : new MqttBroker({ ...settings, tls, devices: stores.devices, ingest, metrics, logger });
  metrics.gauge(SESSIONS_GAUGE.name, SESSIONS_GAUGE.help, [], (gauge) => gauge.set(embedded.sessions));
  return {
    broker: embedded,
    component: component(embedded),
    syncMetrics: async () => {
      if (embedded instanceof BrokerThread) await embedded.syncMetrics();
    },
  };
}
