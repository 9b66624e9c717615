import type { EventType } from '@mimamori/contract';
import type { Db } from './database.js';
import type { StoredEvent } from './time-series.js';

/**
 * The `events` columns a reader of one home's events selects, in the order `toHomeEvent` takes
 * them. The home is the one it asked for: not reading it back saves a string per row (a backtest
 * reads millions).
 */
export const HOME_EVENT_COLUMNS = 'seq, device_id, event_id, type, ts, received_at, data';
/** The `events` columns every other reader selects, in the order `toStoredEvent` takes them. */
export const EVENT_COLUMNS = `${HOME_EVENT_COLUMNS}, home_id`;

/** A row of `HOME_EVENT_COLUMNS` as SQLite hands it over raw. */
export type HomeEventTuple = [
  seq: number,
  deviceId: string,
  eventId: string,
  type: EventType,
  ts: number,
  receivedAt: number,
  data: string,
];
/** A row of `EVENT_COLUMNS` as SQLite hands it over raw. */
type EventTuple = [...HomeEventTuple, homeId: string];

/**
 * Compiles a read of `EVENT_COLUMNS` (or of `HOME_EVENT_COLUMNS`) whose rows come as arrays:
 * SQLite makes an array faster than an object with named fields, and a backtest reads millions
 * (a fifth less time reading them). Raw mode belongs to the statement, which `db.prepare` shares
 * by SQL text: only readers of event tuples use this SQL.
 */
export function eventReader<Row extends HomeEventTuple | EventTuple = EventTuple>(
  db: Db,
  sql: string,
): { all(...params: unknown[]): Row[] } {
  const statement = db.prepare(sql).raw(true);
  return { all: (...params) => statement.all(...params) as Row[] };
}

/**
 * The journal stores only events the contract parsed, so a row of `homeId`'s events reads back as
 * that event, its data read by `parse`.
 */
export const toHomeEvent = (
  [seq, deviceId, eventId, type, ts, receivedAt, data]: HomeEventTuple | EventTuple,
  homeId: string,
  parse: (text: string) => unknown = JSON.parse,
): StoredEvent => ({ seq, homeId, deviceId, eventId, type, ts, receivedAt, data: parse(data) }) as StoredEvent;

/**
 * A `parse` for a long read: each distinct data text is parsed once, and the same frozen value
 * handed back after. In a home's history most texts repeat (a heartbeat's battery level, a motion
 * sensor's room and state), and a backtest reads millions: parsing was a tenth of its time.
 * Holds at most `limit` texts, so that readings which never repeat do not pile up.
 */
export function sharedDataParser(limit = 1024): (text: string) => unknown {
  const parsed = new Map<string, unknown>();
  return (text) => {
    let value = parsed.get(text);
    if (value === undefined) {
      value = Object.freeze(JSON.parse(text) as object);
      if (parsed.size === limit) parsed.clear();
      parsed.set(text, value);
    }
    return value;
  };
}

/** A row of `EVENT_COLUMNS` as the event it stores. */
export const toStoredEvent = (row: EventTuple): StoredEvent => toHomeEvent(row, row[7]);
