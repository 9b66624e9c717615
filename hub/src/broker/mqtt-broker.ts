import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { Aedes, type Client } from 'aedes';
import type { Logger } from 'pino';
import { createWebSocketStream, type WebSocketServer } from 'ws';
import { deviceCommand, deviceTopic, type DeviceCommand } from '@mimamori/contract';
import type { Ingest } from '../ingest/index.js';
import type { DeviceRepository } from '../store/index.js';
import type { BrokerMetrics } from './broker-metrics.js';
import { DeviceAdmission, type AdmissionLimits } from './device-admission.js';
import type { DeviceBroker } from './device-broker.js';
import { GuardedConnection } from './guarded-connection.js';
import { mqttWebSocketServer } from './mqtt-websockets.js';
import type { Violation } from './packet-screen.js';
import { PublishPolicy } from './publish-policy.js';
import { REASON, disconnectWith } from './refusals.js';
import { SessionKeeper } from './session-keeper.js';
import { KeyedBuckets } from './token-bucket.js';

/** The embedded broker's address and limits: plain values, which the broker thread is started with. */
export interface MqttBrokerSettings extends AdmissionLimits {
  host: string;
  port: number;
  maxPacketBytes: number;
  connectTimeoutMs: number;
  maxSubscriptionsPerConnection: number;
  publishesPerMinute: number;
  publishBurst: number;
  connectsPerAddressPerMinute: number;
  connectBurstPerAddress: number;
  keepaliveLimitSeconds: number;
  receiveMaximum: number;
  topicAliasMaximum: number;
  maxSessionsPerDevice: number;
  sessionExpirySeconds: number;
}

export interface MqttBrokerDeps extends MqttBrokerSettings {
  devices: Pick<DeviceRepository, 'authenticate' | 'principal'>;
  ingest: Pick<Ingest, 'receive'>;
  metrics: BrokerMetrics;
  logger: Logger;
  /** Monotonic milliseconds for rate limits and session idling (default `performance.now`): sockets are abused in real time, not in the hub's domain clock. */
  monotonicNow?: () => number;
  /** Certificate and key: serve mqtts (TLS 1.2 or newer) instead of plain MQTT. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
}

/** Deeper topics are refused by aedes before any routing; ours have 5 levels, Zigbee2MQTT's up to 8. */
const MAX_TOPIC_LEVELS = 8;

/**
 * aedes refuses these itself, before `authorizePublish` (moscajs/aedes lib/handlers/publish.js),
 * and says so only in `clientError`'s message: counted here by it (docs/protocol.md).
 */
const REFUSED_BY_AEDES: Record<string, string> = {
  'topic has too many levels': 'topic_too_deep',
  'empty topic not allowed in PUBLISH': 'publish_denied',
  '# is not allowed in PUBLISH': 'publish_denied',
  '+ is not allowed in PUBLISH': 'publish_denied',
  'wildcard is not allowed in Response Topic': 'publish_denied',
};

/** A violation of the frame meter: which counter counts it under which reason, and the reason an MQTT 5 client is given. */
const VIOLATIONS: Record<
  Violation['reason'],
  { counter: 'mqttConnectionsRefused' | 'mqttRejected'; reason: string; reasonCode: number }
> = {
  packet_too_large: {
    counter: 'mqttConnectionsRefused',
    reason: 'packet_too_large',
    reasonCode: REASON.packetTooLarge,
  },
  malformed: { counter: 'mqttConnectionsRefused', reason: 'packet_too_large', reasonCode: REASON.protocolError },
  packet_id_zero: { counter: 'mqttRejected', reason: 'protocol_violation', reasonCode: REASON.protocolError },
  reserved_filter: { counter: 'mqttRejected', reason: 'subscribe_denied', reasonCode: REASON.notAuthorized },
};

/**
 * The embedded aedes broker (MQTT 3.1.1 and 5): per-device authentication and limits at
 * CONNECT (`DeviceAdmission`), the topic ACL and ingest on every publish and subscribe
 * (`PublishPolicy`), and bounded persistent sessions (`SessionKeeper`). Every byte passes a
 * `GuardedConnection` first. Serves MQTT over TCP and, through `handleUpgrade`, over WebSocket at `/mqtt`.
 */
export class MqttBroker implements DeviceBroker {
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  #sessions: SessionKeeper | undefined;
  readonly #webSockets: WebSocketServer;
  readonly #admission: DeviceAdmission;
  readonly #policy: PublishPolicy;
  readonly #addressBudgets: KeyedBuckets;
  /** Where each client connected from, and whether its CONNECT carried a will (aedes' preConnect sees the packet). */
  readonly #addresses = new WeakMap<Client, string>();
  readonly #wills = new WeakSet<Client>();

  constructor(private readonly deps: MqttBrokerDeps) {
    this.#webSockets = mqttWebSocketServer(deps.maxPacketBytes);
    const now = () => this.#now();
    const publishBudgets = new KeyedBuckets(deps.publishesPerMinute, deps.publishBurst);
    this.#admission = new DeviceAdmission({ ...deps, limits: deps, publishBudgets, now });
    this.#policy = new PublishPolicy({
      ...deps,
      publishBudgets,
      principal: (client) => this.#admission.principal(client),
      now,
    });
    this.#addressBudgets = new KeyedBuckets(deps.connectsPerAddressPerMinute, deps.connectBurstPerAddress);
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get ready(): boolean {
    return this.port > 0;
  }

  /** Persistent sessions kept, connected or not (the `mimamori_mqtt_sessions` gauge). */
  get sessions(): number {
    return this.#sessions?.size ?? 0;
  }

  // A new home's devices are let in by the ACL as soon as they have credentials.
  homeAdded(): void {}

  /** A deleted home's devices (deleted with it) are cut off at once. */
  homeRemoved(homeId: string): void {
    for (const client of this.#admission.allClients())
      if (this.#admission.principal(client)?.homeId === homeId) client.close();
  }

  async start(): Promise<void> {
    if (this.#aedes) return;
    const { deps } = this;
    const aedes = await Aedes.createBroker({
      // aedes closes a connection whose CONNECT has not arrived this long after it opened.
      connectTimeout: deps.connectTimeoutMs,
      maxTopicLevels: MAX_TOPIC_LEVELS,
      maxClientsIdLength: 128,
      drainTimeout: 30_000,
      // v5 clients are told the hub's limits in CONNACK [MQTT-3.2.2.3]; the frame meter enforces the packet size first.
      maximumPacketSize: deps.maxPacketBytes,
      receiveMaximum: deps.receiveMaximum,
      topicAliasMaximum: deps.topicAliasMaximum,
      sessionExpiryIntervalLimit: deps.sessionExpirySeconds,
      // v5: Server Keep Alive in CONNACK; 3.1.1: keep-alive 0 or above the limit is refused at CONNECT.
      keepaliveLimit: deps.keepaliveLimitSeconds,
    });
    aedes.preConnect = (client, packet, done) => {
      if (packet.will) this.#wills.add(client);
      done(null, true);
    };
    aedes.authenticate = (client, username, password, done) =>
      this.#admission.authenticate(
        client,
        this.#addresses.get(client) ?? 'unknown',
        this.#wills.has(client),
        username,
        password,
        done,
      );
    aedes.authorizePublish = (client, packet, done) => this.#policy.authorizePublish(client, packet, done);
    aedes.authorizeSubscribe = (client, subscription, done) =>
      this.#policy.authorizeSubscribe(client, subscription, done);
    aedes.authorizeForward = (_client, packet) => this.#policy.forward(packet);
    aedes.on('clientError', (client, error) => {
      const reason = REFUSED_BY_AEDES[error.message];
      if (reason) this.#refused(reason, client, error.message);
      deps.logger.debug({ clientId: client.id, err: error.message }, 'mqtt client error');
    });
    const sessions = new SessionKeeper({
      aedes,
      limits: { maxPerDevice: deps.maxSessionsPerDevice, idleMs: deps.sessionExpirySeconds * 1000 },
      principal: (client) => this.#admission.principal(client),
      now: () => this.#now(),
      logger: deps.logger,
    });
    sessions.start();
    this.#sessions = sessions;
    this.#aedes = aedes;
    const accept = (socket: Socket) => this.accept(socket, socket.remoteAddress);
    this.#server = deps.tls ? createTlsServer({ ...deps.tls, minVersion: 'TLSv1.2' }, accept) : createServer(accept);
    await new Promise<void>((resolve, reject) => {
      this.#server?.once('error', reject);
      this.#server?.listen(deps.port, deps.host, resolve);
    });
  }

  /** Takes over an HTTP upgrade request for MQTT over WebSocket. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#webSockets.handleUpgrade(request, socket, head, (ws) => {
      this.accept(createWebSocketStream(ws), request.socket.remoteAddress, request);
    });
  }

  /** Publishes a command to a device's command topic (QoS 1); validated against the contract first. */
  async sendCommand(homeId: string, deviceId: string, command: DeviceCommand): Promise<void> {
    const aedes = this.#aedes;
    if (!aedes) throw new Error('the broker is not running');
    const payload = Buffer.from(JSON.stringify(deviceCommand.parse(command)));
    await new Promise<void>((resolve, reject) =>
      aedes.publish(
        { cmd: 'publish', topic: deviceTopic(homeId, deviceId, 'command'), payload, qos: 1, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }

  /**
   * Closes the device's open connections, so a replaced secret or a deleted device stops
   * being able to publish at once rather than when it next reconnects.
   */
  async disconnectDevice(deviceId: string): Promise<number> {
    const clients = this.#admission.clientsOf(deviceId);
    for (const client of clients) client.close();
    if (clients.length > 0)
      this.deps.logger.info(
        { deviceId, connections: clients.length },
        'closed the connections of a device whose credentials changed',
      );
    return clients.length;
  }

  async stop(): Promise<void> {
    const aedes = this.#aedes;
    if (!aedes) return;
    this.#aedes = undefined;
    this.#sessions?.stop();
    for (const ws of this.#webSockets.clients) ws.terminate();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = undefined;
  }

  /**
   * Serves one connection: a TCP or TLS socket of its own server, a WebSocket from
   * `handleUpgrade`, or one the main thread relays to the broker thread.
   */
  accept(connection: Socket | Duplex, address: string | undefined, request?: IncomingMessage): void {
    const aedes = this.#aedes;
    const from = address ?? 'unknown';
    if (!aedes) {
      connection.destroy();
      return;
    }
    if (!this.#addressBudgets.take(from, this.#now())) {
      // Before anything is parsed: a socket flood from one address costs an accept and a close.
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'address_rate_limited' });
      this.deps.logger.debug({ address: from }, 'mqtt socket refused: its address opens sockets too often');
      connection.destroy();
      return;
    }
    // The guard may fire before aedes has made its client (a violation in the very first read).
    const handled: { client?: Client } = {};
    const guarded = new GuardedConnection(connection, this.deps.maxPacketBytes, (violation) => {
      const { counter, reason, reasonCode } = VIOLATIONS[violation.reason];
      this.deps.metrics[counter].inc({ reason });
      const { client } = handled;
      this.deps.logger.warn(
        { reason: violation.reason, clientId: client?.id, address: from, err: violation.message },
        'mqtt connection closed',
      );
      // A client whose CONNECT aedes has taken (connecting: its CONNACK may be out already) is told why.
      if (client?.connected || client?.connecting)
        void disconnectWith(client, reasonCode).then(() => guarded.destroy());
      else guarded.destroy();
    });
    handled.client = aedes.handle(guarded, request);
    this.#addresses.set(handled.client, from);
  }

  #refused(reason: string, client: Client, detail: string): void {
    this.deps.metrics.mqttRejected.inc({ reason });
    this.deps.logger.warn(
      { reason, deviceId: this.#admission.principal(client)?.deviceId, err: detail },
      'mqtt request refused',
    );
  }

  #now(): number {
    return (this.deps.monotonicNow ?? performance.now.bind(performance))();
  }
}
