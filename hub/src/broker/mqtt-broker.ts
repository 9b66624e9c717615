import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { deviceCommand, deviceTopic, parseTopic, type DeviceCommand, type ParsedTopic } from '@mimamori/contract';
import { StoreUnavailable, type Ingest } from '../ingest/index.js';
import type { Metrics } from '../metrics/index.js';
import type { DevicePrincipal, DeviceRepository } from '../store/index.js';
import { clientIdMatches, mayPublish, maySubscribe } from './acl.js';
import type { DeviceBroker } from './device-broker.js';
import { GuardedConnection } from './guarded-connection.js';
import { TokenBucket } from './token-bucket.js';

export interface MqttBrokerDeps {
  host: string;
  port: number;
  maxPacketBytes: number;
  connectTimeoutMs: number;
  maxConnectionsPerDevice: number;
  maxSubscriptionsPerConnection: number;
  publishesPerMinute: number;
  publishBurst: number;
  devices: Pick<DeviceRepository, 'authenticate' | 'principal'>;
  ingest: Pick<Ingest, 'receive'>;
  metrics: Metrics;
  logger: Logger;
  /** Monotonic milliseconds for the publish rate limit (default `performance.now`): sockets are abused in real time, not in the hub's domain clock. */
  monotonicNow?: () => number;
  /** Certificate and key: serve mqtts (TLS 1.2 or newer) instead of plain MQTT. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
}

/** Deeper topics are refused by aedes before any routing; ours have 5 levels, Zigbee2MQTT's up to 8. */
const MAX_TOPIC_LEVELS = 8;

/** CONNACK return codes of MQTT 3.1.1 [MQTT-3.2.2.3]; aedes maps them to v5 reason codes. */
const IDENTIFIER_REJECTED = 2;
/** Used for "this device already holds all the connections it may": retriable once one closes. */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;

/**
 * The embedded aedes broker: per-device authentication at CONNECT, the topic ACL on every
 * publish and subscribe, and ingest inside `authorizePublish` — aedes sends PUBACK only after
 * that callback, so a QoS 1 event is acknowledged only once it is committed.
 * Serves MQTT over TCP and, through `handleUpgrade`, over WebSocket at `/mqtt`.
 */
export class MqttBroker implements DeviceBroker {
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  readonly #webSockets: WebSocketServer;
  readonly #principals = new WeakMap<Client, DevicePrincipal>();
  /**
   * Clients whose credentials were accepted, by device, until their connection closes: the
   * per-device connection limit counts them, and a changed secret closes them even mid-CONNECT.
   */
  readonly #admitted = new Map<string, Set<Client>>();
  /** Publish budgets by device, shared by its connections so that reconnecting does not refill them. */
  readonly #budgets = new Map<string, TokenBucket>();
  /** Topic filters each connection has asked for so far. */
  readonly #filtersAsked = new WeakMap<Client, number>();
  /** Packets ingest rejected: never retained or forwarded, so nothing else happens to them. */
  readonly #rejected = new WeakSet<PublishPacket>();

  constructor(private readonly deps: MqttBrokerDeps) {
    this.#webSockets = new WebSocketServer({
      noServer: true,
      maxPayload: deps.maxPacketBytes,
      handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
    });
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get ready(): boolean {
    return this.port > 0;
  }

  // A new home's devices are let in by the ACL as soon as they have credentials.
  homeAdded(): void {}

  /** A deleted home's devices (deleted with it) are cut off at once. */
  homeRemoved(homeId: string): void {
    for (const clients of this.#admitted.values()) {
      for (const client of clients) if (this.#principals.get(client)?.homeId === homeId) client.close();
    }
  }

  async start(): Promise<void> {
    if (this.#aedes) return;
    const aedes = await Aedes.createBroker({
      // aedes closes a connection whose CONNECT has not arrived this long after it opened.
      connectTimeout: this.deps.connectTimeoutMs,
      maxTopicLevels: MAX_TOPIC_LEVELS,
      maxClientsIdLength: 128,
      drainTimeout: 30_000,
    });
    aedes.authenticate = (client, username, password, done) => this.#authenticate(client, username, password, done);
    aedes.authorizePublish = (client, packet, done) => this.#authorizePublish(client, packet, done);
    aedes.authorizeSubscribe = (client, subscription, done) => {
      const device = this.#principals.get(client);
      const asked = (this.#filtersAsked.get(client) ?? 0) + 1;
      this.#filtersAsked.set(client, asked);
      if (asked > this.deps.maxSubscriptionsPerConnection) {
        // Each filter costs an ACL check, a log line and a count: a client asking for thousands is closed.
        if (asked === this.deps.maxSubscriptionsPerConnection + 1)
          this.#refuse('too_many_subscriptions', device, subscription.topic);
        return done(
          new Error(`more than ${this.deps.maxSubscriptionsPerConnection} topic filters on one connection`),
          null,
        );
      }
      if (device && maySubscribe(device, subscription.topic)) return done(null, subscription);
      this.#refuse('subscribe_denied', device, subscription.topic);
      done(null, null); // SUBACK 0x80 for this filter; the connection stays up
    };
    aedes.authorizeForward = (_client, packet) => (this.#rejected.has(packet) ? null : packet);
    aedes.on('clientError', (client, error) => {
      // aedes refuses topics deeper than maxTopicLevels itself (moscajs/aedes utils.js#validateTopic), before
      // authorizePublish/authorizeSubscribe: count them here, by the only thing it gives, its message.
      if (error.message === 'topic has too many levels')
        this.#refuse('topic_too_deep', this.#principals.get(client), '');
      this.deps.logger.debug({ clientId: client.id, err: error.message }, 'mqtt client error');
    });
    this.#aedes = aedes;
    const accept = (socket: Socket) => this.#accept(socket);
    this.#server = this.deps.tls
      ? createTlsServer({ ...this.deps.tls, minVersion: 'TLSv1.2' }, accept)
      : createServer(accept);
    await new Promise<void>((resolve, reject) => {
      this.#server?.once('error', reject);
      this.#server?.listen(this.deps.port, this.deps.host, resolve);
    });
  }

  /** Takes over an HTTP upgrade request for MQTT over WebSocket. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#webSockets.handleUpgrade(request, socket, head, (ws) => {
      this.#accept(createWebSocketStream(ws), request);
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
  disconnectDevice(deviceId: string): number {
    let closed = 0;
    for (const client of [...(this.#admitted.get(deviceId) ?? [])]) {
      client.close();
      closed += 1;
    }
    if (closed > 0)
      this.deps.logger.info(
        { deviceId, connections: closed },
        'closed the connections of a device whose credentials changed',
      );
    return closed;
  }

  async stop(): Promise<void> {
    const aedes = this.#aedes;
    if (!aedes) return;
    this.#aedes = undefined;
    for (const ws of this.#webSockets.clients) ws.terminate();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = undefined;
  }

  #accept(connection: Socket | Duplex, request?: IncomingMessage): void {
    const aedes = this.#aedes;
    if (!aedes) {
      connection.destroy();
      return;
    }
    const guarded = new GuardedConnection(connection, this.deps.maxPacketBytes, (reason) => {
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'packet_too_large' });
      this.deps.logger.warn({ reason }, 'mqtt connection closed');
    });
    aedes.handle(guarded, request);
  }

  #authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const device =
      username && password ? this.deps.devices.authenticate(username, password.toString('utf8')) : undefined;
    if (!device) {
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'bad_credentials' });
      return done(
        Object.assign(new Error('bad username or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }),
        false,
      );
    }
    if (!clientIdMatches(device, client.id)) {
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'client_id' });
      return done(
        Object.assign(new Error(`client id must be ${device.deviceId} or ${device.deviceId}:…`), {
          returnCode: IDENTIFIER_REJECTED,
        }),
        false,
      );
    }
    // A reconnect under the same client id takes over (and closes) its old connection, so that one does not count.
    const others = [...(this.#admitted.get(device.deviceId) ?? [])].filter(
      (other) => other.id !== client.id && !other.closed,
    );
    if (others.length >= this.deps.maxConnectionsPerDevice) {
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'too_many_connections' });
      this.deps.logger.warn(
        { deviceId: device.deviceId, connections: others.length },
        'mqtt connection refused: the device holds all the connections it may',
      );
      return done(
        Object.assign(new Error(`device ${device.deviceId} already has ${others.length} connections`), {
          returnCode: SERVER_UNAVAILABLE,
        }),
        false,
      );
    }
    this.#admit(client, device);
    done(null, true);
  }

  #admit(client: Client, device: DevicePrincipal): void {
    this.#principals.set(client, device);
    const clients = this.#admitted.get(device.deviceId) ?? new Set<Client>();
    this.#admitted.set(device.deviceId, clients);
    clients.add(client);
    client.conn.once('close', () => {
      clients.delete(client);
      if (clients.size === 0 && this.#admitted.get(device.deviceId) === clients) this.#admitted.delete(device.deviceId);
    });
    if (!this.#budgets.has(device.deviceId)) {
      this.#budgets.set(
        device.deviceId,
        new TokenBucket(this.deps.publishesPerMinute, this.deps.publishBurst, this.#now()),
      );
    }
  }

  #now(): number {
    return (this.deps.monotonicNow ?? performance.now.bind(performance))();
  }

  #authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    // aedes hands a will to authorizePublish as the very object it keeps as `client.will` (lib/client.js).
    const isWill = client === null || packet === (client as Client & { will?: unknown }).will;
    const device = this.#publisher(client, packet, isWill);
    if (device && !isWill && !this.#budgets.get(device.deviceId)?.take(this.#now())) {
      // Closed without PUBACK: a QoS 1 message is kept by its device and sent again later, so nothing is lost.
      this.#refuse('rate_limited', device, packet.topic);
      return done(new Error(`device ${device.deviceId} is over its publish rate`));
    }
    if (!device || !mayPublish(device, packet.topic)) {
      this.#refuse('publish_denied', device, packet.topic);
      // [MQTT-3.3.5-2]: a server may close the connection of a client that publishes where it may not.
      return done(new Error(`not authorised to publish to ${packet.topic}`));
    }
    const topic = parseTopic(packet.topic);
    if (!topic) {
      // The gateway's Zigbee2MQTT publishes under z2m/# its own topics too (bridge/state, {name}/availability):
      // allowed, acknowledged, and ignored (docs/protocol.md), never retained or forwarded.
      this.#ignore(packet);
      return done(null);
    }
    this.#ingest(device, topic, packet, done);
  }

  /**
   * Who a PUBLISH speaks for. A will is authorised like a publish of its client's device
   * (PROTOCOL.md), and only while that device still exists. A will aedes publishes with no
   * client (one persisted by a broker that died) speaks for the device its client id names:
   * the id was bound to the credentials at CONNECT — never the device its topic names.
   */
  #publisher(client: Client | null, packet: PublishPacket, isWill: boolean): DevicePrincipal | undefined {
    const persistedClientId = (packet as PublishPacket & { clientId?: unknown }).clientId;
    const device = client
      ? this.#principals.get(client)
      : typeof persistedClientId === 'string'
        ? this.deps.devices.principal(persistedClientId.split(':')[0] ?? '')
        : undefined;
    if (device && isWill && !this.deps.devices.principal(device.deviceId)) return undefined;
    return device;
  }

  #ignore(packet: PublishPacket): void {
    this.#rejected.add(packet);
    packet.retain = false;
  }

  #ingest(
    device: DevicePrincipal,
    topic: ParsedTopic,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ): void {
    this.deps.ingest.receive(device, topic, packet.payload as Buffer).then(
      (outcome) => {
        if (outcome === 'rejected' || outcome === 'ignored') this.#ignore(packet);
        done(null);
      },
      (error: unknown) => {
        // Not stored, so not acknowledged: the device keeps the message and sends it again.
        this.deps.metrics.mqttRejected.inc({ reason: 'store_unavailable' });
        // Ingest logged the store's outage once, loudly; a line for each refusal would repeat it with every resend.
        if (error instanceof StoreUnavailable)
          this.deps.logger.debug(
            { deviceId: device.deviceId, code: error.code },
            'event refused: the store is unavailable',
          );
        else this.deps.logger.error({ err: error, deviceId: device.deviceId }, 'cannot store event; refusing it');
        done(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  #refuse(reason: string, device: DevicePrincipal | undefined, topic: string): void {
    this.deps.metrics.mqttRejected.inc({ reason });
    this.deps.logger.warn({ reason, deviceId: device?.deviceId, topic }, 'mqtt request refused');
  }
}
