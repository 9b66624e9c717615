import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, BacktestResult, Rule, RuleVersion } from '@mimamori/contract';
import { startTestCore, type ApiClient, type TestCore } from '../testing/test-core.js';
import { provisionDevice } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-11-23 09:00 in Japan. */
const NINE = Date.parse('2026-11-23T09:00:00+09:00');

type Ctx = TestCore;
type Api = ApiClient;

describe('rules API and live rule changes', () => {
  let ctx: Ctx | undefined;
  afterEach(async () => {
    await ctx?.stop();
    ctx = undefined;
  });

  /** A home with a motion sensor (in `room`) whose events the test publishes (with their own timestamps). */
  async function motionHome(hub: Ctx, api: Api, homeId = 'home-1', room = 'motion') {
    const creds = await provisionDevice(api, { homeId, deviceId: `${homeId}-${room}`, kind: 'motion' });
    // Installed a month before now: the history the tests play is the sensor's own (ingest refuses
    // an event stamped before its device was registered).
    hub.stores.db
      .prepare('UPDATE devices SET created_at = ? WHERE id = ?')
      .run(hub.clock.now() - 30 * DAY, creds.username);
    const send = hub.device(creds).publish;
    /**
     * The resident moving about until `ts` (a movement two minutes before, then one at `ts`, which
     * corroborate each other), each time the sensor clearing occupancy by itself 90 s later, as PIR
     * sensors do; or a heartbeat.
     */
    const publish = async (type: 'motion' | 'heartbeat', ts: number) => {
      if (type === 'heartbeat') return void (await send({ ts, type }));
      for (const at of [ts - 2 * MINUTE, ts]) {
        await send({ ts: at, type, occupied: true });
        await send({ ts: at + 90_000, type, occupied: false });
      }
    };
    /** Getting up at `ts`: moving about every few minutes for three quarters of an hour. */
    const morning = async (ts: number) => {
      for (let i = 0; i < 5; i++) await publish('motion', ts + 2 * MINUTE + i * 10 * MINUTE);
    };
    return { publish, morning };
  }
  const alertsOf = async (api: Api, rule: string) =>
    ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items.filter((a) => a.rule === rule);

  it('lists the catalogue’s default rules, validates changes naming the field, and keeps versions to roll back to', async () => {
    ctx = await startTestCore({ now: NINE });
    const api = await ctx.client();
    const rules = ((await api('GET', '/api/rules')).body as { items: Rule[] }).items;
    expect(rules.map((r) => r.id)).toEqual([
      'activity.drop',
      'checkin.concern',
      'checkin.missed',
      'device.battery',
      'device.offline',
      'environment.cold',
      'environment.heat',
      'inactivity',
      'inactivity.24h',
      'night.activity',
      'out.long',
      'silence.unusual',
      'sos',
      'usage.continuous',
      'wake.late',
    ]);
    expect(rules.find((r) => r.id === 'inactivity')).toMatchObject({
      type: 'inactivity',
      severity: 'warning',
      activeHours: { from: '07:00', to: '21:00' },
      version: 1,
      updatedBy: 'system',
    });

    const tooShort = await api('PATCH', '/api/rules/inactivity', { params: { durationMinutes: 5 }, reason: 'try' });
    expect(tooShort).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringMatching(/^body\.params\.durationMinutes: /) } },
    });
    expect(await api('PATCH', '/api/rules/inactivity', { params: { durationMinutes: 600 } })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('reason') } },
    });
    expect(await api('PATCH', '/api/rules/nope', { enabled: false, reason: 'gone' })).toMatchObject({ status: 404 });

    const changed = await api('PATCH', '/api/rules/inactivity', {
      params: { durationMinutes: 600 },
      reason: '社協の合意により10時間に延長',
    });
    expect(changed).toMatchObject({
      status: 200,
      body: { version: 2, params: { durationMinutes: 600 }, updatedBy: 'staff' },
    });
    await api('PATCH', '/api/rules/inactivity', { enabled: false, reason: 'pause during review' });
    const versions = ((await api('GET', '/api/rules/inactivity/versions')).body as { items: RuleVersion[] }).items;
    expect(versions.map((v) => [v.version, v.changedBy, v.reason])).toEqual([
      [3, 'staff', 'pause during review'],
      [2, 'staff', '社協の合意により10時間に延長'],
      [1, 'system', 'default from the rule catalogue'],
    ]);

    const rolledBack = await api('POST', '/api/rules/inactivity/rollback', {
      version: 1,
      reason: 'back to the default',
    });
    expect(rolledBack).toMatchObject({ status: 200, body: { version: 4, enabled: true, params: {} } });
    const [latest] = ((await api('GET', '/api/rules/inactivity/versions')).body as { items: RuleVersion[] }).items;
    expect(latest).toMatchObject({ version: 4, reason: 'back to the default (rollback to version 1)' });

    await api('POST', '/api/homes', { id: 'home-9', name: 'テスト宅' });
    expect(
      await api('PUT', '/api/rules/inactivity/overrides/home-9', {
        params: { durationMinutes: 720 },
        reason: '夜勤の仕事がある方',
      }),
    ).toMatchObject({
      status: 200,
      body: { overrides: [{ homeId: 'home-9', enabled: null, params: { durationMinutes: 720 } }] },
    });
    expect(
      await api('PUT', '/api/rules/inactivity/overrides/home-9', { params: { durationMinutes: 1 }, reason: 'typo' }),
    ).toMatchObject({ status: 400 });
    expect(
      await api('PUT', '/api/rules/inactivity/overrides/nowhere', { params: {}, reason: 'unknown home' }),
    ).toMatchObject({ status: 404 });
    expect(await api('DELETE', '/api/rules/inactivity/overrides/home-9?reason=moved%20away')).toMatchObject({
      status: 200,
      body: { overrides: [] },
    });

    expect(
      await api('POST', '/api/rules', {
        id: 'heat.strict',
        type: 'environment.heat',
        params: { thresholdC: 26 },
        scope: { kind: 'districts', districts: ['中央'] },
        reason: '猛暑対策',
      }),
    ).toMatchObject({ status: 201, body: { id: 'heat.strict', severity: 'warning', version: 1 } });
    expect(
      await api('POST', '/api/rules', { id: 'heat.strict', type: 'environment.heat', reason: 'again' }),
    ).toMatchObject({ status: 409 });
    const types = (await api('GET', '/api/rule-types')).body as {
      items: { type: string; params: { properties: Record<string, { default?: unknown }> } }[];
    };
    expect(types.items.find((t) => t.type === 'environment.heat')?.params.properties.thresholdC).toMatchObject({
      default: 28,
    });
  });

  it('applies a changed duration to a pending inactivity deadline without a restart', async () => {
    ctx = await startTestCore({ now: NINE });
    const api = await ctx.client();
    await api('PATCH', '/api/rules/inactivity', {
      activeHours: null,
      params: { durationMinutes: 60 },
      reason: 'test: one hour',
    });
    const home = await motionHome(ctx, api);
    await home.publish('motion', NINE);

    await api('PATCH', '/api/rules/inactivity', { params: { durationMinutes: 120 }, reason: 'test: two hours' });
    ctx.clock.advance(90 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alertsOf(api, 'inactivity')).toEqual([]);

    ctx.clock.advance(31 * MINUTE);
    const raised = await until(
      () => alertsOf(api, 'inactivity'),
      (a) => a.length > 0,
    );
    expect(raised).toMatchObject([
      {
        status: 'open',
        message: { ja: '最後に動きがあったのは11月23日 09:00です。2時間以上、家の中で動きがありません。' },
      },
    ]);

    await home.publish('motion', ctx.clock.now());
    const cleared = await until(
      async () =>
        ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items.filter((a) => a.rule === 'inactivity'),
      (a) => a[0]?.status === 'auto_resolved',
    );
    expect(cleared).toMatchObject([{ status: 'auto_resolved' }]);
  });

  it('raises an inactivity alert that fell due during a restart of seconds once, after the grace period, marked as detected late', async () => {
    ctx = await startTestCore({ now: NINE, onDisk: true });
    const api = await ctx.client();
    await api('PATCH', '/api/rules/inactivity', {
      activeHours: null,
      params: { durationMinutes: 60 },
      reason: 'test: one hour',
    });
    const home = await motionHome(ctx, api);
    await home.publish('motion', NINE);
    ctx.clock.advance(59 * MINUTE); // 09:59; the deadline (10:00) is still ahead
    await ctx.stop({ keepData: true });

    // Down from 09:59:00 to 10:00:33, across the deadline.
    ctx = await startTestCore({ dataDir: ctx.dataDir, onDisk: true, now: NINE + 60 * MINUTE + 33_000 });
    const again = await ctx.client();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alertsOf(again, 'inactivity')).toEqual([]); // held events may still come in the grace period
    ctx.clock.advance(5_000);
    const raised = await until(
      () => alertsOf(again, 'inactivity'),
      (a) => a.length > 0,
    );
    expect(raised).toMatchObject([
      {
        fireCount: 1,
        message: {
          ja: expect.stringContaining('※ハブ停止（2026-11-23 09:59〜2026-11-23 10:00）のため検知が遅れました。'),
        },
      },
    ]);
    ctx.clock.advance(MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await alertsOf(again, 'inactivity')).map((a) => a.fireCount)).toEqual([1]);
  });

  it('backtests stored history with live and proposed parameters, without touching live alerts', async () => {
    ctx = await startTestCore({ now: NINE });
    const api = await ctx.client();
    const home = await motionHome(ctx, api);
    // A week ago: movement every hour from 07:00 to 21:00, except one day quiet from 09:00 to 21:00.
    const start = NINE - 7 * 24 * HOUR;
    for (let day = 0; day < 5; day++) {
      for (let hour = -2; hour <= 12; hour++) {
        if (day === 2 && hour > 0 && hour < 12) continue;
        await home.publish('motion', start + day * 24 * HOUR + hour * HOUR);
      }
    }
    const before = ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items;
    const body = {
      from: new Date(start - 3 * HOUR).toISOString(),
      to: new Date(start + 4 * 24 * HOUR + 13 * HOUR).toISOString(),
      params: { durationMinutes: 720 },
    };
    // Around the clock, 24 h finds nothing; 11 h would catch the quiet day, and no night (10 h) yet.
    const result = await api('POST', '/api/rules/inactivity.24h/backtest', {
      ...body,
      params: { durationMinutes: 660 },
    });
    expect(result.status).toBe(200);
    const backtest = result.body as BacktestResult;
    expect(backtest).toMatchObject({
      ruleId: 'inactivity.24h',
      homes: 1,
      events: 256,
      live: { total: 0 },
      proposal: { total: 1, perDay: [{ date: '2026-11-18', count: 1 }] },
    });
    expect(backtest.difference?.onlyProposal).toMatchObject([
      { homeId: 'home-1', openedAt: '2026-11-18T11:00:00.000Z', clearedAt: '2026-11-18T12:00:00.000Z' },
    ]);
    // Alone in the home, the proposal's alert would have told the network of an incident of its own.
    expect(backtest.proposal?.incidents).toBe(1);
    // That day another rule really had an incident open (from 09:00Z until its condition was over
    // at 13:00Z): the proposal's alert would have joined it, telling nobody again.
    const silence = ctx.stores.alerts.open(
      {
        homeId: 'home-1',
        residentId: undefined,
        rule: 'silence.unusual',
        severity: 'warning',
        message: { ja: '動きがありません', en: 'No activity' },
        sourceEventSeq: undefined,
        occurredAt: undefined,
        lateReport: false,
      },
      Date.parse('2026-11-18T09:00:00Z'),
      'lead',
    );
    ctx.stores.alerts.setConditionOver(silence.id, Date.parse('2026-11-18T13:00:00Z'));
    const joined = (
      await api('POST', '/api/rules/inactivity.24h/backtest', { ...body, params: { durationMinutes: 660 } })
    ).body as BacktestResult;
    expect(joined.proposal).toMatchObject({ total: 1, incidents: 0 });
    ctx.stores.db.prepare('DELETE FROM alerts WHERE id = ?').run(silence.id);

    // The daytime rule catches the quiet day at 17:00 with its live 8 h; 12 h would just miss it.
    const daytime = (await api('POST', '/api/rules/inactivity/backtest', body)).body as BacktestResult;
    expect(daytime).toMatchObject({
      live: { total: 1, alerts: [{ openedAt: '2026-11-18T08:00:00.000Z' }] },
      proposal: { total: 0 },
    });
    expect(daytime.difference).toMatchObject({ onlyLive: [{ localDate: '2026-11-18' }], onlyProposal: [] });
    expect(((await api('GET', '/api/alerts')).body as { items: Alert[] }).items).toEqual(before);

    expect(
      await api('POST', '/api/rules/inactivity/backtest', { ...body, params: { durationMinutes: 1 } }),
    ).toMatchObject({ status: 400 });
    expect(await api('POST', '/api/rules/inactivity/backtest', { ...body, to: body.from })).toMatchObject({
      status: 400,
    });
    expect(await api('POST', '/api/rules/checkin.missed/backtest', body)).toMatchObject({ status: 400 });
  });

  it('learns a resident’s usual wake-up time from history, after a restart, and alerts when they are late', async () => {
    // Fifteen mornings up at 07:40 give wake.late its baseline (it needs 14 days).
    const today = Date.parse('2026-11-23T00:00:00+09:00');
    ctx = await startTestCore({ now: today + 3 * HOUR, onDisk: true });
    const api = await ctx.client();
    const home = await motionHome(ctx, api);
    for (let day = 15; day >= 1; day--) {
      const midnight = today - day * 24 * HOUR;
      await home.morning(midnight + (7 * 60 + 40) * MINUTE);
      await Promise.all([12 * 60, 19 * 60].map((m) => home.publish('motion', midnight + m * MINUTE)));
    }
    await ctx.stop({ keepData: true });

    // At start-up the baselines are missing, so they are computed at once.
    ctx = await startTestCore({ dataDir: ctx.dataDir, onDisk: true, now: today + 3 * HOUR });
    const again = await ctx.client();
    ctx.clock.advance(8 * HOUR);
    expect((await again('GET', '/api/homes/home-1/baseline')).body).toMatchObject({
      days: 14,
      usualWake: '07:40',
      wakeSpreadMinutes: 10,
      dailyActivity: 14,
      rules: expect.arrayContaining([{ ruleId: 'wake.late', minDays: 14, learning: false }]),
    });
    expect(await again('GET', '/api/homes/nowhere/baseline')).toMatchObject({ status: 404 });
    const late = await until(
      () => alertsOf(again, 'wake.late'),
      (a) => a.length > 0,
    );
    expect(late).toMatchObject([
      {
        severity: 'warning',
        message: { ja: 'いつもは07:40頃に一日の活動が始まりますが、10:40になってもまだ始まっていません。' },
      },
    ]);
  });

  it('backtests a home from its first stored event on: the weeks before its sensors reported are no data, not silence', async () => {
    ctx = await startTestCore({ now: NINE });
    const api = await ctx.client();
    const home = await motionHome(ctx, api);
    // The resident moving about every hour for two days, from three days ago: all the hub holds.
    const first = NINE - 3 * DAY;
    for (let hour = 0; hour < 48; hour++) await home.publish('motion', first + hour * HOUR);
    const backtest = async (from: number) =>
      (
        await api('POST', '/api/rules/inactivity.24h/backtest', {
          from: new Date(from).toISOString(),
          to: new Date(NINE - DAY).toISOString(),
          params: { durationMinutes: 720 },
        })
      ).body as BacktestResult;
    const fromFirst = await backtest(first - HOUR);
    expect(fromFirst).toMatchObject({ live: { total: 0 }, proposal: { total: 0 } });
    // Asked from three weeks back, the replay still starts at the first event and finds the same.
    expect(await backtest(NINE - 21 * DAY)).toMatchObject({
      events: fromFirst.events,
      live: { total: 0 },
      proposal: { total: 0 },
    });
  });

  it('learns without a sensor that died, so that it does not make every morning late (backtest and nightly job alike)', async () => {
    // The bedroom sensor saw the resident get up at 06:00, the living-room sensor saw them from
    // 09:30. The bedroom sensor reports changes only and dies after its morning of 11-17.
    const today = Date.parse('2026-11-23T00:00:00+09:00');
    ctx = await startTestCore({ now: today + 3 * HOUR, onDisk: true });
    const api = await ctx.client();
    const bedroom = await motionHome(ctx, api, 'home-1', 'bedroom');
    const living = await motionHome(ctx, api, 'home-1', 'living');
    for (let day = 25; day >= 1; day--) {
      const midnight = today - day * DAY;
      if (day >= 6) await bedroom.morning(midnight + 6 * 60 * MINUTE);
      await living.morning(midnight + (9 * 60 + 30) * MINUTE);
      await Promise.all([12 * 60, 19 * 60].map((m) => living.publish('motion', midnight + m * MINUTE)));
    }
    // Its longest silence at home was a day, so from three days' silence on (the morning of 11-20)
    // it is presumed dead: the mornings up to then were late by the bedroom's time (09:00, three
    // hours past 06:00).
    const late = (
      await api('POST', '/api/rules/wake.late/backtest', {
        from: '2026-11-17T12:00:00+09:00',
        to: '2026-11-23T00:00:00+09:00',
      })
    ).body as BacktestResult;
    expect(late.live.perDay).toEqual([
      { date: '2026-11-18', count: 1 },
      { date: '2026-11-19', count: 1 },
      { date: '2026-11-20', count: 1 },
    ]);

    // The nightly job learns the same: at start-up the baselines are missing, so they are computed at once.
    await ctx.stop({ keepData: true });
    ctx = await startTestCore({ dataDir: ctx.dataDir, onDisk: true, now: today + 3 * HOUR });
    expect((await (await ctx.client())('GET', '/api/homes/home-1/baseline')).body).toMatchObject({
      days: 24,
      usualWake: '09:30',
      withoutDevices: ['home-1-bedroom'],
    });
  });

  it('asks the resident about a hot room through the speaker first, and alerts only when nobody answers', async () => {
    ctx = await startTestCore({ now: NINE });
    const api = await ctx.client();
    const speakerCreds = await provisionDevice(api, { homeId: 'home-1', deviceId: 'speaker-1', kind: 'speaker' });
    const thermoCreds = await provisionDevice(api, { homeId: 'home-1', deviceId: 'env-1', kind: 'environment' });
    const speaker = ctx.device(speakerCreds);
    const thermometer = ctx.device(thermoCreds);

    await thermometer.publish({ type: 'environment', temperatureC: 30.5 });
    // Thirty minutes over 28 °C: the rule's own deadline asks, without waiting for another reading.
    ctx.clock.advance(31 * MINUTE);
    const [question] = await until(speaker.prompts, (p) => p.length > 0);
    await thermometer.publish({ type: 'environment', temperatureC: 31 });
    expect(question).toMatchObject({
      promptId: expect.stringMatching(/^environment\.heat_/),
      residentId: 'home-1-r1',
      lang: 'ja',
      choices: ['fine', 'unwell', 'help'],
      text: '室温が30.5℃まで上がっています。エアコンをつけて、水分をとりましょう。大丈夫ですか？',
    });
    expect(await alertsOf(api, 'environment.heat')).toEqual([]);

    ctx.clock.advance(16 * MINUTE);
    const raised = await until(
      () => alertsOf(api, 'environment.heat'),
      (a) => a.length > 0,
    );
    expect(raised).toMatchObject([
      {
        severity: 'warning',
        message: { ja: '室温が31.0℃と高い状態が45分続いています。スピーカーで呼びかけましたが、応答がありません。' },
      },
    ]);

    await thermometer.publish({ type: 'environment', temperatureC: 26 });
    const cleared = await until(
      async () =>
        ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items.filter(
          (a) => a.rule === 'environment.heat',
        ),
      (a) => a[0]?.status === 'auto_resolved',
    );
    expect(cleared).toMatchObject([{ status: 'auto_resolved' }]);
  });
});
