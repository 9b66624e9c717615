import type { AlexaEcho } from '@mimamori/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlexaCore, type AlexaCore } from '../../testing/alexa-core.js';
import type { ApiClient } from '../../testing/test-core.js';
import { until } from '../../testing/until.js';

/**
 * Reminders ring the Echo at the time the hub prompts, where the resident allowed them: the hub
 * sends a skill message, Alexa hands it back with a fresh token, the skill creates the reminder.
 * Amazon's three APIs are played by a local server (testing/fake-amazon.ts).
 */
const HOUR = 3_600_000;
const MORNING = Date.parse('2026-11-23T08:00:00+09:00');

let alexa: AlexaCore | undefined;
afterEach(async () => {
  await alexa?.stop();
  alexa = undefined;
});

async function home(options: { remindersGranted: boolean; credentials: boolean }) {
  alexa = await startAlexaCore({ now: MORNING, credentials: options.credentials });
  const api = await alexa.core.client();
  await api('POST', '/api/homes', { id: 'home-1', name: '佐藤さん宅' });
  await api('POST', '/api/homes/home-1/residents', { id: 'r1', name: '佐藤 ハナ' });
  const { code } = (await api('POST', '/api/homes/home-1/alexa/pairing-codes')).body as { code: string };
  const echo = alexa.echo({ remindersGranted: options.remindersGranted });
  const paired = await echo.pair(code);
  await api('POST', '/api/residents/r1/schedules', { cron: '0 9 * * *' });
  return { alexa, api, echo, paired };
}

const echos = async (api: ApiClient) =>
  ((await api('GET', '/api/homes/home-1/alexa/echos')).body as { items: AlexaEcho[] }).items;
/** Waits for the first reminder counted with `result`; the count then. */
const counted = (alexa: AlexaCore, result: string) =>
  until(
    () => alexa.metric(`mimamori_alexa_reminders_total{result="${result}"}`),
    (n) => n > 0,
  );

async function nineOClock(core: AlexaCore['core']) {
  core.clock.advance(HOUR);
  await core.settle();
}

describe('Alexa reminders', () => {
  it('rings a reminder of the prompt at its time, made with the token Alexa hands back with the skill message', async () => {
    const { alexa, echo } = await home({ remindersGranted: true, credentials: true });
    await nineOClock(alexa.core);
    const [made] = await until(
      () => alexa.amazon.reminders,
      (r) => r.length === 1,
    );
    expect(alexa.amazon.messages).toMatchObject([{ userId: echo.userId }]);
    expect(made?.userId).toBe(echo.userId);
    expect(made?.body).toMatchObject({
      trigger: { type: 'SCHEDULED_RELATIVE', offsetInSeconds: 30 },
      alertInfo: {
        spokenInfo: {
          content: [
            {
              locale: 'ja-JP',
              text: 'おはようございます、佐藤さん。今日の体調はいかがですか？お答えは「アレクサ、みまもりを開いて」とお声がけください。',
            },
          ],
        },
      },
    });
    expect(await counted(alexa, 'created')).toBe(1);
    expect((await echo.launch()).said).toBe('おはようございます、佐藤さん。今日の体調はいかがですか？');
  });

  it('makes no reminder without the permission, asks for it with a consent card when a session ends, and not again for a week', async () => {
    const { alexa, echo, paired } = await home({ remindersGranted: false, credentials: true });
    expect(paired.consentCard).toEqual(['alexa::alerts:reminders:skill:readwrite']);
    expect(paired.said).toContain('リマインダーの許可をお願いします');
    await nineOClock(alexa.core);
    expect(await counted(alexa, 'not_granted')).toBe(1);
    expect(alexa.amazon.messages).toEqual([]);
    await echo.launch();
    const answered = await echo.answer('元気です', 'fine');
    expect(answered.consentCard).toBeUndefined();
    alexa.core.clock.advance(7 * 24 * HOUR + 1);
    const later = await echo.answer('元気です', 'fine');
    expect(later.consentCard).toEqual(['alexa::alerts:reminders:skill:readwrite']);
  });

  it('counts and logs a reminder the Reminders API refuses, and takes the refusal as the permission withdrawn', async () => {
    const { alexa, api, echo } = await home({ remindersGranted: true, credentials: true });
    alexa.amazon.remindersStatus = 403;
    await nineOClock(alexa.core);
    expect(await counted(alexa, 'failed')).toBe(1);
    expect(alexa.amazon.reminders).toEqual([]);
    expect(await echos(api)).toMatchObject([{ remindersGranted: false, waiting: { prompts: 1 } }]);
    expect((await echo.launch()).said).toContain('今日の体調はいかがですか');
  });

  it('counts a reminder it cannot ask for without the skill’s client credentials; the prompt still waits', async () => {
    const { alexa, echo } = await home({ remindersGranted: true, credentials: false });
    await nineOClock(alexa.core);
    expect(await counted(alexa, 'not_configured')).toBe(1);
    expect((await echo.launch()).said).toContain('今日の体調はいかがですか');
  });

  it('follows the permission as the resident grants or withdraws it in the Alexa app (skill events)', async () => {
    const { api, echo } = await home({ remindersGranted: false, credentials: true });
    const event = (type: string, scopes: string[]) =>
      echo.send({
        type,
        body: { acceptedPermissions: scopes.map((scope) => ({ scope })) },
      });
    expect(
      (await event('AlexaSkillEvent.SkillPermissionAccepted', ['alexa::alerts:reminders:skill:readwrite'])).status,
    ).toBe(200);
    expect(await echos(api)).toMatchObject([{ remindersGranted: true }]);
    await event('AlexaSkillEvent.SkillPermissionChanged', []);
    expect(await echos(api)).toMatchObject([{ remindersGranted: false }]);
  });
});
