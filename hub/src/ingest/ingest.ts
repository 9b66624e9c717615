import type { Logger } from 'pino';
import { deviceEvent, deviceStatus, type ParsedTopic } from '@mimamori/contract';
import type { Metrics } from '../metrics/index.js';
import type { DevicePrincipal, DeviceRepository, EventJournal, StoredEvent } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { StoreHealth, type StoreCheck } from './store-health.js';
import { z2mEvent } from './z2m.js';

/**
 * Devices' clocks may be a little off; an event stamped further ahead is a broken clock
 * (PROTOCOL.md), and one stamped this much before its device was registered cannot be its own.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type IngestOutcome = 'stored' | 'duplicate' | 'rejected' | 'ignored';

export interface IngestDeps {
  journal: Pick<EventJournal, 'append'>;
  devices: Pick<DeviceRepository, 'setOnline' | 'byZ2mName'>;
  /**
   * Receives each newly stored event, in journal order, inside the transaction that stores it
   * with the rest of its journal group: what this writes is committed with the events, or not
   * at all. It works in its own nested transaction, so a throw takes back its own work only.
   */
  onStored: (event: StoredEvent) => void;
  /** Told when a device reports itself online or offline (its retained status or MQTT will). */
  onStatus: (homeId: string, deviceId: string, online: boolean) => void;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Turns an authorised MQTT message into a stored domain event: JSON → contract schema →
 * journal. A bad payload is rejected with its reason logged and counted, and nothing else
 * happens; the returned promise settles only once a good event is durable with its rules'
 * decisions, which is what the broker waits for before it acknowledges. When the store fails
 * (disk full, database locked) it rejects with `StoreUnavailable`, and the broker refuses the
 * message: nothing of its group was stored, and its device sends it again.
 */
export class Ingest {
  readonly #store: StoreHealth;

  constructor(private readonly deps: IngestDeps) {
    this.#store = new StoreHealth({ clock: deps.clock, logger: deps.logger });
  }

  /** Whether events could be stored at the last attempt, for `/health`. */
  storeCheck(): StoreCheck {
    return this.#store.check();
  }

  /**
   * An MQTT message on a device's event or status topic, or a gateway's Zigbee2MQTT topic. The
   * payload as the broker received it, or as text when it crossed from the broker thread.
   */
  async receive(device: DevicePrincipal, topic: ParsedTopic, payload: Buffer | string): Promise<IngestOutcome> {
    const json = parseJson(payload);
    if (json === undefined) return this.#reject(device, 'invalid_json', 'payload is not JSON');
    if (topic.kind === 'z2m') return this.#receiveZ2m(device, topic.friendlyName, json);
    return topic.channel === 'status' ? this.acceptStatus(device, json) : this.acceptEvent(device, json);
  }

  /** A gateway's Zigbee2MQTT state, stored as an event of the device registered under its friendly name. */
  async #receiveZ2m(gateway: DevicePrincipal, friendlyName: string, json: unknown): Promise<IngestOutcome> {
    const sensor = this.deps.devices.byZ2mName(gateway.homeId, friendlyName);
    if (!sensor)
      return this.#reject(
        gateway,
        'z2m_unknown_device',
        `no device of home ${gateway.homeId} has the Zigbee2MQTT name "${friendlyName}"`,
      );
    const event = z2mEvent(sensor.kind, json, this.deps.clock.now());
    if (!event) return this.#reject(gateway, 'invalid_payload', 'a Zigbee2MQTT state must be a JSON object');
    return this.acceptEvent(
      { deviceId: sensor.id, homeId: sensor.homeId, kind: sensor.kind, registeredAt: Date.parse(sensor.createdAt) },
      event,
    );
  }

  /**
   * A device saying it is online or offline: its retained MQTT status or will, or a platform's
   * word for a device that does not speak MQTT (an Echo whose skill was disabled).
   */
  acceptStatus(device: DevicePrincipal, json: unknown): IngestOutcome {
    const status = deviceStatus.safeParse(json);
    if (!status.success) return this.#reject(device, 'invalid_payload', status.error.issues);
    try {
      this.deps.devices.setOnline(device.deviceId, status.data.online, this.deps.clock.now());
    } catch (error) {
      throw this.#store.failed(error);
    }
    this.deps.onStatus(device.homeId, device.deviceId, status.data.online);
    return 'stored';
  }

  /**
   * One event from a device, as JSON already parsed: from an MQTT message (`receive`), or from a
   * device that does not speak MQTT (an Echo answering through the Alexa skill). Validated,
   * journaled and handed to the rules the same way; settles once it is durable.
   */
  async acceptEvent(device: DevicePrincipal, json: unknown): Promise<IngestOutcome> {
    const parsed = deviceEvent.safeParse(json);
    if (!parsed.success) return this.#reject(device, 'invalid_payload', parsed.error.issues);
    const receivedAt = this.deps.clock.now();
    if (parsed.data.ts > receivedAt + MAX_CLOCK_SKEW_MS) {
      return this.#reject(
        device,
        'future_timestamp',
        `ts ${new Date(parsed.data.ts).toISOString()} is more than 5 minutes ahead`,
      );
    }
    // A replayed buffer or a leaked secret must not page anyone for a press before the device existed (issue 23).
    if (device.registeredAt !== undefined && parsed.data.ts < device.registeredAt - MAX_CLOCK_SKEW_MS) {
      return this.#reject(
        device,
        'before_registration',
        `ts ${new Date(parsed.data.ts).toISOString()} is before the device was registered`,
      );
    }
    let stored: StoredEvent | undefined;
    let evaluation: { error: unknown } | undefined;
    try {
      stored = await this.deps.journal.append(
        { homeId: device.homeId, deviceId: device.deviceId, event: parsed.data, receivedAt },
        (event) => {
          // Called again when its group is written a second time, each evaluation in its own savepoint.
          evaluation = undefined;
          try {
            this.deps.onStored(event);
          } catch (error) {
            // Its own nested transaction was rolled back; the rest of the group still counts.
            evaluation = { error };
          }
        },
      );
    } catch (error) {
      throw this.#store.failed(error);
    }
    this.#store.succeeded();
    this.deps.metrics.ingestLatency.observe((this.deps.clock.now() - receivedAt) / 1000);
    if (!stored) {
      this.deps.metrics.mqttDuplicates.inc();
      return 'duplicate';
    }
    this.deps.metrics.mqttMessages.inc({ type: stored.type });
    // Its message is refused, which the broker logs.
    if (evaluation) throw evaluation.error;
    return 'stored';
  }

  #reject(device: DevicePrincipal, reason: string, detail: unknown): 'rejected' {
    this.deps.metrics.mqttRejected.inc({ reason });
    // The reason only: a rejected payload may hold a resident's answer, which is never logged.
    this.deps.logger.warn(
      { deviceId: device.deviceId, homeId: device.homeId, reason, detail: describe(detail) },
      'message rejected',
    );
    return 'rejected';
  }
}

function parseJson(payload: Buffer | string): unknown {
  try {
    return JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function describe(detail: unknown): unknown {
  if (!Array.isArray(detail)) return detail;
  return (detail as { path: PropertyKey[]; message: string }[]).map(
    (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
  );
}
