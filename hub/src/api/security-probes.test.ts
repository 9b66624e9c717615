import { join } from 'node:path';
import type { Alert, AuditEntry } from '@mimamori/contract';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFrom } from '../testing/http-from.js';
import { startTestHub } from '../testing/test-hub.js';
import { setUpWatchedHomes, type WatchedHomes } from '../testing/watched-homes.js';

/**
 * What the outside probe of issue 23 ran out of time for, and what it found, against a real
 * hub: sessions, login timing, another network's alerts, push subscriptions, refused reads in
 * the audit, poisoned JSON keys. (The consent-limited fields of every response are held by
 * authorization-matrix.test.ts, route by route; webhook targets by config/webhook-target.test.ts.)
 */
describe('security probes (issue 23)', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let homes: WatchedHomes;

  const call = (method: string, path: string, options: Parameters<typeof httpFrom>[3] = {}) =>
    httpFrom(ctx.http, method, path, options);
  const setCookie = (answer: { headers: Record<string, string | string[] | undefined> }) =>
    [answer.headers['set-cookie']].flat()[0];
  const auditRows = async (homeId: string) =>
    ((await homes.clients.admin('GET', `/api/audit?homeId=${homeId}`)).body as { items: AuditEntry[] }).items;

  beforeAll(async () => {
    ctx = await startTestHub();
    homes = await setUpWatchedHomes(ctx);
  });
  afterAll(async () => {
    await homes?.end();
    await ctx?.stop();
  });

  it('never keeps a session id that was set before the login (session fixation)', async () => {
    const planted = 'mimamori_session=attacker-chose-this-token';
    const login = await call('POST', '/api/auth/login', {
      body: { username: 'staff', password: 'mimamori-demo-staff' },
      cookie: planted,
    });
    expect(login.status).toBe(200);
    expect(setCookie(login)).toMatch(/^mimamori_session=/);
    expect(setCookie(login)).not.toContain('attacker-chose-this-token');
    expect((await call('GET', '/api/me', { cookie: planted })).status).toBe(401);
    expect((await call('GET', '/api/me', { cookie: setCookie(login)?.split(';')[0] })).status).toBe(200);
  });

  it('takes as long to refuse an unknown username as a known one with a wrong password (no user enumeration by timing)', async () => {
    // Timing-sensitive by nature: the bound is loose (a skipped scrypt is ~100× faster), medians of 4 each.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 4; i++) {
      const as = { localAddress: '127.0.0.9' };
      unknown.push(
        (await call('POST', '/api/auth/login', { ...as, body: { username: `nobody-${i}`, password: 'x-wrong-x' } })).ms,
      );
      known.push(
        (await call('POST', '/api/auth/login', { ...as, body: { username: 'minsei', password: 'x-wrong-x' } })).ms,
      );
    }
    expect(median(unknown)).toBeGreaterThan(median(known) / 2);
  });

  it('refuses to acknowledge or resolve an alert of another network by its id, changes nothing, and audits the attempt', async () => {
    const alert = await homes.openAlert('outside');
    const volunteer = homes.clients.volunteer;
    expect((await volunteer('POST', `/api/alerts/${alert.id}/ack`)).status).toBe(403);
    expect((await volunteer('POST', `/api/alerts/${alert.id}/resolve`, { outcome: 'fine' })).status).toBe(403);
    expect((await volunteer('GET', `/api/alerts/${alert.id}`)).status).toBe(403);
    const after = (await homes.clients.staff('GET', `/api/alerts/${alert.id}`)).body as Alert;
    expect(after).toMatchObject({ status: 'open', acknowledgedBy: null });
    const refused = (await auditRows(homes.homeId('outside'))).filter(
      (row) => row.actor === 'minsei' && row.action === 'access.refused',
    );
    expect(refused.length).toBeGreaterThanOrEqual(3);
  });

  it('records a refused read of a home outside the volunteer’s network in the audit log: who, which home, refused', async () => {
    const outside = homes.homeId('outside');
    const before = (await auditRows(outside)).length;
    expect((await homes.clients.volunteer('GET', `/api/homes/${outside}/overview`)).status).toBe(403);
    expect((await homes.clients.family('GET', `/api/homes/${outside}/absences`)).status).toBe(403);
    const rows = (await auditRows(outside)).slice(0, (await auditRows(outside)).length - before);
    expect(rows.map((row) => [row.actor, row.action, row.homeId]).sort()).toEqual([
      ['kazoku', 'access.refused', outside],
      ['minsei', 'access.refused', outside],
    ]);
  });

  it('binds a Web Push subscription to its user: another user cannot remove it', async () => {
    const endpoint = 'https://push.example/send/minsei-phone';
    const subscription = { endpoint, keys: { p256dh: 'BOr0d1Hh3Q', auth: 'c2VjcmV0' } };
    expect((await homes.clients.volunteer('POST', '/api/me/push-subscriptions', subscription)).status).toBe(204);
    expect((await homes.clients.family('DELETE', '/api/me/push-subscriptions', { endpoint })).status).toBe(204);
    // Read where the hub keeps it (its pushes go to whoever owns the row).
    const db = new Database(join(ctx.dataDir, 'mimamori.sqlite'), { readonly: true });
    try {
      const owner = db
        .prepare('SELECT u.username FROM push_subscriptions p JOIN users u ON u.id = p.user_id WHERE p.endpoint = ?')
        .get(endpoint) as { username: string } | undefined;
      expect(owner?.username).toBe('minsei');
    } finally {
      db.close();
    }
  });

  it('names a refused __proto__ or constructor key in the body instead of calling the JSON invalid', async () => {
    const staff = await homes.clients.staff('POST', '/api/homes', {
      id: 'h-proto',
      name: 'x',
      consent: JSON.parse('{"health":true,"constructor":{"prototype":{"polluted":1}}}') as unknown,
    });
    expect(staff).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: expect.stringMatching(/^body\.consent\.constructor: this key is not allowed/),
        },
      },
    });
  });
});
