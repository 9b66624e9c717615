import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetail } from '@mimamori/contract';
import { connectTestDevice, type TestDevice } from '../testing/device-client.js';
import { startSmtpServer } from '../testing/receivers.js';
import { provisionDevice, staffClient, startTestHub } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

/** 10:00 in Tokyo on a weekday: the office tier is reachable. */
const MORNING = Date.parse('2026-11-24T01:00:00Z');

type Api = Awaited<ReturnType<typeof staffClient>>;

/**
 * 「行けなくなりました」 (issue 20): a watcher who said "向かいます" and then cannot go gives the
 * alert back. It is open again, the next tier is told at once (not when the acknowledgement
 * times out, up to two hours later), everyone told so far hears it, and the timeline and the
 * audit log record it. Only the one who claimed it may give it back, or staff for them.
 */
describe('giving an alert back: 行けなくなりました', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let staff: Api;
  let tanaka: Api;
  let yamada: Api;
  let button: TestDevice;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = await startTestHub({ now: MORNING, smtp: { url: smtp.url, from: '見守りハブ <hub@example.jp>' } });
    staff = await staffClient(ctx.http);
    button = await connectTestDevice(ctx, await provisionDevice(staff, { homeId: 'h-sato', deviceId: 'sato-btn' }));
    await staff('PATCH', '/api/homes/h-sato', { name: '佐藤さん宅', address: '岐阜市本町1-2-3' });
    const ids: string[] = [];
    for (const [username, displayName] of [
      ['tanaka', '田中 一郎'],
      ['yamada', '山田 花子'],
      ['suzuki', '鈴木 次郎'],
    ] as const) {
      const created = await staff('POST', '/api/users', {
        username,
        displayName,
        role: 'volunteer',
        password: `${username}-password-1`,
        email: `${username}@example.jp`,
      });
      ids.push((created.body as { id: string }).id);
    }
    expect(
      (
        await staff('PUT', '/api/homes/h-sato/network', {
          tiers: [
            { name: '近隣・民生委員', watchers: [ids[0], ids[1]], ackTimeoutMinutes: 15 },
            { name: '社協', watchers: [ids[2]], ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
          ],
          criticalTiersAtOnce: 1,
          reason: '担当が決まったため',
        })
      ).status,
    ).toBe(200);
    tanaka = await staffClient(ctx.http, { username: 'tanaka', password: 'tanaka-password-1' });
    yamada = await staffClient(ctx.http, { username: 'yamada', password: 'yamada-password-1' });
  });
  afterAll(async () => {
    await button?.end();
    await ctx?.stop();
    await smtp?.close();
  });

  it('opens the alert again, tells the next tier at once and everyone told, and records it; only the claimer or staff may', async () => {
    await button.publish({ type: 'sos', via: 'button' });
    const [opened] = await until(
      () => smtp.to('tanaka@example.jp'),
      (m) => m.length === 1,
    );
    expect(opened?.subject).toBe('【緊急】佐藤さん宅');
    const [alert] = ((await tanaka('GET', '/api/alerts')).body as { items: { id: string }[] }).items;
    const id = alert?.id ?? '';

    // Nobody has it yet: there is nothing to give back.
    expect(await tanaka('POST', `/api/alerts/${id}/release`)).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', problem: 'alert_not_taken' } },
    });
    expect((await tanaka('POST', `/api/alerts/${id}/ack`)).status).toBe(200);
    // Someone else cannot give back 田中さん's claim.
    expect(await yamada('POST', `/api/alerts/${id}/release`)).toMatchObject({
      status: 409,
      body: {
        error: {
          code: 'conflict',
          problem: 'alert_taken_by_other',
          params: { by: 'tanaka', byName: '田中 一郎' },
          message: 'tanaka has acknowledged it; only they can give it back',
        },
      },
    });
    expect(smtp.to('suzuki@example.jp')).toEqual([]);

    expect(await tanaka('POST', `/api/alerts/${id}/release`)).toMatchObject({
      status: 200,
      body: { id, status: 'open', acknowledgedBy: null, acknowledgedAt: null },
    });
    // The hub's clock has not moved: the office hears of it now, not at the 15-minute timeout.
    const [office] = await until(
      () => smtp.to('suzuki@example.jp'),
      (m) => m.length === 1,
    );
    expect(office?.subject).toBe('【緊急】佐藤さん宅');
    expect(office?.text).toContain('田中 一郎さんは行けなくなりました。向かえる方は「向かいます」を押してください。');
    expect(office?.text).toContain('住所: 岐阜市本町1-2-3');
    // Everyone told before hears it too.
    for (const told of ['tanaka@example.jp', 'yamada@example.jp'])
      await until(
        () => smtp.to(told).filter((m) => m.text.includes('行けなくなりました')),
        (m) => m.length === 1,
      );

    const detail = (await staff('GET', `/api/alerts/${id}`)).body as AlertDetail;
    expect(detail.timeline.map((entry) => entry.kind)).toEqual(['opened', 'acknowledged', 'released']);
    expect(detail.timeline[2]).toMatchObject({ actor: 'tanaka', detail: { acknowledgedBy: 'tanaka', tiers: [1] } });
    const audit = (
      await (
        await staffClient(ctx.http, { username: 'admin', password: 'mimamori-demo-admin' })
      )('GET', '/api/audit?action=alert.release')
    ).body as { items: { actor: string; subject: string }[] };
    expect(audit.items).toEqual([expect.objectContaining({ actor: 'tanaka', subject: id })]);

    // 山田さん takes it, then phones the office: staff give it back for her.
    expect((await yamada('POST', `/api/alerts/${id}/ack`)).status).toBe(200);
    expect(await staff('POST', `/api/alerts/${id}/release`)).toMatchObject({ status: 200, body: { status: 'open' } });
    const after = (await staff('GET', `/api/alerts/${id}`)).body as AlertDetail;
    expect(after.timeline.at(-1)).toMatchObject({
      kind: 'released',
      actor: 'staff',
      detail: { acknowledgedBy: 'yamada' },
    });

    // Once it has ended, it stays ended.
    expect((await yamada('POST', `/api/alerts/${id}/ack`)).status).toBe(200);
    expect((await yamada('POST', `/api/alerts/${id}/resolve`, { outcome: 'fine' })).status).toBe(200);
    expect(await yamada('POST', `/api/alerts/${id}/release`)).toMatchObject({
      status: 409,
      body: { error: { problem: 'alert_resolved' } },
    });
  });
});
