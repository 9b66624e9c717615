import mqtt from 'mqtt';

export interface FleetDevice {
  deviceId: string;
  homeId: string;
  username: string;
  password: string;
  topicPrefix: string;
}

export interface FleetOptions {
  mqttUrl: string;
  devices: readonly FleetDevice[];
  /** Each device publishes one motion event this often (with jitter). */
  everyMs: number;
  /** Every `burstEveryMs` one device, chosen at random, publishes `burstSize` events at once. */
  burstEveryMs: number;
  burstSize: number;
  random: () => number;
}

/** One published event: which device, which id, and (once its PUBACK came) when. */
interface Publication {
  deviceId: string;
  eventId: string;
  ackedAt?: number;
}

/**
 * Simulated devices as real devices behave towards a hub that may die at any moment: mqtt.js
 * clients with persistent sessions (`clean: false`) that keep publishing QoS 1 events while
 * the hub is away and reconnect by themselves. mqtt.js keeps every unacknowledged QoS 1
 * message and sends it again after reconnecting, which is what the hub's promise relies on.
 *
 * The fleet remembers every event it published and which got a PUBACK, so a test can check
 * the hub against exactly what the devices were told.
 */
export class DeviceFleet {
  readonly #publications: Publication[] = [];
  readonly #clients = new Map<string, mqtt.MqttClient>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #sequence = new Map<string, number>();
  #resent = 0;
  #closing = false;

  private constructor(private readonly options: FleetOptions) {}

  /** Connects every device (spread over a second, as a real fleet would be) and starts publishing. */
  static async start(options: FleetOptions): Promise<DeviceFleet> {
    const fleet = new DeviceFleet(options);
    await Promise.all(options.devices.map((device) => fleet.#connect(device)));
    fleet.#startPublishing();
    return fleet;
  }

  /** Every event published so far, in order. */
  get published(): readonly Publication[] {
    return this.#publications;
  }

  get ackedCount(): number {
    return this.#publications.reduce((n, p) => n + (p.ackedAt === undefined ? 0 : 1), 0);
  }

  /** Publishes one event from a device now (an SOS, say); returns its id at once, not at its PUBACK. */
  publish(device: FleetDevice, event: Record<string, unknown>): string {
    const client = this.#clients.get(device.deviceId);
    if (!client) throw new Error(`${device.deviceId} is not part of the fleet`);
    const sequence = (this.#sequence.get(device.deviceId) ?? 0) + 1;
    this.#sequence.set(device.deviceId, sequence);
    const publication: Publication = { deviceId: device.deviceId, eventId: `${device.deviceId}-${sequence}` };
    this.#publications.push(publication);
    this.#send(
      client,
      `${device.topicPrefix}/event`,
      JSON.stringify({ id: publication.eventId, ts: Date.now(), ...event }),
      publication,
    );
    return publication.eventId;
  }

  /** How many times a device sent an event again because mqtt.js gave up on it (see `#send`). */
  get resentByDevices(): number {
    return this.#resent;
  }

  /** Stops producing new events; what is in flight is still sent and acknowledged. */
  stopPublishing(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }

  /** Waits until every published event has its PUBACK (or the time is up); returns how many have none. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let unacked = this.#publications.length - this.ackedCount;
    while (unacked > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      unacked = this.#publications.length - this.ackedCount;
    }
    return unacked;
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.stopPublishing();
    await Promise.all([...this.#clients.values()].map((client) => client.endAsync(true)));
  }

  async #connect(device: FleetDevice): Promise<void> {
    const { mqttUrl, random } = this.options;
    const client = mqtt.connect(mqttUrl, {
      protocolVersion: 4,
      clientId: device.username,
      username: device.username,
      password: device.password,
      clean: false,
      keepalive: 30,
      // Spread reconnects so a restarted hub is not met by the whole fleet in the same millisecond.
      reconnectPeriod: 300 + Math.floor(random() * 700),
      connectTimeout: 5_000,
    });
    client.on('error', () => {}); // refused while the hub is down: mqtt.js retries by itself
    this.#clients.set(device.deviceId, client);
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  }

  /**
   * mqtt.js resends what it had in flight after reconnecting, but a publish it took while it
   * was resending fails with "Connection closed" if the connection drops again meanwhile. A
   * device that got no PUBACK keeps the event and sends it again, as PROTOCOL.md asks.
   */
  #send(client: mqtt.MqttClient, topic: string, payload: string, publication: Publication): void {
    client.publish(topic, payload, { qos: 1 }, (error) => {
      if (!error) publication.ackedAt = Date.now();
      else if (!this.#closing) {
        this.#resent += 1;
        setTimeout(() => this.#send(client, topic, payload, publication), 200);
      }
    });
  }

  #startPublishing(): void {
    const { devices, everyMs, burstEveryMs, burstSize, random } = this.options;
    devices.forEach((device) => {
      // Start each device at a random point of its period so the load is even.
      const start = setTimeout(() => {
        this.#timers.push(setInterval(() => this.publish(device, motion()), everyMs));
      }, random() * everyMs);
      this.#timers.push(start);
    });
    this.#timers.push(
      setInterval(() => {
        const device = devices[Math.floor(random() * devices.length)] as FleetDevice;
        for (let i = 0; i < burstSize; i += 1) this.publish(device, motion());
      }, burstEveryMs),
    );
  }
}

const motion = () => ({ type: 'motion', occupied: true });
