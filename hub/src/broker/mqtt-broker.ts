import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { deviceCommand, deviceTopic, parseTopic, type DeviceCommand } from '@mimamori/contract';
import type { Ingest } from '../ingest/index.js';
import type { Metrics } from '../metrics/index.js';
import type { DevicePrincipal, DeviceRepository } from '../store/index.js';
import { clientIdMatches, mayPublish, maySubscribe } from './acl.js';
import type { DeviceBroker } from './device-broker.js';
import { GuardedConnection } from './guarded-connection.js';

export interface MqttBrokerDeps {
  host: string;
  port: number;
  maxPacketBytes: number;
  connectTimeoutMs: number;
  devices: Pick<DeviceRepository, 'authenticate' | 'principal'>;
  ingest: Pick<Ingest, 'receive'>;
  metrics: Metrics;
  logger: Logger;
}

/** CONNACK return codes of MQTT 3.1.1 [MQTT-3.2.2.3]; aedes maps them to v5 reason codes. */
const IDENTIFIER_REJECTED = 2;
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
  /** Clients past CONNACK, to close a device's connections when its credentials change. */
  readonly #connected = new Set<Client>();
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
    for (const client of this.#connected) if (this.#principals.get(client)?.homeId === homeId) client.close();
  }

  async start(): Promise<void> {
    if (this.#aedes) return;
    const aedes = await Aedes.createBroker({
      connectTimeout: this.deps.connectTimeoutMs,
      // Device and topic ids are short; deeper topics are refused before any routing.
      maxTopicLevels: 8,
      maxClientsIdLength: 128,
      drainTimeout: 30_000,
    });
    aedes.authenticate = (client, username, password, done) => this.#authenticate(client, username, password, done);
    aedes.authorizePublish = (client, packet, done) => this.#authorizePublish(client, packet, done);
    aedes.authorizeSubscribe = (client, subscription, done) => {
      const device = this.#principals.get(client);
      if (device && maySubscribe(device, subscription.topic)) return done(null, subscription);
      this.#refuse('subscribe_denied', device, subscription.topic);
      done(null, null); // SUBACK 0x80 for this filter; the connection stays up
    };
    aedes.authorizeForward = (_client, packet) => (this.#rejected.has(packet) ? null : packet);
    aedes.on('clientReady', (client) => this.#connected.add(client));
    aedes.on('clientDisconnect', (client) => this.#connected.delete(client));
    aedes.on('clientError', (client, error) => this.deps.logger.debug({ clientId: client.id, err: error.message }, 'mqtt client error'));
    this.#aedes = aedes;
    this.#server = createServer((socket) => this.#accept(socket));
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
    for (const client of this.#connected) {
      if (this.#principals.get(client)?.deviceId !== deviceId) continue;
      client.close();
      closed += 1;
    }
    if (closed > 0) this.deps.logger.info({ deviceId, connections: closed }, 'closed the connections of a device whose credentials changed');
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
    const device = username && password ? this.deps.devices.authenticate(username, password.toString('utf8')) : undefined;
    if (!device) {
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'bad_credentials' });
      return done(Object.assign(new Error('bad username or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }), false);
    }
    if (!clientIdMatches(device, client.id)) {
      this.deps.metrics.mqttConnectionsRefused.inc({ reason: 'client_id' });
      return done(
        Object.assign(new Error(`client id must be ${device.deviceId} or ${device.deviceId}:…`), { returnCode: IDENTIFIER_REJECTED }),
        false,
      );
    }
    this.#principals.set(client, device);
    done(null, true);
  }

  #authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    // A will published after its client is gone has no client; authorise it as its device.
    const topic = parseTopic(packet.topic);
    const device = client
      ? this.#principals.get(client)
      : topic?.kind === 'device' ? this.deps.devices.principal(topic.deviceId) : undefined;
    if (!device || !topic || !mayPublish(device, packet.topic)) {
      this.#refuse('publish_denied', device, packet.topic);
      // [MQTT-3.3.5-2]: a server may close the connection of a client that publishes where it may not.
      return done(new Error(`not authorised to publish to ${packet.topic}`));
    }
    this.deps.ingest.receive(device, topic, packet.payload as Buffer).then(
      (outcome) => {
        if (outcome === 'rejected' || outcome === 'ignored') {
          this.#rejected.add(packet);
          packet.retain = false;
        }
        done(null);
      },
      (error: unknown) => {
        // Not stored, so not acknowledged: the device keeps the message and sends it again.
        this.deps.logger.error({ err: error, deviceId: device.deviceId }, 'cannot store event; refusing it');
        this.deps.metrics.mqttRejected.inc({ reason: 'store_unavailable' });
        done(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  #refuse(reason: string, device: DevicePrincipal | undefined, topic: string): void {
    this.deps.metrics.mqttRejected.inc({ reason });
    this.deps.logger.warn({ reason, deviceId: device?.deviceId, topic }, 'mqtt request refused');
  }
}
