import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, CheckinRecord, CheckinStatus } from '@mimamori/contract';
import { startTestCore, type ApiClient, type TestCore } from '../testing/test-core.js';
import { provisionDevice } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

/**
 * Check-ins end to end through the hub's core and API (SQLite, a manual clock): a speaker
 * receives the prompts and publishes the answers through ingest, as an MQTT speaker's would
 * arrive (the broker itself is tested in hub.test.ts and tests/).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-11-23 08:00 in Tokyo. */
const MORNING = Date.parse('2026-11-23T08:00:00+09:00');
const NINE = MORNING + HOUR;

type Hub = TestCore;
type Api = ApiClient;

let ctx: Hub | undefined;
const devices: ReturnType<Hub['device']>[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.end()));
  await ctx?.stop();
  ctx = undefined;
});

/** Lets commands a clock step queued reach the speakers, so "nothing arrived" is a real observation. */
const settle = () => ctx?.settle();

/** A home with a resident and a speaker that records the commands it receives. */
async function homeWithSpeaker(
  hub: Hub,
  api: Api,
  homeId: string,
  resident: { name?: string; reading?: string; language?: string; missTolerance?: number } = {},
) {
  const creds = await provisionDevice(api, { homeId, deviceId: `${homeId}-speaker`, kind: 'speaker' });
  const residentId = `${homeId}-r1`;
  if (Object.keys(resident).length > 0) await api('PATCH', `/api/homes/${homeId}/residents/${residentId}`, resident);
  return { residentId, creds, ...(await connectSpeaker(hub, creds)) };
}

/** Connects a speaker with its credentials; it is disconnected after the test. */
async function connectSpeaker(hub: Hub, creds: { username: string; password: string; topicPrefix: string }) {
  const device = hub.device(creds);
  devices.push(device);
  return device;
}

/** Alerts of the check-in rules; the test speakers send no heartbeats, so device.offline has its say too. */
const alerts = async (api: Api) =>
  ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items.filter(
    (a) => a.rule.startsWith('checkin.') || a.rule === 'absence.ending',
  );
const status = async (api: Api, residentId: string) =>
  (await api('GET', `/api/residents/${residentId}/checkin-status`)).body as CheckinStatus;
const history = async (api: Api, homeId: string, from = MORNING - DAY, to = MORNING + 7 * DAY) =>
  (
    (
      await api(
        'GET',
        `/api/homes/${homeId}/checkins?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
      )
    ).body as { items: CheckinRecord[] }
  ).items;

/** A staff member who logs in again when a session expires as the clock moves on by days. */
function staffMember(hub: Hub): Api {
  let client: Api | undefined;
  return async (method, path, body) => {
    client ??= await hub.client();
    const response = await client(method, path, body);
    if (response.status !== 401) return response;
    client = await hub.client();
    return client(method, path, body);
  };
}

/** A hub on the manual clock; `onDisk` keeps its data in a directory, to start again on it. */
async function start(now = MORNING, { onDisk = false } = {}) {
  ctx = await startTestCore({ now, onDisk });
  return { hub: ctx, api: staffMember(ctx) };
}

describe('scheduled check-ins', () => {
  it('prompts at 9:00 in natural Japanese, re-prompts twice, and raises one checkin.missed when nobody answers', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1');
    const created = await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    expect(created).toMatchObject({
      status: 201,
      body: {
        windowMinutes: 60,
        reprompts: 2,
        repromptEveryMinutes: 20,
        timezone: 'Asia/Tokyo',
        nextDueAt: new Date(NINE).toISOString(),
      },
    });

    hub.clock.advance(HOUR - 1);
    await settle();
    expect(home.prompts()).toHaveLength(0);
    hub.clock.advance(1);
    const [first] = await until(home.prompts, (p) => p.length === 1);
    expect(first).toMatchObject({
      residentId: home.residentId,
      lang: 'ja',
      choices: ['fine', 'unwell', 'help'],
      items: [],
      text: 'おはようございます、佐藤さん。今日の体調はいかがですか？',
    });
    expect(Date.parse(first?.expiresAt ?? '')).toBe(NINE + HOUR);
    expect(await status(api, home.residentId)).toMatchObject({
      status: 'pending',
      since: new Date(NINE).toISOString(),
    });

    hub.clock.advance(20 * MINUTE);
    await until(home.prompts, (p) => p.length === 2);
    expect(home.prompts()[1]).toMatchObject({
      promptId: first?.promptId,
      text: expect.stringContaining('見守りの確認です'),
    });
    expect(await status(api, home.residentId)).toMatchObject({ status: 'late' });
    hub.clock.advance(20 * MINUTE);
    await until(home.prompts, (p) => p.length === 3);
    hub.clock.advance(20 * MINUTE - 1);
    expect(await alerts(api)).toHaveLength(0);
    hub.clock.advance(1);

    const raised = await until(
      () => alerts(api),
      (a) => a.length > 0,
    );
    expect(raised).toMatchObject([
      { rule: 'checkin.missed', severity: 'warning', homeId: 'home-1', residentId: home.residentId, fireCount: 1 },
    ]);
    expect(raised[0]?.message.ja).toBe('09:00の見守り確認に応答がありませんでした。様子を確認してください。');
    expect(await status(api, home.residentId)).toMatchObject({ status: 'missed', consecutiveMisses: 1 });
    expect(await history(api, 'home-1')).toMatchObject([
      { localDate: '2026-11-23', outcome: 'missed', promptsSent: 3, answer: null },
    ]);
    expect(home.prompts()).toHaveLength(3);
  });

  it('closes the check-in on "fine", stops re-prompting, and records a later repeat and a late answer without effect', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await api('POST', `/api/residents/${home.residentId}/schedules`, {
      cron: '0 9 * * *',
      items: ['health', 'medication'],
    });
    hub.clock.advance(HOUR);
    const [prompt] = await until(home.prompts, (p) => p.length === 1);
    expect(prompt).toMatchObject({
      text: 'おはようございます、佐藤さん。今日の体調はいかがですか？お薬は飲みましたか？',
      items: ['health', 'medication'],
    });

    hub.clock.advance(3 * MINUTE);
    await home.publish({
      type: 'checkin',
      promptId: prompt?.promptId,
      answer: 'fine',
      via: 'voice',
      items: { health: 'ok', medication: 'ok' },
    });
    await until(
      () => status(api, home.residentId),
      (s) => s.status === 'up',
    );
    await home.publish({ type: 'checkin', promptId: prompt?.promptId, answer: 'unwell', via: 'voice' });
    hub.clock.advance(2 * HOUR);
    await settle();

    expect(home.prompts()).toHaveLength(1);
    const rows = await history(api, 'home-1');
    expect(rows).toMatchObject([
      {
        outcome: 'answered',
        answer: 'fine',
        items: { health: 'ok', medication: 'ok' },
        answeredAt: new Date(NINE + 3 * MINUTE).toISOString(),
        lateAnswerAt: null,
      },
    ]);
    // The second answer does not change the record, but "unwell" is still a concern worth a look.
    expect((await alerts(api)).map((a) => a.rule)).toEqual(['checkin.concern']);
    expect(await status(api, home.residentId)).toMatchObject({
      status: 'up',
      lastAnsweredAt: new Date(NINE + 3 * MINUTE).toISOString(),
    });
  });

  it('raises a critical checkin.concern at once for "help", and a warning naming an item answered not_ok', async () => {
    const { hub, api } = await start();
    const helpHome = await homeWithSpeaker(hub, api, 'home-1');
    const itemHome = await homeWithSpeaker(hub, api, 'home-2');
    for (const home of [helpHome, itemHome])
      await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *', items: ['meal'] });
    hub.clock.advance(HOUR);
    await until(
      () => helpHome.prompts().length + itemHome.prompts().length,
      (n) => n === 2,
    );

    await helpHome.publish({
      type: 'checkin',
      promptId: helpHome.prompts()[0]?.promptId,
      answer: 'help',
      via: 'voice',
    });
    await itemHome.publish({
      type: 'checkin',
      promptId: itemHome.prompts()[0]?.promptId,
      answer: 'fine',
      via: 'voice',
      items: { meal: 'not_ok' },
    });
    const raised = await until(
      () => alerts(api),
      (a) => a.length === 2,
    );
    const byHome = Object.fromEntries(raised.map((a) => [a.homeId, a]));
    expect(byHome['home-1']).toMatchObject({
      rule: 'checkin.concern',
      severity: 'critical',
      message: { ja: expect.stringContaining('助けて') },
    });
    expect(byHome['home-2']).toMatchObject({
      rule: 'checkin.concern',
      severity: 'warning',
      message: { ja: expect.stringContaining('「食事」') },
    });
  });

  it('raises an open warning to critical, and notifies again, when "help" follows "unwell"', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await home.publish({ type: 'checkin', answer: 'unwell', via: 'voice' });
    await until(
      () => alerts(api),
      (a) => a.length === 1,
    );
    await home.publish({ type: 'checkin', answer: 'help', via: 'voice' });
    const [raised] = await until(
      () => alerts(api),
      (a) => a[0]?.severity === 'critical',
    );
    expect(raised).toMatchObject({
      rule: 'checkin.concern',
      severity: 'critical',
      fireCount: 2,
      message: { ja: expect.stringContaining('助けて') },
    });
    expect(await alerts(api)).toHaveLength(1);
  });

  it('does not prompt when the resident said おはよう shortly before, and speaks English to an English speaker', async () => {
    const { hub, api } = await start();
    const early = await homeWithSpeaker(hub, api, 'home-1');
    const english = await homeWithSpeaker(hub, api, 'home-2', { name: 'Mary Smith', language: 'en' });
    for (const home of [early, english])
      await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });

    hub.clock.advance(30 * MINUTE);
    await early.publish({ type: 'checkin', answer: 'fine', via: 'button' });
    await settle();
    hub.clock.advance(30 * MINUTE);
    const prompts = await until(english.prompts, (p) => p.length === 1);
    expect(prompts[0]).toMatchObject({ lang: 'en', text: 'Good morning, Mary. How are you feeling today?' });
    await settle();
    expect(early.prompts()).toHaveLength(0);
    expect(await history(api, 'home-1')).toMatchObject([
      { outcome: 'satisfied', satisfiedBy: 'voluntary', answeredAt: new Date(MORNING + 30 * MINUTE).toISOString() },
    ]);
  });

  it('says the name from the reading staff recorded in kana, and refuses a reading not in kana', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1', { name: '東海林 ハナ', reading: 'しょうじ はな' });
    expect((await api('GET', '/api/homes/home-1/residents')).body).toMatchObject({
      items: [{ name: '東海林 ハナ', reading: 'しょうじ はな' }],
    });
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    hub.clock.advance(HOUR);
    const [prompt] = await until(home.prompts, (p) => p.length === 1);
    expect(prompt?.text).toBe('おはようございます、しょうじさん。今日の体調はいかがですか？');

    const path = `/api/homes/home-1/residents/${home.residentId}`;
    const refused = await api('PATCH', path, { reading: 'Shoji' });
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { message: string } }).error.message).toMatch(/^body\.reading: .*hiragana/);
    expect((await api('PATCH', path, { missTolerance: 2 })).body).toMatchObject({ reading: 'しょうじ はな' });
    expect((await api('PATCH', path, { reading: null })).body).toMatchObject({ name: '東海林 ハナ', reading: null });
  });

  it('takes a voluntary check-in during the window as the answer', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    hub.clock.advance(HOUR + 25 * MINUTE);
    await until(home.prompts, (p) => p.length === 2);
    await home.publish({ type: 'checkin', answer: 'fine', via: 'button', residentId: home.residentId });
    await until(
      () => status(api, home.residentId),
      (s) => s.status === 'up',
    );
    hub.clock.advance(HOUR);
    await settle();
    expect(await alerts(api)).toEqual([]);
    expect(await history(api, 'home-1')).toMatchObject([{ outcome: 'answered', promptsSent: 2 }]);
  });

  it('with satisfiedBy activity, counts the resident moving since activityFrom and says so when there was none', async () => {
    const { hub, api } = await start();
    const moving = await homeWithSpeaker(hub, api, 'home-1');
    const still = await homeWithSpeaker(hub, api, 'home-2');
    const spec = { cron: '0 9 * * *', satisfiedBy: 'activity', activityFrom: '05:00', reprompts: 0, windowMinutes: 30 };
    for (const home of [moving, still]) await api('POST', `/api/residents/${home.residentId}/schedules`, spec);
    await moving.publish({ type: 'motion', occupied: true, room: 'living' });
    hub.clock.advance(3 * MINUTE);
    await moving.publish({ type: 'motion', occupied: true, room: 'kitchen' });
    // A sensor reporting "no one here" is not activity, and neither is a power meter's 0 W: the
    // store once counted any power reading, so this home's check-in was never missed (issue 17).
    // Nor is a single trigger in a silent home, which a cat or warm air makes (issue 18.6).
    await still.publish({ type: 'motion', occupied: false, room: 'living' });
    await still.publish({ type: 'power', watts: 0 });
    await still.publish({ type: 'motion', occupied: true, room: 'living' });
    await settle();
    hub.clock.advance(HOUR + 30 * MINUTE);
    const raised = await until(
      () => alerts(api),
      (a) => a.length > 0,
    );

    expect(moving.prompts()).toHaveLength(0);
    expect(await history(api, 'home-1')).toMatchObject([{ outcome: 'satisfied', satisfiedBy: 'activity' }]);
    expect(raised).toMatchObject([{ homeId: 'home-2', rule: 'checkin.missed' }]);
    expect(raised[0]?.message.ja).toContain('05:00以降、センサーの反応もありません。');
  });

  it('alerts only after the resident’s tolerance of consecutive misses (2 days, like 岐阜市)', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1', { missTolerance: 2 });
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    hub.clock.advance(2 * HOUR);
    await until(
      () => status(api, home.residentId),
      (s) => s.status === 'missed',
    );
    expect(await alerts(api)).toEqual([]);

    hub.clock.advance(DAY);
    const raised = await until(
      () => alerts(api),
      (a) => a.length > 0,
    );
    expect(raised[0]?.message.ja).toContain('（2回連続）');
    expect(await status(api, home.residentId)).toMatchObject({ status: 'missed', consecutiveMisses: 2 });
  });
});

describe('absences', () => {
  it('are on the staff board’s list of every resident as on each resident’s own status', async () => {
    const { hub, api } = await start();
    const away = await homeWithSpeaker(hub, api, 'home-1');
    const home = await homeWithSpeaker(hub, api, 'home-2');
    const unscheduled = await homeWithSpeaker(hub, api, 'home-3');
    for (const { residentId } of [away, home])
      await api('POST', `/api/residents/${residentId}/schedules`, { cron: '0 9 * * *' });
    await api('POST', '/api/homes/home-1/absences', {
      reason: 'hospital',
      endsAt: new Date(MORNING + 3 * DAY).toISOString(),
    });
    hub.clock.advance(HOUR + 5 * MINUTE); // 9:05: home-2's check-in is pending, home-1 is away
    await until(home.prompts, (p) => p.length === 1);

    const board = ((await api('GET', '/api/checkin-status')).body as { items: CheckinStatus[] }).items;
    const own = await Promise.all([away, home, unscheduled].map((h) => status(api, h.residentId)));
    expect(own.map((s) => s.status)).toEqual(['absent', 'pending', 'paused']);
    expect(own[0]?.absence).toMatchObject({ reason: 'hospital' });
    expect(board).toHaveLength(3);
    for (const resident of own) expect(board).toContainEqual(resident);
  });

  it('stop prompts while active, are listed with who registered them, remind a day before the end, and end by themselves', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    const endsAt = new Date(MORNING + 2 * DAY).toISOString(); // Wednesday 08:00
    const created = await api('POST', '/api/homes/home-1/absences', { reason: 'hospital', note: '市民病院', endsAt });
    expect(created).toMatchObject({
      status: 201,
      body: { homeId: 'home-1', homeName: 'home-1 宅', reason: 'hospital', active: true, createdBy: 'staff', endsAt },
    });
    expect((await api('GET', '/api/absences')).body).toMatchObject({
      items: [{ id: (created.body as { id: string }).id }],
    });

    hub.clock.advance(2 * HOUR); // Monday 10:00
    await settle();
    expect(home.prompts()).toHaveLength(0);
    expect(await status(api, home.residentId)).toMatchObject({ status: 'absent', absence: { reason: 'hospital' } });

    hub.clock.advance(DAY - 2 * HOUR); // Tuesday 08:00: a day before the end
    const reminder = await until(
      () => alerts(api),
      (a) => a.length > 0,
    );
    expect(reminder).toMatchObject([{ rule: 'absence.ending', severity: 'info' }]);
    expect(reminder[0]?.message.ja).toContain('11月25日 8:00に終わり、見守りを再開します');

    hub.clock.advance(DAY + HOUR); // Wednesday 09:00: ended, prompted again
    await until(home.prompts, (p) => p.length === 1);
    expect((await api('GET', '/api/absences')).body).toEqual({ items: [] });
    expect((await history(api, 'home-1')).map((r) => r.outcome)).toEqual(['absent', 'absent', 'pending']);
    expect(await alerts(api)).toHaveLength(1);
  });

  it('withdraw a prompt already spoken when registered during the window, and can be extended', async () => {
    const { hub, api } = await start();
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    hub.clock.advance(HOUR + 5 * MINUTE);
    const [prompt] = await until(home.prompts, (p) => p.length === 1);
    const created = await api('POST', '/api/homes/home-1/absences', {
      reason: 'day_service',
      endsAt: new Date(NINE + 8 * HOUR).toISOString(),
    });
    await until(
      () => home.commands,
      (c) => c.some((x) => x.type === 'cancel'),
    );
    expect(home.commands.find((c) => c.type === 'cancel')).toMatchObject({ promptId: prompt?.promptId });

    const id = (created.body as { id: string }).id;
    const extended = await api('PATCH', `/api/absences/${id}`, { endsAt: new Date(NINE + 2 * DAY).toISOString() });
    expect(extended).toMatchObject({ status: 200, body: { updatedBy: 'staff', active: true } });
    hub.clock.advance(DAY);
    await settle();
    expect(home.prompts()).toHaveLength(1);
    expect((await history(api, 'home-1')).map((r) => r.outcome)).toEqual(['absent', 'absent']);
    // The reminder follows the new end: a day before Wednesday 09:00.
    const [reminder] = await alerts(api);
    expect(reminder).toMatchObject({ rule: 'absence.ending', openedAt: new Date(NINE + DAY).toISOString() });
  });
});

describe('input errors', () => {
  it.each([
    ['a malformed cron', { cron: 'every morning' }, /body.cron/],
    ['an impossible minute', { cron: '61 9 * * *' }, /body.cron: .*0-59/],
    ['an unknown time zone', { cron: '0 9 * * *', timezone: 'Mars/Olympus' }, /body.timezone/],
    [
      'a window shorter than the re-prompts',
      { cron: '0 9 * * *', windowMinutes: 40 },
      /body.windowMinutes: .*longer than reprompts/,
    ],
    ['an unknown item', { cron: '0 9 * * *', items: ['weather'] }, /body.items/],
  ])('refuses a schedule with %s', async (_name, body, message) => {
    const { api } = await start();
    await api('POST', '/api/homes', { id: 'home-1', name: 'home-1' });
    await api('POST', '/api/homes/home-1/residents', { id: 'r1', name: '佐藤 ハナ' });
    const response = await api('POST', '/api/residents/r1/schedules', body);
    expect(response.status).toBe(400);
    expect((response.body as { error: { message: string } }).error.message).toMatch(message);
    expect((await api('GET', '/api/residents/r1/schedules')).body).toEqual({ items: [] });
  });

  it.each([
    ['no end', { reason: 'trip' }, /endsAt/],
    ['no reason', { endsAt: '2026-11-30T00:00:00Z' }, /reason/],
    ['an end in the past', { reason: 'trip', endsAt: '2026-11-01T00:00:00Z' }, /endsAt: must be in the future/],
  ])('refuses an absence with %s', async (_name, body, message) => {
    const { api } = await start();
    await api('POST', '/api/homes', { id: 'home-1', name: 'home-1' });
    const response = await api('POST', '/api/homes/home-1/absences', body);
    expect(response.status).toBe(400);
    expect((response.body as { error: { message: string } }).error.message).toMatch(message);
  });

  it('keeps the other fields when a PATCH changes one, and refuses one that breaks the window rule', async () => {
    const { api } = await start();
    await api('POST', '/api/homes', { id: 'home-1', name: 'home-1' });
    await api('POST', '/api/homes/home-1/residents', { id: 'r1', name: 'Mary', language: 'en' });
    const { body } = await api('POST', '/api/residents/r1/schedules', {
      cron: '0 9 * * *',
      windowMinutes: 90,
      items: ['sleep'],
    });
    const id = (body as { id: string }).id;
    expect((await api('PATCH', `/api/schedules/${id}`, { cron: '0 19 * * *' })).body).toMatchObject({
      cron: '0 19 * * *',
      windowMinutes: 90,
      items: ['sleep'],
    });
    expect((await api('PATCH', `/api/schedules/${id}`, { reprompts: 5 })).status).toBe(400);
    expect((await api('PATCH', '/api/homes/home-1/residents/r1', { name: 'Mary Smith' })).body).toMatchObject({
      language: 'en',
    });
  });
});

describe('after a restart', () => {
  it('rebuilds open windows from the store and closes those that passed while down once, marked as detected late, after held answers', async () => {
    const { hub, api } = await start(MORNING, { onDisk: true });
    const answering = await homeWithSpeaker(hub, api, 'home-1');
    const silent = await homeWithSpeaker(hub, api, 'home-2');
    for (const home of [answering, silent])
      await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9 * * *' });
    hub.clock.advance(HOUR + 5 * MINUTE);
    const [prompt] = await until(answering.prompts, (p) => p.length === 1);
    await Promise.all(devices.splice(0).map((d) => d.end()));
    await hub.stop({ keepData: true });

    // Down from 09:05 to 11:00: both windows closed meanwhile.
    ctx = await startTestCore({ dataDir: hub.dataDir, onDisk: true, now: NINE + 2 * HOUR });
    const again = staffMember(ctx);
    // The speaker comes back and delivers the answer it held, given at 09:10.
    const speaker = await connectSpeaker(ctx, answering.creds);
    await speaker.publish({
      id: 'held-1',
      ts: NINE + 10 * MINUTE,
      type: 'checkin',
      promptId: prompt?.promptId,
      answer: 'fine',
      via: 'voice',
    });
    await until(
      () => status(again, answering.residentId),
      (s) => s.status === 'up',
    );
    expect(await alerts(again)).toEqual([]);

    ctx.clock.advance(5_000); // the restart grace period
    const raised = await until(
      () => alerts(again),
      (a) => a.length > 0,
    );
    expect(raised).toMatchObject([{ homeId: 'home-2', rule: 'checkin.missed', fireCount: 1 }]);
    expect(raised[0]?.message.ja).toContain('※ハブ停止（2026-11-23 09:05〜2026-11-23 11:00）のため検知が遅れました。');
    expect(await history(again, 'home-2')).toMatchObject([
      { outcome: 'missed', detectedLate: expect.stringMatching(/^hub down from .* to .*/) },
    ]);
    expect(await history(again, 'home-1')).toMatchObject([
      { outcome: 'answered', answeredAt: new Date(NINE + 10 * MINUTE).toISOString() },
    ]);

    // Once: the next day runs normally; only its own miss counts on the open alert.
    ctx.clock.advance(DAY);
    await until(
      () => status(again, silent.residentId),
      (s) => s.consecutiveMisses === 2,
    );
    expect((await alerts(again)).filter((a) => a.homeId === 'home-2').map((a) => a.fireCount)).toEqual([2]);
  });

  it('asks the latest check-in missed during a long outage once, late, and records the older ones as not asked', async () => {
    const { hub, api } = await start(MORNING, { onDisk: true });
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9,19 * * *' });
    await Promise.all(devices.splice(0).map((d) => d.end()));
    await hub.stop({ keepData: true });

    // Down from Monday 08:00 to Wednesday 10:00: 9:00 and 19:00 on Monday and Tuesday, 9:00 Wednesday.
    ctx = await startTestCore({ dataDir: hub.dataDir, onDisk: true, now: MORNING + 2 * DAY + 2 * HOUR });
    const again = staffMember(ctx);
    const back = await connectSpeaker(ctx, home.creds);
    ctx.clock.advance(5_000);
    const prompts = await until(back.prompts, (p) => p.length === 1);
    await settle();
    expect(prompts).toHaveLength(1);
    const rows = await history(again, 'home-1');
    expect(rows.map((r) => r.outcome)).toEqual(['not_asked', 'not_asked', 'not_asked', 'not_asked', 'pending']);
    expect(rows.at(-1)).toMatchObject({
      dueAt: new Date(NINE + 2 * DAY).toISOString(),
      detectedLate: expect.stringContaining('hub down from'),
    });
    expect(await alerts(again)).toEqual([]);
  });

  it('marks a check-in that fell due in a restart of a few seconds as asked late, and one due after it as on time', async () => {
    const { hub, api } = await start(NINE - 2_000, { onDisk: true });
    const home = await homeWithSpeaker(hub, api, 'home-1');
    await api('POST', `/api/residents/${home.residentId}/schedules`, { cron: '0 9,10 * * *' });
    await Promise.all(devices.splice(0).map((d) => d.end()));
    await hub.stop({ keepData: true });

    // Down from 08:59:58 to 09:00:02, across the 9:00 check-in.
    ctx = await startTestCore({ dataDir: hub.dataDir, onDisk: true, now: NINE + 2_000 });
    const again = staffMember(ctx);
    const back = await connectSpeaker(ctx, home.creds);
    await settle();
    expect(back.prompts()).toEqual([]); // not before the restart grace period
    ctx.clock.advance(5_000);
    await until(back.prompts, (p) => p.length === 1);
    ctx.clock.advance(HOUR);
    // The 10:00 check-in's prompt (re-prompts of the 9:00 one come on the way).
    await until(back.prompts, (p) => p.some((prompt) => prompt.promptId !== p[0]?.promptId));
    const rows = await history(again, 'home-1');
    expect(rows).toMatchObject([
      {
        dueAt: new Date(NINE).toISOString(),
        detectedLate: 'hub down from 2026-11-22T23:59:58.000Z to 2026-11-23T00:00:02.000Z',
      },
      { dueAt: new Date(NINE + HOUR).toISOString(), detectedLate: null },
    ]);
  });
});
