import { InfluxDB, escape, type IPoint } from 'influx';
import { EVENT_TYPES, type EventType } from '@mimamori/contract';
import type { EventQuery, StoredEvent, TimeSeriesStore } from './time-series.js';

const MEASUREMENT = 'event';
/** InfluxDB's own default policy: shortening it keeps what is already written where queries look. */
const RETENTION_POLICY = 'autogen';
/** Numeric and boolean event fields copied into their own columns for Grafana; `data` keeps them all. */
const CHART_FIELDS = ['temperatureC', 'humidityPct', 'watts', 'occupied', 'open', 'battery'] as const;

/**
 * InfluxDB 1.x as the time series, fed by the forwarder from the local journal.
 * Tags are the low-cardinality homeId, deviceId and type; the event id is a field.
 *
 * Point identity in InfluxDB is measurement + tags + timestamp, so the timestamp is
 * `ts (ms) × 10⁶ + seq mod 10⁶` ns: forwarding the same event again overwrites the same
 * point (idempotent), while two events of one device in the same millisecond stay apart.
 */
export class InfluxTimeSeries implements TimeSeriesStore {
  readonly backend = 'influx';
  readonly #influx: InfluxDB;
  readonly #database: string;

  constructor(
    url: string,
    private readonly retentionDays: number,
  ) {
    const parsed = new URL(url);
    this.#database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'mimamori';
    this.#influx = new InfluxDB({
      host: parsed.hostname,
      port: Number(parsed.port || 8086),
      protocol: parsed.protocol === 'https:' ? 'https' : 'http',
      database: this.#database,
    });
  }

  async start(): Promise<void> {
    // CREATE DATABASE is idempotent in InfluxDB 1.x.
    await this.#influx.createDatabase(this.#database);
    // InfluxDB deletes what is older than the hub's retention itself, through the database's default policy.
    const policy = { duration: `${this.retentionDays}d`, replication: 1, isDefault: true };
    const existing = await this.#influx.showRetentionPolicies(this.#database);
    if (existing.some((p) => p.name === RETENTION_POLICY))
      await this.#influx.alterRetentionPolicy(RETENTION_POLICY, { ...policy, database: this.#database });
    else await this.#influx.createRetentionPolicy(RETENTION_POLICY, { ...policy, database: this.#database });
  }

  async stop(): Promise<void> {}

  async write(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.#influx.writePoints(events.map(toPoint), { precision: 'n' });
  }

  async query({ homeId, from, to, limit, types }: EventQuery): Promise<StoredEvent[]> {
    const typeFilter = types?.length
      ? ` AND (${types.map((t) => `"type" = ${escape.stringLit(t)}`).join(' OR ')})`
      : '';
    const rows = await this.#influx.query<Record<string, unknown>>(
      `SELECT "homeId", "deviceId", "type", "eventId", "seq", "receivedAt", "data" FROM ${MEASUREMENT}
       WHERE "homeId" = ${escape.stringLit(homeId)} AND time >= ${Math.trunc(from)}ms AND time < ${Math.trunc(to)}ms${typeFilter}
       ORDER BY time ASC LIMIT ${Math.trunc(limit)}`,
      { precision: 'n' },
    );
    return rows.map(fromRow);
  }

  async ping(): Promise<boolean> {
    const hosts = await this.#influx.ping(2000);
    return hosts.every((host) => host.online);
  }
}

function toPoint(event: StoredEvent): IPoint {
  const fields: Record<string, unknown> = {
    eventId: event.eventId,
    seq: event.seq,
    receivedAt: event.receivedAt,
    data: JSON.stringify(event.data),
  };
  const data: Record<string, unknown> = event.data;
  for (const name of CHART_FIELDS) {
    const value = data[name];
    if (typeof value === 'number' || typeof value === 'boolean') fields[name] = value;
  }
  return {
    measurement: MEASUREMENT,
    tags: { homeId: event.homeId, deviceId: event.deviceId, type: event.type },
    fields,
    timestamp: (BigInt(event.ts) * 1_000_000n + BigInt(event.seq % 1_000_000)).toString(),
  };
}

function fromRow(row: Record<string, unknown>): StoredEvent {
  const time = row.time as { getNanoTime(): string };
  const type = String(row.type);
  if (!(EVENT_TYPES as readonly string[]).includes(type))
    throw new Error(`InfluxDB returned an unknown event type ${type}`);
  // Forwarded from the journal, which holds only events the contract parsed.
  const event = {
    seq: Number(row.seq),
    homeId: String(row.homeId),
    deviceId: String(row.deviceId),
    eventId: String(row.eventId),
    type: type as EventType,
    ts: Number(BigInt(time.getNanoTime()) / 1_000_000n),
    receivedAt: Number(row.receivedAt),
    data: JSON.parse(String(row.data)) as unknown,
  };
  return event as StoredEvent;
}
