import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventJournal, openDatabase } from '../store/index.js';
import { provisionDevice, staffClient, startTestHub } from '../testing/test-hub.js';

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
      homeId: 'home-1', deviceId: 'btn-1', receivedAt: Date.now(), event: { id: 'sos-1', ts: Date.now(), type: 'sos', via: 'button' },
    });
    db.close();

    ctx = await startTestHub({ dataDir: ctx.dataDir });
    const api = await staffClient(ctx.http);
    expect((await api('GET', '/api/alerts')).body).toMatchObject({ items: [{ rule: 'sos', homeId: 'home-1', fireCount: 1 }] });

    // Evaluated exactly once: a further restart does not raise it again.
    await ctx.stop({ keepData: true });
    ctx = await startTestHub({ dataDir: ctx.dataDir });
    expect(((await (await staffClient(ctx.http))('GET', '/api/alerts')).body as { items: unknown[] }).items).toHaveLength(1);
  });
});
