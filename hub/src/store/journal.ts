import type { DeviceEvent, EventType } from '@mimamori/contract';
import type { Db } from './database.js';
import {
  EVENT_COLUMNS,
  HOME_EVENT_COLUMNS,
  eventReader,
  sharedDataParser,
  toHomeEvent,
  toStoredEvent,
  type HomeEventTuple,
} from './event-rows.js';
import type { StoredEvent } from './time-series.js';
import { NestedWorkFailed, transactionsOf } from './transactions.js';

/** Rows a history read takes from SQLite at once. */
const HISTORY_PAGE = 4096;
/**
 * The most events one group commits. The rest wait for the next turn of the event loop, so that
 * HTTP requests and timers are served between groups: at the hub's full ingest rate one turn's
 * reads held 25,000 events, whose group kept the API waiting for seconds (issue 21).
 */
const GROUP_LIMIT = 1000;

export interface JournalEntry {
  homeId: string;
  deviceId: string;
  event: DeviceEvent;
  receivedAt: number;
}

interface Pending {
  entry: JournalEntry;
  evaluate: ((stored: StoredEvent) => void) | undefined;
  resolve: (stored: StoredEvent | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * The local, durable record of every accepted event — the first thing that happens to an
 * event and the reason a PUBACK can be trusted.
 *
 * Appends that arrive in the same turn of the event loop (one socket read often holds many
 * packets, and many sockets are read per turn) are committed together in one transaction, up to
 * `GROUP_LIMIT` at once: one fsync for the whole group instead of one per event. Each caller's
 * promise settles only after its group is committed, so the broker acknowledges nothing that is
 * not on disk.
 * A duplicate (same device and event id) resolves to `undefined` and changes nothing.
 */
export class EventJournal {
  #pending: Pending[] = [];
  #flushScheduled = false;
  readonly #insert;
  readonly #touchDevice;
  readonly #commitGroup;

  constructor(
    private readonly db: Db,
    private readonly onCommitted: () => void = () => {},
  ) {
    this.#insert = db.prepare(
      `INSERT OR IGNORE INTO events (home_id, device_id, event_id, type, ts, received_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    // A device that sends anything is alive; battery is kept from the newest report that has one.
    // An event received before the device's last status change (its will, processed while the
    // event waited for its group commit) does not make it online again.
    this.#touchDevice = db.prepare(
      `UPDATE devices SET online = CASE WHEN ? > COALESCE(last_seen_at, 0) THEN 1 ELSE online END,
              last_seen_at = MAX(COALESCE(last_seen_at, 0), ?), battery = COALESCE(?, battery)
       WHERE id = ?`,
    );
    const writeAndEvaluate = (group: Pending[], flat: boolean) =>
      transactionsOf(db).run(
        () => {
          const stored = group.map(({ entry }) => this.#write(entry));
          group.forEach(({ evaluate }, index) => {
            const event = stored[index];
            if (event && evaluate) evaluate(event);
          });
          return stored;
        },
        { immediate: true, flat },
      );
    // Evaluations share the group's transaction without a savepoint each; when one fails, the
    // group is written again with one each, so that a failure takes back only its own work.
    this.#commitGroup = (group: Pending[]) => {
      try {
        return writeAndEvaluate(group, true);
      } catch (error) {
        if (!(error instanceof NestedWorkFailed)) throw error;
        return writeAndEvaluate(group, false);
      }
    };
  }

  /**
   * Journals an event with the others that arrive in the same turn. `evaluate` is given the
   * stored event inside the group's transaction, after the whole group is written and in journal
   * order: what it writes (rule state, alerts, check-ins, cursors) is committed with the events,
   * one commit and one fsync for the group. A group once cost two, the journal's and then its
   * rules' (issue 21), and a failure between them left events stored but not evaluated.
   * `evaluate` must not throw: a throw fails the whole group, as a failed COMMIT does.
   *
   * The group takes the write lock at BEGIN (IMMEDIATE): when another connection holds it, the
   * group waits once and fails as a whole. Taken lazily, the lock would be waited for by each
   * event's first rule write in turn.
   */
  append(entry: JournalEntry, evaluate?: (stored: StoredEvent) => void): Promise<StoredEvent | undefined> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ entry, evaluate, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /**
   * Deletes raw events that happened before `before` (retention), in batches so that ingest is
   * never held up for long, and never one the engine or the forwarder has not taken yet
   * (`seq` above `upToSeq`). Returns how many went.
   */
  deleteOlderThan(before: number, upToSeq: number, batch = 10_000): number {
    const remove = this.db.prepare(
      'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < ? AND seq <= ? LIMIT ?)',
    );
    let deleted = 0;
    for (let changes = batch; changes === batch; deleted += changes)
      changes = remove.run(before, upToSeq, batch).changes;
    return deleted;
  }

  /** Events after `seq`, oldest first; the forwarder and the engine's catch-up read with this. */
  readAfter(seq: number, limit: number): StoredEvent[] {
    const rows = eventReader(this.db, `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`).all(
      seq,
      limit,
    );
    return rows.map(toStoredEvent);
  }

  /**
   * A home's events with `from <= ts < to` (of the given types only, when given), oldest first, read lazily: history for baselines
   * and backtests, which may be millions of rows and must not be held in memory at once. Read a page at a time, each page after
   * the last (ts, seq) read: one native call per page rather than one per row (`iterate`) read a backtest's rows about twice as fast.
   */
  *history(homeId: string, from: number, to: number, types?: readonly EventType[]): Generator<StoredEvent> {
    const typeFilter = types ? `AND type IN (${types.map(() => '?').join(', ')})` : '';
    const page = eventReader<HomeEventTuple>(
      this.db,
      `SELECT ${HOME_EVENT_COLUMNS} FROM events WHERE home_id = ? AND ts < ? AND (ts, seq) > (?, ?) ${typeFilter} ORDER BY ts, seq LIMIT ${HISTORY_PAGE}`,
    );
    const parse = sharedDataParser();
    // (from, 0) comes before every event at `from` or later: seq starts at 1.
    let after = { ts: from, seq: 0 };
    for (;;) {
      const rows = page.all(homeId, to, after.ts, after.seq, ...(types ?? []));
      let last: StoredEvent | undefined;
      for (const row of rows) yield (last = toHomeEvent(row, homeId, parse));
      if (!last || rows.length < HISTORY_PAGE) return;
      after = { ts: last.ts, seq: last.seq };
    }
  }

  /** When the oldest stored event happened (epoch ms): the start of the history the hub holds. */
  firstEventAt(): number | undefined {
    // Per home, so each minimum is one look into the (home_id, ts) index rather than a scan of every event.
    const row = this.db
      .prepare('SELECT MIN((SELECT MIN(ts) FROM events WHERE home_id = homes.id)) AS ts FROM homes')
      .get() as { ts: number | null };
    return row.ts ?? undefined;
  }

  /** When the home's first event before `before` happened: one look into the (home_id, ts) index. */
  firstEventBefore(homeId: string, before: number): number | undefined {
    const row = this.db
      .prepare('SELECT MIN(ts) AS ts FROM events WHERE home_id = ? AND ts < ?')
      .get(homeId, before) as {
      ts: number | null;
    };
    return row.ts ?? undefined;
  }

  /** The newest sequence number, 0 when the journal is empty. */
  headSeq(): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM events').get() as { seq: number | null };
    return row.seq ?? 0;
  }

  /** Commits every event still waiting, now: the hub is stopping, and the file closes next. */
  drain(): void {
    while (this.#pending.length > 0) this.#flush();
  }

  #flush(): void {
    const group = this.#pending.splice(0, GROUP_LIMIT);
    if (this.#pending.length > 0) setImmediate(() => this.#flush());
    else this.#flushScheduled = false;
    // Drained before its turn came (the hub stopped).
    if (group.length === 0) return;
    let results: (StoredEvent | undefined)[];
    try {
      results = this.#commitGroup(group);
    } catch (error) {
      // Nothing of the group was stored (one transaction): every publisher is refused, none acked.
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, index) => pending.resolve(results[index]));
    this.onCommitted();
  }

  #write({ homeId, deviceId, event, receivedAt }: JournalEntry): StoredEvent | undefined {
    const { id, ts, type, ...data } = event;
    const serialised = JSON.stringify(data);
    const result = this.#insert.run(homeId, deviceId, id, type, ts, receivedAt, serialised);
    if (result.changes === 0) return undefined;
    this.#touchDevice.run(receivedAt, receivedAt, event.battery ?? null, deviceId);
    // The event as a reader of its row will see it, from the fields just serialised rather than parsed back.
    const seq = Number(result.lastInsertRowid);
    return { seq, homeId, deviceId, eventId: id, type, ts, receivedAt, data } as StoredEvent;
  }
}
