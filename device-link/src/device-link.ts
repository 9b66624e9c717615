import mqtt, { type MqttClient } from 'mqtt';
import {
  CRITICAL_EVENT_TYPES,
  deviceTopic,
  type DeviceCommand,
  type DeviceEventBody,
  type DeviceEventInput,
  type Clock,
  type deviceStatus,
} from '@mimamori/contract';
import type { z } from 'zod';
import { readCommand } from './commands.js';
import { localIsoTime } from './local-time.js';
import type { Log } from './log.js';

/** What the hub issues for a device (`POST /api/devices/:id/credentials`). */
export interface DeviceCredentials {
  deviceId: string;
  username: string;
  password: string;
}

export interface DeviceLinkOptions {
  brokerUrl: string;
  homeId: string;
  credentials: DeviceCredentials;
  /**
   * Prefixes event ids (`{prefix}-{n}`). The hub drops a repeated id as a duplicate, so the
   * prefix must differ between runs of the same device (the simulator's run id, a real device's boot).
   */
  eventIdPrefix: string;
  /**
   * Real time, for timestamps: a device stamps the moment it reports something, since the hub
   * refuses events stamped more than 5 minutes ahead (PROTOCOL.md, Event JSON).
   */
  clock: Pick<Clock, 'now'>;
  log: Log;
  /** How event times are written; the machine's local time with its offset unless told. */
  formatTime?: (ms: number) => string;
  /** Given only for a device that takes commands (a speaker); it then subscribes to `…/command`. */
  onCommand?: (command: DeviceCommand) => void;
  /** Told on every CONNACK (true) and every loss of the connection (false). */
  onConnectionChange?: (connected: boolean) => void;
  /**
   * When the broker refuses the credentials: undefined gives up (the simulator: another run
   * issued new ones); a number keeps trying this often (a device in a home: only a person can
   * fix it, and the hub may take the secret again after a restore, so it must not go quiet).
   */
  retryRefusedAfterMs?: number;
}

type StatusPayload = z.input<typeof deviceStatus>;

/** CONNACK codes for refused credentials: MQTT 3.1.1 4 and 5 [MQTT-3.2.2.3], MQTT 5 0x86 and 0x87. */
const REFUSED_CREDENTIALS: ReadonlySet<unknown> = new Set([4, 5, 0x86, 0x87]);
const OFFLINE: StatusPayload = { online: false };
const RECONNECT_MS = 2000;

/**
 * One device's own MQTT connection: username = device id, persistent session so QoS 1
 * messages queued while disconnected are delivered after a reconnect, a retained online status
 * with an offline will, unique event ids, QoS 1 for check-ins and SOS.
 */
export class DeviceLink {
  #client: MqttClient | undefined;
  #sent = 0;
  readonly #topics: Record<'event' | 'status' | 'command', string>;
  readonly #formatTime: (ms: number) => string;

  constructor(private readonly options: DeviceLinkOptions) {
    const { homeId, credentials } = options;
    this.#topics = {
      event: deviceTopic(homeId, credentials.deviceId, 'event'),
      status: deviceTopic(homeId, credentials.deviceId, 'status'),
      command: deviceTopic(homeId, credentials.deviceId, 'command'),
    };
    this.#formatTime = options.formatTime ?? localIsoTime;
  }

  get deviceId(): string {
    return this.options.credentials.deviceId;
  }

  /** Whether the broker has accepted this connection and it is still up. */
  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  /**
   * Connects. With `waitForBroker` (the default) it resolves once connected, announced and
   * subscribed, and rejects when the broker refuses or cannot be reached; without, it returns at
   * once and keeps trying in the background, as a device that boots while the network is down must.
   */
  async connect({ waitForBroker = true }: { waitForBroker?: boolean } = {}): Promise<void> {
    const { brokerUrl, credentials, onCommand } = this.options;
    const client = mqtt.connect(brokerUrl, {
      clientId: credentials.deviceId,
      username: credentials.username,
      password: credentials.password,
      clean: false,
      reconnectPeriod: RECONNECT_MS,
      connectTimeout: 10_000,
      will: { topic: this.#topics.status, payload: Buffer.from(JSON.stringify(OFFLINE)), qos: 1, retain: true },
    });
    this.#client = client;
    // Listen before CONNACK: a persistent session may deliver queued commands straight after it.
    if (onCommand) client.on('message', (_topic, payload) => this.#receive(payload, onCommand));
    if (!waitForBroker) return this.#watch(client);
    try {
      await firstConnect(client);
    } catch (error) {
      this.#client = undefined;
      throw new Error(`${this.deviceId} could not connect to ${brokerUrl}: ${(error as Error).message}`);
    }
    this.#watch(client);
    await this.#announce(client);
  }

  /** Gives a body the device's next event id and the time now. */
  stamp(body: DeviceEventBody, battery?: number): DeviceEventInput {
    return {
      ...body,
      id: `${this.options.eventIdPrefix}-${++this.#sent}`,
      ts: this.#formatTime(this.options.clock.now()),
      ...(battery === undefined ? {} : { battery }),
    };
  }

  /**
   * Sends a stamped event, QoS 1 for check-ins and SOS (PROTOCOL.md, MQTT); resolves once the
   * hub's broker acknowledged it (PUBACK: stored durably by the hub), or once written for QoS 0.
   */
  async send(event: DeviceEventInput): Promise<void> {
    const client = this.#client;
    if (!client) throw new Error(`${this.deviceId} is not connected`);
    const qos = CRITICAL_EVENT_TYPES.has(event.type) ? 1 : 0;
    await client.publishAsync(this.#topics.event, JSON.stringify(event), { qos });
  }

  /** Stamps and sends an event, logging a failure (the simulator's fire-and-forget). */
  publish(body: DeviceEventBody, battery?: number): void {
    this.send(this.stamp(body, battery)).catch((error: unknown) =>
      this.options.log.error(`${this.deviceId}: publishing ${body.type} failed: ${(error as Error).message}`),
    );
  }

  /** Says "offline" (a clean disconnect suppresses the will) and disconnects; idempotent. */
  async close(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    if (client.connected) await this.#publishStatus(client, OFFLINE);
    // While disconnected, do not wait for in-flight messages that cannot complete.
    await client.endAsync(!client.connected);
  }

  #watch(client: MqttClient): void {
    const { log, onConnectionChange, retryRefusedAfterMs } = this.options;
    client.on('error', (error) => {
      log.error(`${this.deviceId}: ${error.message}`);
      if (!REFUSED_CREDENTIALS.has((error as { code?: unknown }).code)) return;
      if (retryRefusedAfterMs === undefined) {
        // Our secret was replaced (another run provisioned this device): retrying cannot help.
        log.error(`${this.deviceId}: credentials no longer accepted; giving up (did another run issue new ones?)`);
        client.end(true);
        return;
      }
      log.error(
        `${this.deviceId}: the hub refuses this device's credentials (re-issued or device removed?); trying again every ${Math.round(retryRefusedAfterMs / 1000)} s`,
      );
      client.options.reconnectPeriod = retryRefusedAfterMs;
    });
    client.on('offline', () => log.error(`${this.deviceId}: disconnected; reconnecting`));
    // 'close' also follows every failed attempt while the broker is unreachable.
    client.on('close', () => onConnectionChange?.(false));
    // Each reconnect after a lost connection follows the broker's will ("offline"), so say "online" again.
    client.on('connect', () => {
      client.options.reconnectPeriod = RECONNECT_MS;
      void this.#announce(client);
    });
  }

  /** After a CONNACK: "online" (retained), the command subscription, then tells the owner. */
  async #announce(client: MqttClient): Promise<void> {
    const { log, onCommand, onConnectionChange, clock } = this.options;
    await this.#publishStatus(client, { online: true, ts: this.#formatTime(clock.now()) });
    if (onCommand) {
      // Subscribed again on every connect: the hub may have lost the session (a new data directory).
      const [grant] = await client.subscribeAsync(this.#topics.command, { qos: 1 }).catch((error: unknown) => {
        log.error(`${this.deviceId}: subscribing to commands failed: ${(error as Error).message}`);
        return [];
      });
      // [MQTT-3.9.3-2] return code 0x80 means the broker refused the subscription.
      if (!grant || grant.qos === 128) log.error(`${this.deviceId}: the broker refused the command subscription`);
    }
    if (client.connected) onConnectionChange?.(true);
  }

  async #publishStatus(client: MqttClient, status: StatusPayload): Promise<void> {
    try {
      await client.publishAsync(this.#topics.status, JSON.stringify(status), { qos: 1, retain: true });
    } catch (error) {
      this.options.log.error(`${this.deviceId}: publishing status failed: ${(error as Error).message}`);
    }
  }

  #receive(payload: Buffer, onCommand: (command: DeviceCommand) => void): void {
    const reading = readCommand(payload);
    if (reading.ok) return onCommand(reading.command);
    this.options.log.error(`${this.deviceId}: ignored a malformed command (${reading.reason})`);
  }
}

/** Resolves on the first CONNACK; a refused login or an unreachable broker rejects instead of retrying forever. */
function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('connect', onConnect).off('error', settle).off('close', onClose);
      if (!error) return resolve();
      client.end(true);
      reject(error);
    };
    const onConnect = () => settle();
    const onClose = () => settle(new Error('connection closed before CONNACK'));
    client.on('connect', onConnect).on('error', settle).on('close', onClose);
  });
}
