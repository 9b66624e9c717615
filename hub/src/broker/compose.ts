import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Ingest } from '../ingest/index.js';
import type { Component } from '../lifecycle/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Stores } from '../store/index.js';
import type { DeviceBroker } from './device-broker.js';
import { ExternalBroker } from './external-broker.js';
import { MqttBroker } from './mqtt-broker.js';

/** The certificate and key of `tls`, read once, or undefined to serve plain MQTT and HTTP. */
export function readTls(settings: Config['tls']): { cert: Buffer; key: Buffer } | undefined {
  return settings.certFile && settings.keyFile
    ? { cert: readFileSync(settings.certFile), key: readFileSync(settings.keyFile) }
    : undefined;
}

/**
 * The devices' broker: the embedded aedes by default, or, with `mqtt.external`, a client that
 * joins an operator's broker for the homes this hub owns. Either way events go to `ingest`.
 */
export function composeBroker(
  settings: Config['mqtt'],
  deps: {
    tls: { cert: Buffer; key: Buffer } | undefined;
    stores: Pick<Stores, 'homes' | 'devices'>;
    ingest: Ingest;
    metrics: Metrics;
    logger: Logger;
  },
): { broker: DeviceBroker; component: Component } {
  const { stores, ingest, metrics } = deps;
  const logger = deps.logger.child({ module: 'broker' });
  const broker: DeviceBroker = settings.external
    ? new ExternalBroker({
        ...settings.external,
        homeIds: () => stores.homes.list().map((h) => h.id),
        devices: stores.devices,
        ingest,
        metrics,
        logger,
      })
    : new MqttBroker({ ...settings, tls: deps.tls, devices: stores.devices, ingest, metrics, logger });
  return { broker, component: { name: 'broker', start: () => broker.start(), stop: () => broker.stop() } };
}
