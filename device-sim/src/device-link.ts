import mqtt from 'mqtt';
import { CRITICAL_EVENT_TYPES, deviceCommand, deviceTopic, type DeviceCommand, type DeviceCredentials, type DeviceEventBody } from '@mimamori/contract';
import { toJstIso } from './sim-clock.js';

/**
 * One simulated device's MQTT connection: persistent session, a retained online status with
 * an offline will, QoS 1 for check-ins and SOS, unique event ids.
 */
export class DeviceLink {
  #client: mqtt.MqttClient | undefined;
  #counter = 0;
  readonly #statusTopic: string;
  readonly #eventTopic: string;

  constructor(
    private readonly homeId: string,
    private readonly credentials: DeviceCredentials,
    private readonly runId: string,
  ) {
    this.#statusTopic = deviceTopic(homeId, credentials.deviceId, 'status');
    this.#eventTopic = deviceTopic(homeId, credentials.deviceId, 'event');
  }

  async connect(url: string, onCommand?: (command: DeviceCommand) => void, log: (line: string) => void = () => {}): Promise<void> {
    const client = await mqtt.connectAsync(url, {
      clientId: this.credentials.deviceId,
      username: this.credentials.username,
      password: this.credentials.password,
      clean: false,
      will: { topic: this.#statusTopic, payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    this.#client = client;
    await client.publishAsync(this.#statusTopic, JSON.stringify({ online: true, ts: toJstIso(Date.now()) }), { qos: 1, retain: true });
    if (onCommand) {
      const topic = deviceTopic(this.homeId, this.credentials.deviceId, 'command');
      client.on('message', (_topic, payload) => {
        const parsed = deviceCommand.safeParse(safeJson(payload.toString()));
        if (parsed.success) onCommand(parsed.data);
        else log(`${this.credentials.deviceId}: ignored a malformed command`);
      });
      await client.subscribeAsync(topic, { qos: 1 });
    }
  }

  /**
   * Publishes an event stamped with the real time of publishing: acceleration decides when
   * things happen, but like a real device the simulator reports the moment it observed them
   * (the hub rejects events stamped more than 5 minutes ahead).
   */
  publish(event: DeviceEventBody, battery?: number): void {
    const payload = { ...event, id: `${this.runId}-${++this.#counter}`, ts: toJstIso(Date.now()), ...(battery === undefined ? {} : { battery }) };
    this.#client?.publish(this.#eventTopic, JSON.stringify(payload), { qos: CRITICAL_EVENT_TYPES.has(event.type) ? 1 : 0 });
  }

  async close(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    // A clean disconnect suppresses the will, so say "offline" ourselves.
    await client.publishAsync(this.#statusTopic, '{"online":false}', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
