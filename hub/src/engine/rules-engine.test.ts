import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics/index.js';
import { EventJournal, JournalCursor, RuleStateRepository, openDatabase, transactionsOf } from '../store/index.js';
import { provisionDevice, staffClient, startTestHub } from '../testing/test-hub.js';
import { ManualClock } from '../time/index.js';
import { DeadlineScheduler, type DeadlineAction } from '../deadlines/index.js';
import { RulesEngine } from './rules-engine.js';

describe('rules engine recovery', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>> | undefined;
  afterEach(async () => ctx?.stop());

  it('raises the alert of an SOS that was stored but not yet evaluated when the hub stopped', async () => {
    ctx = await startTestHub();
    await provisionDevice(await staffClient(ctx.http), { homeId: 'home-1', deviceId: 'btn-1' });
    await ctx.stop({ keepData: true });

    // The state a crash between "event committed" and "alert committed" leaves behind.
    const db = openDatabase(join(ctx.dataDir, 'mimamori.sqlite'));
    await new EventJournal(db).append({
      homeId: 'home-1',
      deviceId: 'btn-1',
      receivedAt: Date.now(),
      event: { id: 'sos-1', ts: Date.now(), type: 'sos', via: 'button' },
    });
    db.close();

    ctx = await startTestHub({ dataDir: ctx.dataDir });
    const api = await staffClient(ctx.http);
    expect((await api('GET', '/api/alerts')).body).toMatchObject({
      items: [{ rule: 'sos', homeId: 'home-1', fireCount: 1 }],
    });

    // Evaluated exactly once: a further restart does not raise it again.
    await ctx.stop({ keepData: true });
    ctx = await startTestHub({ dataDir: ctx.dataDir });
    expect(
      ((await (await staffClient(ctx.http))('GET', '/api/alerts')).body as { items: unknown[] }).items,
    ).toHaveLength(1);
  });
});

/**
 * An engine over a real journal in memory whose only work per event is a row a consumer writes in
 * the engine's transaction: the home has no rules, so what is tested is when an event counts as evaluated.
 */
async function engineOverJournal() {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE consumed (seq INTEGER NOT NULL)');
  const journal = new EventJournal(db);
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00+09:00'));
  const noRules = () => {
    throw new Error('the home has no rules');
  };
  const engine = new RulesEngine({
    journal,
    cursor: new JournalCursor(db, 'engine'),
    rules: { forHome: () => [], load: () => {} },
    states: new RuleStateRepository(db),
    presence: { get: () => undefined, put: noRules },
    homes: { get: () => undefined },
    alerts: { raise: noRules, clear: noRules },
    ask: noRules,
    deadlines: new DeadlineScheduler<DeadlineAction>(clock, () => {}),
    liveness: { outage: undefined },
    restartGraceMs: 0,
    transaction: (work) => transactionsOf(db).run(work),
    clock,
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    consumers: [{ onEvent: (event) => db.prepare('INSERT INTO consumed (seq) VALUES (?)').run(event.seq) }],
  });
  const append = async (id: string) => {
    const stored = await journal.append({
      homeId: 'home-1',
      deviceId: 'btn-1',
      receivedAt: clock.now(),
      event: { id, ts: clock.now(), type: 'sos', via: 'button' },
    });
    if (!stored) throw new Error(`${id} was a duplicate`);
    return stored;
  };
  const consumed = () =>
    (db.prepare('SELECT seq FROM consumed ORDER BY rowid').all() as { seq: number }[]).map((r) => r.seq);
  return { db, engine, append, consumed };
}

describe('rules engine after a failed commit', () => {
  it('evaluates an event again when the commit that held its evaluation failed, and only once', async () => {
    const { db, engine, append, consumed } = await engineOverJournal();
    const sos = await append('sos-1');
    // Ingest hands a group over inside one outer transaction; its COMMIT failing (disk full, a lock) rolls back the engine's work.
    const failedCommit = () =>
      transactionsOf(db).run(() => {
        engine.handle(sos);
        throw new Error('database or disk is full');
      });
    expect(failedCommit).toThrow('database or disk is full');
    expect(consumed()).toEqual([]);

    engine.handle(sos);
    engine.handle(sos);
    expect(consumed()).toEqual([sos.seq]);
  });

  it('skips, inside one transaction, an event it has already evaluated there', async () => {
    const { db, engine, append, consumed } = await engineOverJournal();
    const first = await append('sos-1');
    const second = await append('sos-2');
    transactionsOf(db).run(() => [first, second, first].forEach((event) => engine.handle(event)));
    expect(consumed()).toEqual([first.seq, second.seq]);
  });
});
