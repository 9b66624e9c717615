import mqtt, { type MqttClient } from 'mqtt';
import {
  CRITICAL_EVENT_TYPES,
  deviceCommand,
  deviceTopic,
  type DeviceCommand,
  type DeviceEventBody,
  type DeviceEventInput,
  type deviceStatus,
} from '@mimamori/contract';
import type { z } from 'zod';
import type { Clock } from '@mimamori/contract';
import type { IssuedCredentials } from './hub-api.js';
import { toJstIso } from './jst.js';
import type { Log } from './log.js';

export interface DeviceLinkOptions {
  brokerUrl: string;
  homeId: string;
  credentials: IssuedCredentials;
  /** Prefixes event ids, so a later run's events are not dropped as duplicates of this one's. */
  runId: string;
  /**
   * Real time, for timestamps. Acceleration only decides when things happen; like a real
   * device the simulator stamps the moment it reports them, since the hub refuses events
   * stamped more than 5 minutes ahead (PROTOCOL.md, Event JSON).
   */
  clock: Clock;
  log: Log;
  /** Given only for a device that takes commands (the speaker); it then subscribes to `…/command`. */
  onCommand?: (command: DeviceCommand) => void;
}

type StatusPayload = z.input<typeof deviceStatus>;

/** CONNACK codes for refused credentials: MQTT 3.1.1 4 and 5 [MQTT-3.2.2.3], MQTT 5 0x86 and 0x87. */
const REFUSED_CREDENTIALS: ReadonlySet<unknown> = new Set([4, 5, 0x86, 0x87]);
const OFFLINE: StatusPayload = { online: false };

/**
 * One simulated device's own MQTT connection: username = device id, persistent session so
 * QoS 1 events queued while disconnected are delivered after a reconnect, a retained online
 * status with an offline will, unique event ids.
 */
export class DeviceLink {
  #client: MqttClient | undefined;
  #sent = 0;
  readonly #topics: Record<'event' | 'status' | 'command', string>;

  constructor(private readonly options: DeviceLinkOptions) {
    const { homeId, credentials } = options;
    this.#topics = {
      event: deviceTopic(homeId, credentials.deviceId, 'event'),
      status: deviceTopic(homeId, credentials.deviceId, 'status'),
      command: deviceTopic(homeId, credentials.deviceId, 'command'),
    };
  }

  get deviceId(): string {
    return this.options.credentials.deviceId;
  }

  async connect(): Promise<void> {
    const { brokerUrl, credentials, log, onCommand } = this.options;
    const client = mqtt.connect(brokerUrl, {
      clientId: credentials.deviceId,
      username: credentials.username,
      password: credentials.password,
      clean: false,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      will: { topic: this.#topics.status, payload: Buffer.from(JSON.stringify(OFFLINE)), qos: 1, retain: true },
    });
    // Listen before CONNACK: a persistent session may deliver queued commands straight after it.
    if (onCommand) client.on('message', (_topic, payload) => this.#receive(payload, onCommand));
    await firstConnect(client).catch((error: unknown) => {
      throw new Error(`${this.deviceId} could not connect to ${brokerUrl}: ${(error as Error).message}`);
    });
    this.#client = client;
    client.on('error', (error) => {
      log.error(`${this.deviceId}: ${error.message}`);
      // Our secret was replaced (another run provisioned this device): retrying cannot help.
      if (REFUSED_CREDENTIALS.has((error as { code?: unknown }).code)) {
        log.error(`${this.deviceId}: credentials no longer accepted; giving up (did another run issue new ones?)`);
        client.end(true);
      }
    });
    client.on('offline', () => log.error(`${this.deviceId}: disconnected; reconnecting`));
    // Each reconnect after a lost connection follows the broker's will ("offline"), so say "online" again.
    client.on(
      'connect',
      () => void this.#publishStatus(client, { online: true, ts: toJstIso(this.options.clock.now()) }),
    );
    await this.#publishStatus(client, { online: true, ts: toJstIso(this.options.clock.now()) });
    if (onCommand) {
      const [grant] = await client.subscribeAsync(this.#topics.command, { qos: 1 });
      // [MQTT-3.9.3-2] return code 0x80 means the broker refused the subscription.
      if (!grant || grant.qos === 128) log.error(`${this.deviceId}: the broker refused the command subscription`);
    }
  }

  /** Publishes an event, QoS 1 for check-ins and SOS (PROTOCOL.md, MQTT). */
  publish(body: DeviceEventBody, battery?: number): void {
    const event: DeviceEventInput = {
      ...body,
      id: `${this.options.runId}-${++this.#sent}`,
      ts: toJstIso(this.options.clock.now()),
      ...(battery === undefined ? {} : { battery }),
    };
    const qos = CRITICAL_EVENT_TYPES.has(body.type) ? 1 : 0;
    this.#client?.publish(this.#topics.event, JSON.stringify(event), { qos }, (error) => {
      if (error) this.options.log.error(`${this.deviceId}: publishing ${body.type} failed: ${error.message}`);
    });
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

  async #publishStatus(client: MqttClient, status: StatusPayload): Promise<void> {
    try {
      await client.publishAsync(this.#topics.status, JSON.stringify(status), { qos: 1, retain: true });
    } catch (error) {
      this.options.log.error(`${this.deviceId}: publishing status failed: ${(error as Error).message}`);
    }
  }

  #receive(payload: Buffer, onCommand: (command: DeviceCommand) => void): void {
    const parsed = deviceCommand.safeParse(parseJson(payload.toString('utf8')));
    if (parsed.success) return onCommand(parsed.data);
    const issue = parsed.error.issues[0];
    this.options.log.error(
      `${this.deviceId}: ignored a malformed command (${issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid'})`,
    );
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
