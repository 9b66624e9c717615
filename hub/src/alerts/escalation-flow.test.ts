import { afterEach, describe, expect, it } from 'vitest';
import type { MonthlyReport } from '@mimamori/contract';
import { connectTestDevice } from '../testing/device-client.js';
import { startSmtpServer, startWebhookReceiver } from '../testing/receivers.js';
import { provisionDevice, staffClient, startTestHub } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

const MINUTE = 60_000;
const SECRET = 'webhook-secret-0123456789';
/** 10:00 in Tokyo on a weekday: the office tier is reachable. */
const MORNING = Date.parse('2026-11-24T01:00:00Z');

type Api = Awaited<ReturnType<typeof staffClient>>;

/**
 * A home with a speaker and an SOS button, a volunteer (tier 1, 15 min) and a staff member
 * (tier 2, 30 min), each with an e-mail address; tier 1 also has a LINE-group bridge webhook.
 */
async function setUpHome(api: Api, http: string) {
  const creds = await provisionDevice(api, { homeId: 'h-sato', deviceId: 'sato-btn' });
  await api('PATCH', '/api/homes/h-sato', {
    name: '佐藤さん宅',
    address: '岐阜市本町1-2-3',
    responsePlan: { keyHolder: '隣の田中さん', entryConsent: true, medicalNotes: '糖尿病' },
  });
  await api('POST', '/api/devices', { id: 'sato-speaker', homeId: 'h-sato', kind: 'speaker' });
  const speakerCreds = (await api('POST', '/api/devices/sato-speaker/credentials')).body as {
    username: string;
    password: string;
    topicPrefix: string;
  };
  const volunteer = (
    await api('POST', '/api/users', {
      username: 'tanaka',
      displayName: '田中 一郎',
      role: 'volunteer',
      password: 'tanaka-password-1',
      email: 'tanaka@example.jp',
      affiliation: '民生委員',
    })
  ).body as { id: string };
  const officer = (
    await api('POST', '/api/users', {
      username: 'suzuki',
      displayName: '鈴木 花子',
      role: 'volunteer',
      password: 'suzuki-password-1',
      email: 'suzuki@example.jp',
      affiliation: '社協',
    })
  ).body as { id: string };
  const network = await api('PUT', '/api/homes/h-sato/network', {
    tiers: [
      { name: '近隣・民生委員', watchers: [volunteer.id], webhooks: ['line-tier1'], ackTimeoutMinutes: 15 },
      { name: '社協', watchers: [officer.id], ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
    ],
    criticalTiersAtOnce: 1,
    ackReminderMinutes: 60,
    announceOnAck: true,
    reason: '民生委員の田中さんが担当になったため',
  });
  expect(network.status).toBe(200);
  return {
    creds,
    speakerCreds,
    volunteer: await staffClient(http, { username: 'tanaka', password: 'tanaka-password-1' }),
  };
}

describe('alerts reach the watch-over network (hub, broker, SMTP server and webhook receivers in one process)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('tells tier 1 by webhook and e-mail at once, tier 2 at the timeout, stops at "向かいます" with an announcement, and reports the outcome', async () => {
    const smtp = await startSmtpServer();
    const tier1Hook = await startWebhookReceiver();
    cleanups.push(smtp.close, tier1Hook.close);
    const ctx = await startTestHub({
      now: MORNING,
      smtp: { url: smtp.url, from: '見守りハブ <hub@example.jp>' },
      webhooks: [{ url: tier1Hook.url, secret: SECRET, name: 'line-tier1', tiersOnly: true }],
    });
    cleanups.push(() => ctx.stop());
    const api = await staffClient(ctx.http);
    const { creds, speakerCreds, volunteer } = await setUpHome(api, ctx.http);
    const button = await connectTestDevice(ctx, creds);
    const speaker = await connectTestDevice(ctx, speakerCreds);
    cleanups.push(button.end, speaker.end);

    await button.publish({ type: 'sos', via: 'button' });
    // The hub's clock has not moved: these went out at once, not after a retry or a timer.
    const hooked = await until(
      () => tier1Hook.delivered(),
      (d) => d.length === 1,
    );
    expect(hooked[0]).toMatchObject({
      event: 'alert.opened',
      text: expect.stringMatching(/^【緊急】佐藤さん宅\nSOSボタン/),
    });
    const [mail] = await until(
      () => smtp.to('tanaka@example.jp'),
      (m) => m.length === 1,
    );
    expect(mail?.subject).toBe('【緊急】佐藤さん宅');
    expect(mail?.text).toContain('SOSボタンが押されました');
    expect(mail?.text).toContain('住所: 岐阜市本町1-2-3');
    expect(mail?.text).toContain('鍵: 隣の田中さん');
    expect(mail?.text).not.toContain('糖尿病');
    expect(mail?.text).toMatch(/#\/alerts\/a_/);
    expect(smtp.to('suzuki@example.jp')).toEqual([]);

    ctx.clock.advance(15 * MINUTE - 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.to('suzuki@example.jp')).toEqual([]);
    ctx.clock.advance(1);
    const [escalated] = await until(
      () => smtp.to('suzuki@example.jp'),
      (m) => m.length === 1,
    );
    expect(escalated?.text).toContain('まだ誰も対応していません。');

    const [alert] = ((await volunteer('GET', '/api/alerts')).body as { items: { id: string }[] }).items;
    expect(await volunteer('POST', `/api/alerts/${alert?.id}/ack`)).toMatchObject({
      status: 200,
      body: { status: 'acknowledged', acknowledgedBy: 'tanaka' },
    });
    const announced = await until(
      () => speaker.commands.filter((c) => c.type === 'announce'),
      (c) => c.length === 1,
    );
    expect(announced[0]).toMatchObject({
      type: 'announce',
      text: '民生委員の田中 一郎さんが向かっています。もう少しお待ちください。',
      lang: 'ja',
    });
    const [taken] = await until(
      () => smtp.to('suzuki@example.jp').slice(1),
      (m) => m.length === 1,
    );
    expect(smtp.to('tanaka@example.jp')).toHaveLength(1);
    expect(taken?.text).toContain('田中 一郎さんが向かっています。');
    // The link opens the dashboard where it really listens (the test hub asks for port 0).
    expect(taken?.text).toContain(`${ctx.http}/#/alerts/${alert?.id}`);

    // Acknowledged: nobody else is told when tier 2's timeout would have passed. (Other rules
    // may alert meanwhile, since the home is quiet; only this alert's messages count here.)
    ctx.clock.advance(30 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const aboutSos = () =>
      smtp.mails.filter((m) => m.text.includes(`#/alerts/${alert?.id}`)).map((m) => `${m.to} ${m.subject}`);
    expect(aboutSos()).toEqual([
      'tanaka@example.jp 【緊急】佐藤さん宅',
      'suzuki@example.jp 【緊急】佐藤さん宅',
      'suzuki@example.jp 【対応中】佐藤さん宅',
    ]);

    expect(
      await volunteer('POST', `/api/alerts/${alert?.id}/resolve`, {
        outcome: 'fine',
        note: '転んで起き上がれなかったが、けがはなし',
      }),
    ).toMatchObject({ status: 200 });
    expect(await until(aboutSos, (m) => m.length === 4)).toContain('suzuki@example.jp 【対応済】佐藤さん宅');
    const detail = (await api('GET', `/api/alerts/${alert?.id}`)).body as {
      timeline: { kind: string; actor: string | null; detail: unknown }[];
    };
    expect(detail.timeline.map((t) => t.kind)).toEqual(['opened', 'escalated', 'acknowledged', 'resolved']);

    const report = (await api('GET', '/api/reports/monthly?month=2026-11')).body as MonthlyReport;
    expect(report.alerts.byRule).toContainEqual({ rule: 'sos', severity: 'critical', count: 1 });
    expect(report.outcomes.find((o) => o.rule === 'sos')).toMatchObject({
      resolved: 1,
      autoResolved: 0,
      falseAlarmShare: 1,
      byOutcome: { fine: 1, hospital: 0 },
    });
    expect(report.response.toAcknowledge).toEqual({ count: 1, median: 15, p90: 15 });
    expect(report.response.toResolve).toEqual({ count: 1, median: 45, p90: 45 });
    const csv = await api('GET', '/api/reports/monthly.csv?month=2026-11');
    expect(csv.body).toMatch(/^section,item,value\r\n/);
    expect(csv.body).toContain('outcomes,sos fine,1\r\n');

    const audit = (
      await (
        await staffClient(ctx.http, { username: 'admin', password: 'mimamori-demo-admin' })
      )('GET', '/api/audit?homeId=h-sato')
    ).body as { items: { actor: string; action: string }[] };
    expect(audit.items.map((e) => `${e.actor} ${e.action}`)).toEqual(
      expect.arrayContaining(['staff home.update', 'staff network.update', 'staff alert.view']),
    );
  });

  it('keeps escalating while the webhook fails (500, then 429 with Retry-After), and delivers every notification once it recovers', async () => {
    const smtp = await startSmtpServer();
    let failing = true;
    const bridge = await startWebhookReceiver((n) =>
      !failing ? { status: 200 } : n % 2 === 0 ? { status: 500 } : { status: 429, headers: { 'retry-after': '120' } },
    );
    cleanups.push(smtp.close, bridge.close);
    const ctx = await startTestHub({
      now: MORNING,
      smtp: { url: smtp.url, from: 'hub@example.jp' },
      webhooks: [
        { url: bridge.url, secret: SECRET },
        { url: 'http://127.0.0.1:9/unused', secret: SECRET, name: 'line-tier1', tiersOnly: true },
      ],
    });
    cleanups.push(() => ctx.stop());
    const api = await staffClient(ctx.http);
    const { creds } = await setUpHome(api, ctx.http);
    const button = await connectTestDevice(ctx, creds);
    cleanups.push(button.end);

    await button.publish({ type: 'sos', via: 'button' });
    await until(
      () => bridge.received,
      (r) => r.length >= 1,
    );
    for (let minute = 0; minute < 16; minute++) {
      ctx.clock.advance(MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    // The bridge has refused everything so far, yet tier 2 was told on time by e-mail.
    await until(
      () => smtp.to('suzuki@example.jp'),
      (m) => m.length === 1,
    );
    expect(bridge.delivered()).toEqual([]);
    expect(bridge.received.map((r) => r.status)).toEqual(expect.arrayContaining([500, 429]));

    failing = false;
    for (let step = 0; step < 20 && bridge.delivered().length < 2; step++) {
      ctx.clock.advance(2 * MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const delivered = bridge.delivered();
    expect(delivered.map((d) => d.event).sort()).toEqual(['alert.escalated', 'alert.opened']);
    // Each transition is one delivery key, however often it was tried.
    const keys = new Set(bridge.received.map((r) => r.headers['x-mimamori-delivery']));
    expect(keys.size).toBe(2);
  });

  it('shows a volunteer only their network’s alerts, and keeps escalating an alert that was open before an absence was registered', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const ctx = await startTestHub({
      now: MORNING,
      smtp: { url: smtp.url, from: 'hub@example.jp' },
      webhooks: [{ url: 'http://127.0.0.1:9/unused', secret: SECRET, name: 'line-tier1', tiersOnly: true }],
    });
    cleanups.push(() => ctx.stop());
    const api = await staffClient(ctx.http);
    const { creds, volunteer } = await setUpHome(api, ctx.http);
    const button = await connectTestDevice(ctx, creds);
    const elsewhere = await connectTestDevice(
      ctx,
      await provisionDevice(api, { homeId: 'h-other', deviceId: 'other-btn' }),
    );
    cleanups.push(button.end, elsewhere.end);
    await button.publish({ type: 'sos', via: 'button' });
    await elsewhere.publish({ type: 'sos', via: 'button' });
    await until(
      () => smtp.to('tanaka@example.jp'),
      (m) => m.length === 1,
    );

    // The volunteer sees the alerts of their network's homes only, in the words consent allows.
    const all = ((await api('GET', '/api/alerts')).body as { items: { id: string; homeId: string }[] }).items;
    const mine = (
      (await volunteer('GET', '/api/alerts')).body as { items: { homeId: string; message: { ja: string } }[] }
    ).items;
    expect(mine).toEqual([
      expect.objectContaining({
        homeId: 'h-sato',
        message: { ja: 'SOSボタンが押されました', en: 'The SOS button was pressed' },
      }),
    ]);
    const other = all.find((a) => a.homeId === 'h-other')?.id;
    expect(await volunteer('GET', `/api/alerts/${other}`)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await volunteer('POST', `/api/alerts/${other}/ack`)).toMatchObject({ status: 403 });
    expect(await volunteer('GET', '/api/homes/h-sato')).toMatchObject({ status: 403 });

    // The volunteer who heard of the hospital stay registers it; not so for a home outside their network.
    const endsAt = new Date(MORNING + 7 * 24 * 60 * MINUTE).toISOString();
    expect(await volunteer('POST', '/api/homes/h-other/absences', { reason: 'trip', endsAt })).toMatchObject({
      status: 403,
    });
    const absence = await volunteer('POST', '/api/homes/h-sato/absences', { reason: 'hospital', endsAt });
    expect(absence).toMatchObject({ status: 201, body: { createdBy: 'tanaka' } });
    ctx.clock.advance(15 * MINUTE);
    const [escalated] = await until(
      () => smtp.to('suzuki@example.jp'),
      (m) => m.length === 1,
    );
    expect(escalated?.text).toContain('まだ誰も対応していません。');
    expect(((await api('GET', '/api/alerts?status=open')).body as { items: { rule: string }[] }).items).toContainEqual(
      expect.objectContaining({ rule: 'sos' }),
    );
  });
});
