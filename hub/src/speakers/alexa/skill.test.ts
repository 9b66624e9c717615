import type { Alert, CheckinStatus, EventRecord } from '@mimamori/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlexaCore, type AlexaCore } from '../../testing/alexa-core.js';
import type { ApiClient } from '../../testing/test-core.js';
import { until } from '../../testing/until.js';

/**
 * The skill as a resident and staff meet it, end to end through the hub's core and API: staff
 * issue a code, an Echo says it, the hub prompts, the resident opens the skill and answers; the
 * requests are Alexa's JSON, signed as Alexa signs them (testing/fake-amazon.ts).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 2026-11-23 08:00 in Tokyo. */
const MORNING = Date.parse('2026-11-23T08:00:00+09:00');

let alexa: AlexaCore | undefined;
afterEach(async () => {
  await alexa?.stop();
  alexa = undefined;
});

/** A home with a resident (佐藤 ハナ), staff's API client, and an Echo paired to it with a code staff issued. */
async function pairedHome(
  options: { remindersGranted?: boolean; credentials?: boolean; locale?: 'ja-JP' | 'en-US' } = {},
) {
  alexa = await startAlexaCore({ now: MORNING, credentials: options.credentials ?? false });
  const api = await alexa.core.client();
  await api('POST', '/api/homes', { id: 'home-1', name: '佐藤さん宅' });
  await api('POST', '/api/homes/home-1/residents', { id: 'r1', name: '佐藤 ハナ' });
  const code = (await api('POST', '/api/homes/home-1/alexa/pairing-codes')).body as { code: string };
  const echo = alexa.echo({ remindersGranted: options.remindersGranted ?? false, locale: options.locale ?? 'ja-JP' });
  expect((await echo.pair(code.code)).said).toContain(
    options.locale === 'en-US' ? 'Pairing is complete' : 'ペアリングが完了しました',
  );
  const [paired] = ((await api('GET', '/api/homes/home-1/alexa/echos')).body as { items: { deviceId: string }[] })
    .items;
  return { alexa, api, echo, deviceId: paired?.deviceId ?? '' };
}

const status = async (api: ApiClient) => (await api('GET', '/api/residents/r1/checkin-status')).body as CheckinStatus;
const events = async (api: ApiClient, type: string) =>
  (
    (
      await api(
        'GET',
        `/api/homes/home-1/events?from=${new Date(MORNING - HOUR).toISOString()}&to=${new Date(MORNING + 24 * HOUR).toISOString()}&type=${type}`,
      )
    ).body as { items: EventRecord[] }
  ).items;
const alerts = async (api: ApiClient) => ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items;
/** Waits for an alert that `matches`, and fails when none comes. */
async function expectAlert(api: ApiClient, matches: (alert: Alert) => boolean): Promise<Alert> {
  const found = (
    await until(
      () => alerts(api),
      (a) => a.some(matches),
    )
  ).find(matches);
  expect(found, 'the alert was not raised').toBeDefined();
  return found as Alert;
}

/** The 9:00 check-in falls due and its prompt waits for the Echo. */
async function nineOClock(core: AlexaCore['core'], api: ApiClient, schedule: Record<string, unknown> = {}) {
  await api('POST', '/api/residents/r1/schedules', { cron: '0 9 * * *', ...schedule });
  core.clock.advance(HOUR);
  await core.settle();
  expect(
    await until(
      () => status(api),
      (s) => s.status === 'pending',
    ),
  ).toMatchObject({ status: 'pending' });
}

describe('pairing an Echo', () => {
  it('pairs with a code staff issued, shows the Echo as a device of the home, and refuses the code a second time', async () => {
    const { alexa, api, deviceId } = await pairedHome();
    expect((await api('GET', '/api/devices?homeId=home-1')).body).toMatchObject({
      items: [{ id: deviceId, kind: 'alexa', online: true }],
    });
    const code = (await api('POST', '/api/homes/home-1/alexa/pairing-codes')).body as {
      code: string;
      expiresAt: string;
    };
    expect(code.code).toMatch(/^[1-9]\d{5}$/);
    expect(Date.parse(code.expiresAt)).toBe(MORNING + HOUR);
    const second = alexa.echo();
    expect((await second.pair(code.code)).said).toContain('ペアリングが完了しました');
    const third = alexa.echo();
    expect((await third.pair(code.code)).said).toBe(
      'その番号はすでに使われています。担当の方に新しい番号をお尋ねください。',
    );
    expect(((await api('GET', '/api/homes/home-1/alexa/echos')).body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('refuses an expired code and asks again for an unknown one; the Echo stays unpaired', async () => {
    alexa = await startAlexaCore({ now: MORNING });
    const api = await alexa.core.client();
    await api('POST', '/api/homes', { id: 'home-1', name: '佐藤さん宅' });
    const code = (await api('POST', '/api/homes/home-1/alexa/pairing-codes')).body as { code: string };
    alexa.core.clock.advance(HOUR + 1);
    const echo = alexa.echo();
    const launched = await echo.launch();
    expect(launched.said).toContain('はじめにペアリングが必要です');
    expect(launched.ended).toBe(false);
    expect((await echo.pair(code.code)).said).toBe(
      'その番号は有効期限が切れています。担当の方に新しい番号をお尋ねください。',
    );
    const unknown = await alexa.echo().pair(code.code === '123456' ? '654321' : '123456');
    expect(unknown).toMatchObject({
      said: 'その番号は見つかりませんでした。番号をもう一度おっしゃってください。',
      ended: false,
    });
    expect(((await api('GET', '/api/homes/home-1/alexa/echos')).body as { items: unknown[] }).items).toEqual([]);
    expect(await alexa.metric('mimamori_alexa_pairings_total{result="expired"}')).toBe(1);
  });

  it('stops listening to an account after five wrong codes in an hour', async () => {
    alexa = await startAlexaCore({ now: MORNING });
    const api = await alexa.core.client();
    await api('POST', '/api/homes', { id: 'home-1', name: '佐藤さん宅' });
    const code = (await api('POST', '/api/homes/home-1/alexa/pairing-codes')).body as { code: string };
    const guesser = alexa.echo();
    const wrong = (n: number) => String(((Number(code.code) + n) % 900_000) + 100_000);
    for (let n = 1; n <= 5; n++) await guesser.pair(wrong(n));
    expect((await guesser.pair(code.code)).said).toContain('しばらくしてから');
    alexa.core.clock.advance(HOUR + 1);
    const fresh = (await api('POST', '/api/homes/home-1/alexa/pairing-codes')).body as { code: string };
    expect((await guesser.pair(fresh.code)).said).toContain('ペアリングが完了しました');
  });

  it('unpairs an Echo for staff: it is gone from the home and the skill asks for a code again', async () => {
    const {
      alexa: { core },
      api,
      echo,
      deviceId,
    } = await pairedHome();
    expect((await api('DELETE', `/api/homes/home-1/alexa/echos/${deviceId}`)).status).toBe(204);
    expect(((await api('GET', '/api/homes/home-1/alexa/echos')).body as { items: unknown[] }).items).toEqual([]);
    expect(core.stores.devices.get(deviceId)).toBeUndefined();
    expect((await echo.launch()).said).toContain('はじめにペアリングが必要です');
    expect((await api('DELETE', `/api/homes/home-1/alexa/echos/${deviceId}`)).status).toBe(404);
  });
});

describe('check-ins through an Echo', () => {
  it('asks the pending prompt when the resident opens the skill, and confirms 元気 once the hub stored it', async () => {
    const { alexa, api, echo } = await pairedHome();
    await nineOClock(alexa.core, api);
    const asked = await echo.launch();
    expect(asked).toMatchObject({ said: 'おはようございます、佐藤さん。今日の体調はいかがですか？', ended: false });
    expect(asked.reprompt).toContain('「元気です」');
    const answered = await echo.answer('元気です', 'fine');
    expect(answered.said).toMatch(/^元気とお伝えしました。ありがとうございます。/);
    expect(answered.ended).toBe(true);
    expect(await status(api)).toMatchObject({ status: 'up' });
    expect(await events(api, 'checkin')).toMatchObject([{ data: { answer: 'fine', via: 'voice', residentId: 'r1' } }]);
    alexa.core.clock.advance(2 * HOUR);
    await echo.launch();
    expect((await api('GET', '/api/homes/home-1/alexa/echos')).body).toMatchObject({
      items: [{ online: true, lastSeenAt: new Date(alexa.core.clock.now()).toISOString() }],
    });
    expect((await echo.launch()).said).toContain('みまもりです。');
  });

  it('takes 「アレクサ、みまもりで元気と伝えて」 without a session, for the pending prompt or of itself', async () => {
    const { alexa, api, echo } = await pairedHome();
    await nineOClock(alexa.core, api);
    const oneShot = await echo.answer('元気', 'fine');
    expect(oneShot.ended).toBe(true);
    expect(oneShot.said).toMatch(/^元気とお伝えしました。/);
    expect(await status(api)).toMatchObject({ status: 'up' });
    alexa.core.clock.advance(3 * HOUR);
    await echo.answer('元気だよ', 'fine');
    const [prompted, voluntary] = await events(api, 'checkin');
    expect(prompted?.data).toHaveProperty('promptId');
    expect(voluntary?.data).toMatchObject({ answer: 'fine', via: 'voice' });
    expect(voluntary?.data).not.toHaveProperty('promptId');
  });

  it('asks unclear speech again and never takes it as 元気; the prompt waits after two', async () => {
    const { alexa, api, echo } = await pairedHome();
    await nineOClock(alexa.core, api);
    await echo.launch();
    const once = await echo.answer('えーとね');
    expect(once).toMatchObject({ ended: false });
    expect(once.said).toContain('すみません、よく聞き取れませんでした。');
    expect((await echo.intent('AMAZON.NoIntent')).said).toContain('うまくお伺いできませんでした');
    expect(await events(api, 'checkin')).toEqual([]);
    expect(await status(api)).toMatchObject({ status: 'pending' });
    expect((await echo.launch()).said).toBe('おはようございます、佐藤さん。今日の体調はいかがですか？');
  });

  it('passes on 具合が悪い with the items asked one by one, and repeats a question on 「もう一度」', async () => {
    const { alexa, api, echo } = await pairedHome();
    await nineOClock(alexa.core, api, { items: ['health', 'medication', 'meal'] });
    await echo.launch();
    expect((await echo.answer('具合が悪い', 'unwell')).said).toBe('お薬は飲みましたか？');
    expect((await echo.intent('AMAZON.RepeatIntent')).said).toBe('お薬は飲みましたか？');
    expect((await echo.intent('AMAZON.YesIntent')).said).toBe('お食事はとりましたか？');
    const done = await echo.intent('AMAZON.NoIntent');
    expect(done.said).toMatch(/^調子が悪いとお伝えしました。どうぞお大事になさってください。/);
    expect((await events(api, 'checkin'))[0]?.data).toMatchObject({
      answer: 'unwell',
      items: { health: 'not_ok', medication: 'ok', meal: 'not_ok' },
    });
    const raised = await expectAlert(api, (x) => x.rule === 'checkin.concern');
    expect(raised).toMatchObject({ severity: 'warning' });
  });

  it('raises an SOS for 助けて outside a prompt, and answers a prompt with help during one', async () => {
    const { alexa, api, echo } = await pairedHome();
    expect((await echo.answer('助けて', 'help')).said).toMatch(/^見守りの方にお知らせしました。/);
    expect(await events(api, 'sos')).toMatchObject([{ data: { via: 'voice' } }]);
    await expectAlert(api, (x) => x.rule === 'sos' && x.severity === 'critical');
    await nineOClock(alexa.core, api);
    await echo.launch();
    await echo.answer('救急車', 'help');
    expect((await events(api, 'checkin'))[0]?.data).toMatchObject({ answer: 'help' });
    await expectAlert(api, (x) => x.rule === 'checkin.concern' && x.severity === 'critical');
  });

  it('asks before explaining when Alexa hears its help intent, and calls for help when no answer comes', async () => {
    const { api, echo } = await pairedHome();
    const asked = await echo.intent('AMAZON.HelpIntent');
    expect(asked.said).toContain('見守りの方をお呼びしますか？');
    expect((await echo.intent('AMAZON.NoIntent')).said).toContain('毎日の確認に声でお答えいただけます');
    await echo.intent('AMAZON.HelpIntent');
    await echo.end('EXCEEDED_MAX_REPROMPTS');
    expect(await events(api, 'sos')).toHaveLength(1);
    await echo.intent('AMAZON.HelpIntent');
    await echo.intent('AMAZON.YesIntent');
    expect(await events(api, 'sos')).toHaveLength(2);
  });

  it('says an announcement on the next opening, once, and forgets a withdrawn prompt', async () => {
    const { alexa, api, echo } = await pairedHome();
    await nineOClock(alexa.core, api);
    expect(await alexa.core.core.speakers.announce('home-1', '民生委員の田中さんが向かっています。', 'ja')).toBe(1);
    await api('POST', '/api/homes/home-1/absences', {
      reason: 'hospital',
      endsAt: new Date(MORNING + 48 * HOUR).toISOString(),
    });
    await alexa.core.settle();
    const opened = await echo.launch();
    expect(opened.said).toContain('民生委員の田中さんが向かっています。');
    expect(opened.said).not.toContain('今日の体調はいかがですか');
    expect((await echo.launch()).said).not.toContain('田中さん');
  });

  it('speaks English to an English-speaking resident', async () => {
    const { alexa, api, echo } = await pairedHome({ locale: 'en-US' });
    await api('PATCH', '/api/homes/home-1/residents/r1', { language: 'en' });
    await nineOClock(alexa.core, api);
    expect((await echo.launch()).said).toMatch(/Good morning/);
    expect((await echo.answer('I am fine', 'fine')).said).toMatch(/^I have passed on that you are fine\. Thank you\./);
  });

  it('shows the Echo offline when the skill is disabled, and back once the resident uses it again', async () => {
    const { api, echo, deviceId } = await pairedHome();
    await echo.send({
      type: 'AlexaSkillEvent.SkillDisabled',
      body: { userInformation: { persistenceStatus: 'NOT_PERSISTED' } },
    });
    expect((await api('GET', `/api/devices/${deviceId}`)).body).toMatchObject({ online: false });
    await expectAlert(api, (x) => x.rule === 'device.offline');
    await echo.launch();
    expect((await api('GET', `/api/devices/${deviceId}`)).body).toMatchObject({ online: true });
  });
});
