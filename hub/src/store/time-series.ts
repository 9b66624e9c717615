import type { EventFields, EventType } from '@mimamori/contract';

/**
 * One accepted device event as the hub keeps it. `seq` is the local journal's sequence number:
 * unique, increasing in order of acceptance, and the cursor by which events are forwarded to
 * InfluxDB. `ts` is when the device observed it (epoch ms), `receivedAt` when the hub stored it.
 * `data` holds the event's own fields (everything but id, ts and type) as the contract parsed
 * them: narrowing on `type` narrows `data` (`event.type === 'power'` → `event.data.watts`).
 */
export type StoredEvent<T extends EventType = EventType> = T extends EventType
  ? {
      seq: number;
      homeId: string;
      deviceId: string;
      eventId: string;
      type: T;
      ts: number;
      receivedAt: number;
      data: EventFields<T>;
    }
  : never;

/** A time-bounded history read: events of one home with `from <= ts < to`, oldest first. */
export interface EventQuery {
  homeId: string;
  from: number;
  to: number;
  /** At most this many events; the oldest `limit` in the range. */
  limit: number;
  types?: readonly EventType[];
}

/**
 * The time-series store: every accepted event, readable by home and time. Two implementations
 * pass one contract suite (`time-series.contract.ts`): SQLite (the embedded default, the
 * local journal itself) and InfluxDB 1.x (fed from the journal by a forwarder).
 */
export interface TimeSeriesStore {
  readonly backend: 'sqlite' | 'influx';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stores events; writing an event with the same (deviceId, eventId, seq) again changes nothing. */
  write(events: readonly StoredEvent[]): Promise<void>;
  query(query: EventQuery): Promise<StoredEvent[]>;
  /** True when the backend answers; used by /health. */
  ping(): Promise<boolean>;
}
