import type { Logger } from 'pino';
import { deviceEvent, deviceStatus, type ParsedTopic } from '@mimamori/contract';
import type { Metrics } from '../metrics/index.js';
import type { DevicePrincipal, DeviceRepository, EventJournal, StoredEvent } from '../store/index.js';
import type { Clock } from '../time/index.js';

/** Devices may run a little fast; anything further ahead is a broken clock (PROTOCOL.md). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export type IngestOutcome = 'stored' | 'duplicate' | 'rejected' | 'ignored';

export interface IngestDeps {
  journal: Pick<EventJournal, 'append'>;
  devices: Pick<DeviceRepository, 'setOnline'>;
  /** Receives each newly stored event, in journal order, after its commit. */
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
 * happens; the returned promise settles only once a good event is durable, which is what
 * the broker waits for before it acknowledges.
 */
export class Ingest {
  constructor(private readonly deps: IngestDeps) {}

  async receive(device: DevicePrincipal, topic: ParsedTopic, payload: Buffer): Promise<IngestOutcome> {
    if (topic.kind === 'z2m') {
      // Zigbee2MQTT payloads are mapped through the device registry by the rules issue (#4).
      this.#reject(device, 'z2m_not_mapped', 'Zigbee2MQTT payloads are not mapped yet');
      return 'ignored';
    }
    const json = parseJson(payload);
    if (json === undefined) return this.#reject(device, 'invalid_json', 'payload is not JSON');
    return topic.channel === 'status' ? this.#receiveStatus(device, json) : this.#receiveEvent(device, json);
  }

  #receiveStatus(device: DevicePrincipal, json: unknown): IngestOutcome {
    const status = deviceStatus.safeParse(json);
    if (!status.success) return this.#reject(device, 'invalid_payload', status.error.issues);
    this.deps.devices.setOnline(device.deviceId, status.data.online, this.deps.clock.now());
    this.deps.onStatus(device.homeId, device.deviceId, status.data.online);
    return 'stored';
  }

  async #receiveEvent(device: DevicePrincipal, json: unknown): Promise<IngestOutcome> {
    const parsed = deviceEvent.safeParse(json);
    if (!parsed.success) return this.#reject(device, 'invalid_payload', parsed.error.issues);
    const receivedAt = this.deps.clock.now();
    if (parsed.data.ts > receivedAt + MAX_FUTURE_SKEW_MS) {
      return this.#reject(device, 'future_timestamp', `ts ${new Date(parsed.data.ts).toISOString()} is more than 5 minutes ahead`);
    }
    const stored = await this.deps.journal.append({ homeId: device.homeId, deviceId: device.deviceId, event: parsed.data, receivedAt });
    this.deps.metrics.ingestLatency.observe((this.deps.clock.now() - receivedAt) / 1000);
    if (!stored) {
      this.deps.metrics.mqttDuplicates.inc();
      return 'duplicate';
    }
    this.deps.metrics.mqttMessages.inc({ type: stored.type });
    this.deps.onStored(stored);
    return 'stored';
  }

  #reject(device: DevicePrincipal, reason: string, detail: unknown): 'rejected' {
    this.deps.metrics.mqttRejected.inc({ reason });
    // The reason only: a rejected payload may hold a resident's answer, which is never logged.
    this.deps.logger.warn({ deviceId: device.deviceId, homeId: device.homeId, reason, detail: describe(detail) }, 'message rejected');
    return 'rejected';
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function describe(detail: unknown): unknown {
  if (!Array.isArray(detail)) return detail;
  return (detail as { path: PropertyKey[]; message: string }[]).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}
