import mqtt, { type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { deviceCommand, deviceTopic, parseTopic, TOPIC_ROOT, type DeviceCommand } from '@mimamori/contract';
import type { Ingest } from '../ingest/index.js';
import type { Metrics } from '../metrics/index.js';
import type { DevicePrincipal, DeviceRepository } from '../store/index.js';
import { mayPublish } from './acl.js';
import type { DeviceBroker } from './device-broker.js';

export interface ExternalBrokerDeps {
  url: string;
  username: string;
  password: string;
  clientId: string;
  /** The homes this hub owns; it subscribes to their topics and to nothing else. */
  homeIds: () => string[];
  devices: Pick<DeviceRepository, 'principal' | 'gatewayOf'>;
  ingest: Pick<Ingest, 'receive'>;
  metrics: Metrics;
  logger: Logger;
}

/** Filters per SUBSCRIBE packet when (re)subscribing every home. */
const SUBSCRIBE_BATCH = 500;
/** MQTT 5: the broker keeps the hub's session, and queues its messages, however long it is away. */
const SESSION_NEVER_EXPIRES = 0xffff_ffff;
const RECONNECT_MS = 2000;

/**
 * External broker mode: the hub joins a broker (Mosquitto, EMQX, VerneMQ) as one MQTT 5
 * client with a persistent session and QoS 1 subscriptions to the topics of the homes it owns,
 * so several hubs can share one broker cluster with disjoint homes (docs/scaling.md).
 *
 * mqtt.js sends PUBACK only after `handleMessage` calls back, and it calls back only once the
 * event is durably stored — so the broker keeps, and redelivers after a reconnect, anything the
 * hub has not stored. When the store fails, the connection is dropped instead of acknowledged.
 * Device authentication and the ACL are the broker's (`mimamori-hub mosquitto-config`); the hub
 * still checks that a message's topic belongs to the device's own home.
 */
export class ExternalBroker implements DeviceBroker {
  readonly port = 0;
  #client: MqttClient | undefined;

  constructor(private readonly deps: ExternalBrokerDeps) {}

  get ready(): boolean {
    return this.#client?.connected ?? false;
  }

  /** Resolves once connected and subscribed to every home; until the broker answers, it keeps trying. */
  async start(): Promise<void> {
    if (this.#client) return;
    const { url, username, password, clientId, logger } = this.deps;
    const client = (this.#client = mqtt.connect(url, {
      clientId,
      username,
      password,
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: SESSION_NEVER_EXPIRES },
      reconnectPeriod: RECONNECT_MS,
      // Subscriptions are renewed on every connect below, from the registry as it is then.
      resubscribe: false,
    }));
    client.handleMessage = (packet, done) => this.#handle(packet, done);
    client.on('error', (error) => logger.warn({ err: error.message, url }, 'external broker error'));
    client.on('offline', () => logger.warn({ url }, 'external broker unreachable; retrying'));
    const subscribed = new Promise<void>((resolve) => {
      client.on('connect', (connack) => {
        logger.info({ url, sessionPresent: connack.sessionPresent }, 'joined the external broker');
        // Homes registered while the hub was away are not in a resumed session yet.
        this.#subscribe(this.deps.homeIds()).then(resolve, (error: unknown) =>
          logger.error({ err: error }, 'cannot subscribe to the homes’ topics'),
        );
      });
    });
    await subscribed;
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.endAsync();
  }

  async sendCommand(homeId: string, deviceId: string, command: DeviceCommand): Promise<void> {
    const client = this.#client;
    if (!client) throw new Error('not joined to the external broker');
    await client.publishAsync(deviceTopic(homeId, deviceId, 'command'), JSON.stringify(deviceCommand.parse(command)), {
      qos: 1,
    });
  }

  /** The broker holds the connections; a replaced secret stops working there once its password file is regenerated and reloaded. */
  async disconnectDevice(deviceId: string): Promise<number> {
    this.deps.logger.warn(
      { deviceId },
      'device credentials changed: regenerate the broker’s password file (mimamori-hub mosquitto-config) and reload the broker',
    );
    return 0;
  }

  homeAdded(homeId: string): void {
    if (this.#client?.connected)
      void this.#subscribe([homeId]).catch((error: unknown) =>
        this.deps.logger.error({ err: error, homeId }, 'cannot subscribe to a new home'),
      );
  }

  homeRemoved(homeId: string): void {
    void this.#client
      ?.unsubscribeAsync(homeFilter(homeId))
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, homeId }, 'cannot unsubscribe from a deleted home'),
      );
  }

  async #subscribe(homeIds: readonly string[]): Promise<void> {
    const client = this.#client;
    if (!client) return;
    for (let i = 0; i < homeIds.length; i += SUBSCRIBE_BATCH) {
      // No-local: the hub's own commands on these topics do not come back to it.
      const filters: ISubscriptionMap = Object.fromEntries(
        homeIds.slice(i, i + SUBSCRIBE_BATCH).map((id) => [homeFilter(id), { qos: 1, nl: true }]),
      );
      await client.subscribeAsync(filters);
    }
  }

  #handle(packet: IPublishPacket, done: (error?: Error) => void): void {
    this.#receive(packet).then(
      () => done(),
      (error: unknown) => {
        // Not stored, so not acknowledged: dropping the connection makes the broker redeliver it.
        this.deps.logger.error(
          { err: error, topic: packet.topic },
          'cannot store event; reconnecting without acknowledging it',
        );
        this.deps.metrics.mqttRejected.inc({ reason: 'store_unavailable' });
        this.#client?.stream.destroy();
      },
    );
  }

  async #receive(packet: IPublishPacket): Promise<void> {
    const topic = parseTopic(packet.topic);
    if (!topic) return; // Zigbee2MQTT's bridge topics and the like: not device state
    const device: DevicePrincipal | undefined =
      topic.kind === 'device' ? this.deps.devices.principal(topic.deviceId) : this.deps.devices.gatewayOf(topic.homeId);
    if (!device || !mayPublish(device, packet.topic)) {
      this.deps.metrics.mqttRejected.inc({ reason: 'publish_denied' });
      this.deps.logger.warn(
        { topic: packet.topic, deviceId: device?.deviceId },
        'message on a topic its device may not use; dropped',
      );
      return;
    }
    await this.deps.ingest.receive(device, topic, Buffer.from(packet.payload));
  }
}

/** Everything under one home. */
const homeFilter = (homeId: string): string => `${TOPIC_ROOT}/${homeId}/#`;
