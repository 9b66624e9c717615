import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { deviceTopic, parseTopic, type ParsedTopic } from '@mimamori/contract';
import { createMetrics } from '../metrics/index.js';
import { EventJournal, openDatabase, type StoredEvent } from '../store/index.js';
import { ManualClock } from '../time/index.js';
import { Ingest } from './ingest.js';

const NOW = Date.parse('2026-11-23T09:00:00+09:00');
const device = { deviceId: 'spk-1', homeId: 'home-1', kind: 'speaker' as const };
const topic = parseTopic(deviceTopic('home-1', 'spk-1', 'event')) as ParsedTopic;
const event = (id: string) => Buffer.from(JSON.stringify({ id, ts: NOW, type: 'motion', occupied: true }));

/** An ingest over a real journal in memory, with `onStored` writing a row of its own per event, as the rules engine does. */
function ingestWith(onStored: (event: StoredEvent, db: ReturnType<typeof openDatabase>) => void) {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE consumed (seq INTEGER PRIMARY KEY)');
  const commits: number[] = [];
  const journal = new EventJournal(db);
  const realCommitTogether = journal.commitTogether.bind(journal);
  journal.commitTogether = <T>(work: () => T): T => {
    commits.push(0);
    return realCommitTogether(() => {
      const result = work();
      commits[commits.length - 1] = (db.prepare('SELECT COUNT(*) AS n FROM consumed').get() as { n: number }).n;
      return result;
    });
  };
  const ingest = new Ingest({
    journal,
    devices: { setOnline: () => {}, byZ2mName: () => undefined },
    onStored: (stored) => db.transaction(() => onStored(stored, db))(),
    onStatus: () => {},
    clock: new ManualClock(NOW),
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
  });
  return { ingest, db, commits };
}

describe('ingest hand-over to the rules', () => {
  it('hands the events of one journal group to onStored together, in journal order, in one commit', async () => {
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
    expect(commits).toEqual([3]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM consumed').get() as { n: number }).n).toBe(3);
  });

  it('refuses only the message whose handling failed; the rest of its group is kept', async () => {
    const { ingest, db } = ingestWith((stored, database) => {
      database.prepare('INSERT INTO consumed (seq) VALUES (?)').run(stored.seq);
      if (stored.eventId === 'bad') throw new Error('rule failed');
    });
    const outcomes = await Promise.allSettled(['ok-1', 'bad', 'ok-2'].map((id) => ingest.receive(device, topic, event(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The failed event's own writes were rolled back (its savepoint), the others committed.
    expect((db.prepare('SELECT seq FROM consumed ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq)).toEqual([1, 3]);
  });
});
