import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceTopic, parseTopic, type ParsedTopic } from '@mimamori/contract';
import { createMetrics } from '../metrics/index.js';
import { EventJournal, openDatabase, transactionsOf, type StoredEvent } from '../store/index.js';
import { ManualClock } from '../time/index.js';
import { Ingest } from './ingest.js';
import { StoreUnavailable } from './store-health.js';

const NOW = Date.parse('2026-11-23T09:00:00+09:00');
const device = { deviceId: 'spk-1', homeId: 'home-1', kind: 'speaker' as const };
const topic = parseTopic(deviceTopic('home-1', 'spk-1', 'event')) as ParsedTopic;
const event = (id: string) => Buffer.from(JSON.stringify({ id, ts: NOW, type: 'motion', occupied: true }));

/**
 * An ingest over a real journal (in memory unless a file is given), with `onStored` writing a row
 * of its own per event, as the rules engine does. `commits` has, per group commit, how many rows
 * `onStored` had written by then. `failCommits` makes the next group commits fail at COMMIT (a
 * deferred foreign key checked only then); the log lines are kept.
 */
function ingestWith(onStored: (event: StoredEvent, db: ReturnType<typeof openDatabase>) => void, file = ':memory:') {
  const db = openDatabase(file);
  db.exec(`CREATE TABLE consumed (seq INTEGER PRIMARY KEY);
           CREATE TABLE parent (id INTEGER PRIMARY KEY);
           CREATE TABLE orphan (parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
  const commits: number[] = [];
  const log: { level: number; msg: string }[] = [];
  let failing = 0;
  const journal = new EventJournal(db, () =>
    commits.push((db.prepare('SELECT COUNT(*) AS n FROM consumed').get() as { n: number }).n),
  );
  const ingest = new Ingest({
    journal,
    devices: { setOnline: () => {}, byZ2mName: () => undefined },
    // In a nested transaction of the hub's own, as the engine's: flat inside the group, a savepoint when tried again.
    onStored: (stored) =>
      transactionsOf(db).run(() => {
        onStored(stored, db);
        if (failing > 0) {
          failing -= 1;
          db.prepare('INSERT INTO orphan (parent) VALUES (1)').run();
        }
      }),
    onStatus: () => {},
    clock: new ManualClock(NOW),
    metrics: createMetrics(),
    logger: pino(
      { level: 'debug' },
      { write: (line: string) => log.push(JSON.parse(line) as { level: number; msg: string }) },
    ),
  });
  return { ingest, db, commits, log, failCommits: (n: number) => (failing = n) };
}

const consume = (stored: StoredEvent, db: ReturnType<typeof openDatabase>) =>
  db.prepare('INSERT INTO consumed (seq) VALUES (?)').run(stored.seq);
const consumed = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare('SELECT seq FROM consumed ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
const errors = (log: { level: number; msg: string }[]) =>
  log.filter((line) => line.level >= 50).map((line) => line.msg);

describe('ingest hand-over to the rules', () => {
  it('hands the events of one journal group to onStored in journal order, in the commit that stores them', async () => {
    const seen: number[] = [];
    const { ingest, db, commits } = ingestWith((stored, database) => {
      seen.push(stored.seq);
      database.prepare('INSERT INTO consumed (seq) VALUES (?)').run(stored.seq);
    });
    const outcomes = await Promise.all(['e1', 'e2', 'e3'].map((id) => ingest.receive(device, topic, event(id))));
    expect(outcomes).toEqual(['stored', 'stored', 'stored']);
    expect(seen).toEqual([1, 2, 3]);
    expect(commits).toEqual([3]);
    expect(await ingest.receive(device, topic, event('e2'))).toBe('duplicate');
    expect(commits).toEqual([3, 3]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM consumed').get() as { n: number }).n).toBe(3);
  });

  it('refuses only the message whose handling failed; the rest of its group is kept', async () => {
    const { ingest, db } = ingestWith((stored, database) => {
      database.prepare('INSERT INTO consumed (seq) VALUES (?)').run(stored.seq);
      if (stored.eventId === 'bad') throw new Error('rule failed');
    });
    const outcomes = await Promise.allSettled(
      ['ok-1', 'bad', 'ok-2'].map((id) => ingest.receive(device, topic, event(id))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The failed event's own writes were rolled back (its savepoint), the others committed.
    expect((db.prepare('SELECT seq FROM consumed ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq)).toEqual([
      1, 3,
    ]);
  });
});

describe('ingest of old events', () => {
  it('refuses an event stamped before its device was registered (a replayed buffer, a leaked secret), counted', async () => {
    const { ingest, log } = ingestWith(consume);
    const registered = { ...device, registeredAt: NOW - 86_400_000 };
    const stamped = (id: string, ts: number) => Buffer.from(JSON.stringify({ id, ts, type: 'sos', via: 'button' }));
    expect(await ingest.receive(registered, topic, stamped('in-1970', 0))).toBe('rejected');
    expect(await ingest.receive(registered, topic, stamped('before', NOW - 2 * 86_400_000))).toBe('rejected');
    // Held by the device for a day, but after it was registered: real, and kept.
    expect(await ingest.receive(registered, topic, stamped('held', NOW - 3_600_000))).toBe('stored');
    expect(log.filter((line) => line.msg === 'message rejected')).toHaveLength(2);
    expect(log.at(0)).toMatchObject({ reason: 'before_registration' });
  });
});

describe('ingest when the store fails', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('refuses every message of a group whose commit failed, keeps nothing of it, and stores and evaluates the resends once', async () => {
    const seen: string[] = [];
    const { ingest, db, commits, failCommits } = ingestWith((stored, database) => {
      seen.push(stored.eventId);
      consume(stored, database);
    });
    failCommits(1);
    const refused = await Promise.allSettled(['e1', 'e2'].map((id) => ingest.receive(device, topic, event(id))));
    expect(refused.map((o) => o.status === 'rejected' && o.reason instanceof StoreUnavailable)).toEqual([true, true]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
    expect(consumed(db)).toEqual([]);
    expect(ingest.storeCheck()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('SQLITE_CONSTRAINT') as unknown,
    });

    // The devices send both again: new to the journal, stored and evaluated together, once.
    expect(await Promise.all(['e1', 'e2'].map((id) => ingest.receive(device, topic, event(id))))).toEqual([
      'stored',
      'stored',
    ]);
    expect(consumed(db)).toHaveLength(2);
    expect(seen).toEqual(['e1', 'e2', 'e1', 'e2']);
    expect(ingest.storeCheck()).toEqual({ ok: true });
    expect(await ingest.receive(device, topic, event('e1'))).toBe('duplicate');
    expect(commits).toEqual([2, 2]);
  });

  it('refuses events while another connection holds the write lock, logs that once, and stores them once it is released', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mimamori-ingest-'));
    const file = join(dir, 'hub.sqlite');
    const { ingest, db, log } = ingestWith(consume, file);
    // Not the hub's 5 s: the lock is real, the wait for it need not be.
    db.pragma('busy_timeout = 0');
    const other = openDatabase(file);
    other.exec('BEGIN IMMEDIATE');

    for (const attempt of [1, 2, 3]) {
      const refused = await Promise.allSettled(['e1', 'e2'].map((id) => ingest.receive(device, topic, event(id))));
      expect(
        refused.map((o) => (o.status === 'rejected' && o.reason instanceof StoreUnavailable ? o.reason.code : o)),
        `attempt ${attempt}`,
      ).toEqual(['SQLITE_BUSY', 'SQLITE_BUSY']);
    }
    expect(errors(log)).toEqual([
      expect.stringMatching(/^cannot store events: another program has held a lock on the database/),
    ]);
    expect(ingest.storeCheck().ok).toBe(false);

    other.exec('ROLLBACK');
    other.close();
    expect(await Promise.all(['e1', 'e2'].map((id) => ingest.receive(device, topic, event(id))))).toEqual([
      'stored',
      'stored',
    ]);
    expect(consumed(db)).toEqual([1, 2]);
    expect(ingest.storeCheck()).toEqual({ ok: true });
    expect(log.at(-1)?.msg).toMatch(/^storing events again/);
    db.close();
  });
});
