import type { EventType } from '@mimamori/contract';
import type { StoredEvent } from './time-series.js';

/** The `events` table row, shared by the journal (writer) and the SQLite time series (reader). */
export interface EventRow {
  seq: number;
  home_id: string;
  device_id: string;
  event_id: string;
  type: EventType;
  ts: number;
  received_at: number;
  data: string;
}

/** The journal stores only events the contract parsed, so a row reads back as that event. */
export const toStoredEvent = (row: EventRow): StoredEvent =>
  ({
    seq: row.seq,
    homeId: row.home_id,
    deviceId: row.device_id,
    eventId: row.event_id,
    type: row.type,
    ts: row.ts,
    receivedAt: row.received_at,
    data: JSON.parse(row.data) as unknown,
  }) as StoredEvent;
