import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { JournalCursor, EventJournal, EventRetention, openDatabase } from './index.js';

const DAY = 86_400_000;

describe('EventRetention', () => {
  it('deletes raw events older than the retention, and none a reader has not taken yet', async () => {
    const db = openDatabase(':memory:');
    db.prepare(
      "INSERT INTO homes (id, name, timezone, created_at, updated_at) VALUES ('h1', 'x', 'Asia/Tokyo', 0, 0)",
    ).run();
    const clock = new ManualClock(Date.parse('2026-11-23T00:00:00Z'));
    const journal = new EventJournal(db);
    const append = (id: string, daysAgo: number) =>
      journal.append({
        homeId: 'h1',
        deviceId: 'd1',
        receivedAt: clock.now(),
        event: { id, ts: clock.now() - daysAgo * DAY, type: 'heartbeat' },
      });
    // Fabricated history: 30 events 500 to 471 days old, 30 from the last month.
    for (let i = 0; i < 30; i++) await append(`old-${i}`, 500 - i);
    for (let i = 0; i < 30; i++) await append(`new-${i}`, 30 - i);
    const engine = new JournalCursor(db, 'engine');
    const forwarder = new JournalCursor(db, 'influx');
    engine.set(journal.headSeq());
    forwarder.set(10); // the forwarder is behind: it has taken only the first 10 events
    const retention = new EventRetention({
      journal,
      readers: [engine, forwarder],
      retentionDays: 400,
      clock,
      logger: pino({ level: 'silent' }),
    });

    expect(retention.run()).toBe(10);
    forwarder.set(journal.headSeq());
    expect(retention.run()).toBe(20);
    const left = db.prepare('SELECT event_id FROM events ORDER BY seq').pluck().all() as string[];
    expect(left).toEqual(Array.from({ length: 30 }, (_, i) => `new-${i}`));
    expect(retention.run()).toBe(0);
  });
});
