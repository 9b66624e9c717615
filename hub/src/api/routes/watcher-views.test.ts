import type { HomeOverview, WatchedHome } from '@mimamori/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectTestDevice, type TestDevice } from '../../testing/device-client.js';
import { provisionDevice, staffClient, startTestHub } from '../../testing/test-hub.js';
import { until } from '../../testing/until.js';

type Api = Awaited<ReturnType<typeof staffClient>>;

/** Reads server-sent events from /api/stream with a session cookie, collecting the `alert` events' data. */
async function openStream(http: string, credentials: { username: string; password: string }) {
  const login = await fetch(`${http}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const abort = new AbortController();
  const response = await fetch(`${http}/api/stream`, { headers: { cookie }, signal: abort.signal });
  const alerts: { homeId: string; rule: string; status: string; message: { ja: string } }[] = [];
  let ended = false;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (frame.startsWith('event: alert') && data)
            alerts.push(JSON.parse(data.slice(6)) as (typeof alerts)[number]);
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    alerts,
    cookie,
    ended: () => ended,
    async close() {
      abort.abort();
      await reading;
    },
  };
}

describe('what watchers see: their homes, the overview as consent allows, the live stream', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let api: Api;
  let volunteer: Api;
  let sato: TestDevice;
  let kato: TestDevice;

  beforeEach(async () => {
    ctx = await startTestHub();
    api = await staffClient(ctx.http);
    sato = await connectTestDevice(ctx, await provisionDevice(api, { homeId: 'h-sato', deviceId: 'sato-sos' }));
    kato = await connectTestDevice(ctx, await provisionDevice(api, { homeId: 'h-kato', deviceId: 'kato-sos' }));
    await api('PATCH', '/api/homes/h-sato', {
      address: '岐阜市本町1-2-3',
      responsePlan: { keyHolder: '隣の田中さん', entryConsent: true, medicalNotes: '糖尿病' },
    });
    const tanaka = (
      await api('POST', '/api/users', {
        username: 'tanaka',
        displayName: '田中 一郎',
        role: 'volunteer',
        password: 'tanaka-password-1',
        affiliation: '民生委員',
      })
    ).body as { id: string };
    await api('PUT', '/api/homes/h-sato/network', {
      tiers: [{ name: '近隣', watchers: [tanaka.id], ackTimeoutMinutes: 15 }],
      reason: 'test',
    });
    volunteer = await staffClient(ctx.http, { username: 'tanaka', password: 'tanaka-password-1' });
    await api('POST', '/api/devices', { id: 'sato-motion', homeId: 'h-sato', kind: 'motion' });
    const motion = await connectTestDevice(
      ctx,
      (await api('POST', '/api/devices/sato-motion/credentials')).body as {
        username: string;
        password: string;
        topicPrefix: string;
      },
    );
    await motion.publish({ type: 'motion', occupied: true, room: 'living' });
    // Neither the PIR clearing itself nor a meter's standby reading is anybody: the chart counts activity only.
    await motion.publish({ type: 'motion', occupied: false, room: 'living' });
    await motion.publish({ type: 'power', watts: 3 });
    await motion.end();
    ctx.clock.advance(60_000);
  });

  afterEach(async () => {
    await Promise.all([sato.end(), kato.end()]);
    await ctx.stop();
  });

  it('lists a volunteer’s homes with their tier and who lives there, audited, and every home for staff', async () => {
    const mine = (await volunteer('GET', '/api/watching')).body as { items: WatchedHome[] };
    // Who lives there tells two homes of the same name apart on an alert card (issue 20).
    expect(mine.items).toEqual([
      {
        id: 'h-sato',
        name: 'h-sato 宅',
        district: null,
        residents: [{ id: 'h-sato-r1', name: '佐藤 ハナ', reading: null }],
        tiers: [1],
      },
    ]);
    const admin = await staffClient(ctx.http, { username: 'admin', password: 'mimamori-demo-admin' });
    const audit = (await admin('GET', '/api/audit?action=homes.watching')).body as {
      items: { actor: string; action: string }[];
    };
    expect(audit.items).toContainEqual(expect.objectContaining({ actor: 'tanaka', action: 'homes.watching' }));
    const all = (await api('GET', '/api/watching')).body as { items: WatchedHome[] };
    expect(all.items.map((h) => h.id)).toEqual(expect.arrayContaining(['h-sato', 'h-kato']));
    // Staff read every home's residents at once; each home still gets its own.
    expect(all.items.find((h) => h.id === 'h-kato')).toMatchObject({
      residents: [{ id: 'h-kato-r1' }],
      tiers: [],
    });
  });

  it('gives a volunteer the emergency minimum without consent, more with it, and nothing of a home outside the network', async () => {
    const bare = await volunteer('GET', '/api/homes/h-sato/overview');
    expect(bare.status).toBe(200);
    const minimum = bare.body as HomeOverview;
    expect(minimum.home.address).toBe('岐阜市本町1-2-3');
    expect(minimum.responsePlan).toEqual({ keyHolder: '隣の田中さん', entryConsent: true });
    expect(minimum.watchers).toEqual([
      { tier: 1, tierName: '近隣', displayName: '田中 一郎', affiliation: '民生委員' },
    ]);
    expect(minimum).toMatchObject({ recentCheckins: null, activityByHour: null });

    await api('PATCH', '/api/homes/h-sato', { consent: { health: true, activity: true, medical: true } });
    const shared = (await volunteer('GET', '/api/homes/h-sato/overview')).body as HomeOverview;
    expect(shared.responsePlan.medicalNotes).toBe('糖尿病');
    expect(shared.recentCheckins).toEqual([]);
    expect(shared.activityByHour).toHaveLength(7 * 24);
    expect(shared.activityByHour?.reduce((sum, h) => sum + h.count, 0)).toBe(1);

    expect((await volunteer('GET', '/api/homes/h-kato/overview')).status).toBe(403);
    const admin = await staffClient(ctx.http, { username: 'admin', password: 'mimamori-demo-admin' });
    const audit = (await admin('GET', '/api/audit?homeId=h-sato')).body as {
      items: { actor: string; action: string }[];
    };
    expect(audit.items.filter((row) => row.actor === 'tanaka' && row.action === 'home.overview')).toHaveLength(2);
  });

  it('lets a volunteer register an absence for their home, not for another', async () => {
    const until = new Date(ctx.clock.now() + 3 * 86_400_000).toISOString();
    const created = await volunteer('POST', '/api/homes/h-sato/absences', { endsAt: until, reason: 'hospital' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ homeId: 'h-sato', reason: 'hospital', createdBy: 'tanaka' });
    expect((await volunteer('POST', '/api/homes/h-kato/absences', { endsAt: until, reason: 'trip' })).status).toBe(403);
    expect((await volunteer('GET', '/api/homes/h-kato/absences')).status).toBe(403);
  });

  it('streams alert changes of the volunteer’s homes only, ends when they log out, and does not hold up the hub’s shutdown', async () => {
    const staffStream = await openStream(ctx.http, { username: 'staff', password: 'mimamori-demo-staff' });
    const stream = await openStream(ctx.http, { username: 'tanaka', password: 'tanaka-password-1' });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');

    await kato.publish({ type: 'sos', via: 'button' });
    await sato.publish({ type: 'sos', via: 'button' });
    await until(
      () => staffStream.alerts.length,
      (n) => n === 2,
    );
    await until(
      () => stream.alerts.length,
      (n) => n >= 1,
    );
    const alerts = (await api('GET', '/api/alerts?homeId=h-sato')).body as { items: { id: string }[] };
    await api('POST', `/api/alerts/${alerts.items[0]?.id}/ack`);
    await until(
      () => stream.alerts.length,
      (n) => n === 2,
    );
    expect(stream.alerts.map((a) => [a.homeId, a.rule, a.status])).toEqual([
      ['h-sato', 'sos', 'open'],
      ['h-sato', 'sos', 'acknowledged'],
    ]);

    await fetch(`${ctx.http}/api/auth/logout`, { method: 'POST', headers: { cookie: stream.cookie } });
    // The next change anywhere finds the session gone and ends the stream.
    const katoAlert = ((await api('GET', '/api/alerts?homeId=h-kato')).body as { items: { id: string }[] }).items[0];
    await api('POST', `/api/alerts/${katoAlert?.id}/resolve`, { outcome: 'false_alarm_other' });
    await until(
      () => stream.ended(),
      (ended) => ended,
    );
    await stream.close();

    await ctx.hub.stop();
    await until(
      () => staffStream.ended(),
      (ended) => ended,
    );
  });
});
