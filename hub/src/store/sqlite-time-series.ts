import type { Db } from './database.js';
import { HOME_EVENT_COLUMNS, eventReader, toHomeEvent, type HomeEventTuple } from './event-rows.js';
import type { EventQuery, StoredEvent, TimeSeriesStore } from './time-series.js';

/**
 * The embedded time series: the journal's own `events` table, indexed by (home, ts).
 * With this backend the journal is the history, so nothing has to be forwarded.
 */
export class SqliteTimeSeries implements TimeSeriesStore {
  readonly backend = 'sqlite';

  constructor(private readonly db: Db) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async write(events: readonly StoredEvent[]): Promise<void> {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO events (seq, home_id, device_id, event_id, type, ts, received_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const e of events) {
        insert.run(e.seq, e.homeId, e.deviceId, e.eventId, e.type, e.ts, e.receivedAt, JSON.stringify(e.data));
      }
    })();
  }

  async query({ homeId, from, to, limit, types }: EventQuery): Promise<StoredEvent[]> {
    const typeFilter = types?.length ? `AND type IN (${types.map(() => '?').join(', ')})` : '';
    const rows = eventReader<HomeEventTuple>(
      this.db,
      `SELECT ${HOME_EVENT_COLUMNS} FROM events WHERE home_id = ? AND ts >= ? AND ts < ? ${typeFilter} ORDER BY ts, seq LIMIT ?`,
    ).all(homeId, from, to, ...(types ?? []), limit);
    return rows.map((row) => toHomeEvent(row, homeId));
  }

  async ping(): Promise<boolean> {
    return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }
}
