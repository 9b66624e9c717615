import {
  systemClock,
  type Alert,
  type Absence,
  type CheckinRecord,
  type DeviceCommand,
  type Rule,
} from '@mimamori/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DeviceLink, silentLog } from '../device-link/src/index.js';
import { createPersona } from '../device-sim/src/persona.js';
import { mulberry32 } from '../device-sim/src/rng.js';
import { answerPrompt } from '../device-sim/src/speaker.js';
import { staffClient } from '../hub/src/testing/test-hub.js';
import {
  checkAccessibility,
  launchBrowser,
  logIn,
  newContext,
  screenshot,
  type AxeFinding,
} from './support/browser.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';

const DAY = 86_400_000;

/** A date input's value for today plus `days`, in Japan (the test's browser runs in Asia/Tokyo). */
const dateIn = (days: number) => new Date(Date.now() + 9 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

/** The hour and minute in Japan `minutes` from now, for a check-in that falls due while the test waits. */
function soonInTokyo(minutes: number): { cron: string; at: number } {
  const at = Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000;
  const tokyo = new Date(at + 9 * 3_600_000);
  return { cron: `${tokyo.getUTCMinutes()} ${tokyo.getUTCHours()} * * *`, at };
}

type Credentials = { mqttUrl: string; username: string; password: string; topicPrefix: string };

/**
 * Issue 19, as a new staff member would do it: a home set up from nothing using only the
 * browser — the two volunteers of its network, the home, its resident, the consent record, what
 * to know at the door, a speaker, a motion sensor and an SOS button with their credentials, a
 * daily check-in, a two-tier network — then the simulator's devices connect with exactly the
 * credentials the page showed, the speaker answers its prompt, the button's SOS reaches the
 * tier-1 volunteer's phone, and staff extend and end an absence and tune, backtest, publish and
 * roll back a rule with its form. axe-core checks every page for both roles against WCAG 2.2 AA.
 */
describe.runIf(requireTool('chromium', 'chromium'))('the staff console in a real browser', () => {
  let hub: HubProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const links: DeviceLink[] = [];
  const findings: AxeFinding[] = [];
  const checked: string[] = [];
  /** What the hub refused and what the pages threw, printed when the test fails. */
  const refusals: string[] = [];

  beforeAll(async () => {
    hub = await startHubProcess();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const link of links) await link.close();
    for (const context of contexts) await context.close();
    await browser?.close();
    await hub?.stop();
  });

  async function page(device: 'phone' | 'desktop'): Promise<Page> {
    const context = await newContext(browser, device);
    contexts.push(context);
    const opened = await context.newPage();
    opened.on('dialog', (dialog) => void dialog.accept());
    opened.on('pageerror', (error) => refusals.push(`page error: ${error.message}`));
    opened.on('response', (response) => {
      if (response.url().includes('/api/') && response.status() >= 400)
        void response
          .text()
          .then((body) =>
            refusals.push(`${response.request().method()} ${response.url()} ${response.status()} ${body}`),
          );
    });
    return opened;
  }

  /** Checks the page with axe and keeps its screenshot, once the page says `ready`. */
  async function look(on: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
    await ready();
    findings.push(...(await checkAccessibility(on, name)));
    checked.push(name);
    await screenshot(on, name);
  }

  it('has an accessibility check that finds what it should (a check that cannot fail proves nothing)', async () => {
    const probe = await page('desktop');
    await probe.setContent('<html lang="ja"><body><main><img src="x.png"><button></button></main></body></html>');
    expect((await checkAccessibility(probe, 'probe')).map((f) => f.rule)).toEqual(
      expect.arrayContaining(['button-name', 'image-alt']),
    );
  });

  it(
    'sets up a home from nothing in the browser, and the devices, the speaker, the SOS, absences and rules work from it',
    async () => {
      onTestFailed(async () => {
        console.error(refusals.join('\n'));
        for (const [i, context] of contexts.entries())
          for (const [j, open] of context.pages().entries()) await screenshot(open, `failed-${i}-${j}`);
      });
      const staff = await page('desktop');
      await look(staff, 'login', () => staff.goto(hub.http).then(() => staff.getByLabel('ユーザー名').waitFor()));
      await logIn(staff, hub.http, 'staff', 'mimamori-demo-staff');

      // The volunteers the network will need, added on the people page.
      await staff.goto(`${hub.http}/people`);
      for (const [username, name] of [
        ['sasaki', '佐々木 健'],
        ['yamada', '山田 花子'],
      ] as const) {
        await staff.getByLabel('名前', { exact: true }).fill(name);
        await staff.getByLabel('ユーザー名', { exact: true }).fill(username);
        await staff.getByLabel('所属').fill('民生委員');
        await staff.getByLabel('初めのパスワード（8文字以上）').fill(`${username}-no-aikotoba`);
        await staff.getByRole('button', { name: '利用者を追加' }).click();
        await staff.getByRole('row', { name: new RegExp(name) }).waitFor();
      }
      await look(staff, 'staff-people', () => staff.getByRole('row', { name: /山田 花子/ }).waitFor());

      // 1. The home.
      await staff.goto(`${hub.http}/board`);
      await staff.getByRole('link', { name: 'お宅を新しく登録する' }).click();
      await look(staff, 'staff-setup-1-home', () =>
        staff.getByRole('heading', { name: 'お宅を新しく登録する' }).waitFor(),
      );
      await staff.getByLabel('お宅の呼び名').fill('鈴木ハナさん宅');
      await staff.getByLabel('住所').fill('岐阜市本町2-3-4');
      await staff.getByLabel('地区').fill('本町');
      await staff.getByRole('button', { name: '保存する' }).click();
      await staff.waitForURL(/\/homes\/[^/]+\/setup\?step=residents$/);
      const homeId = new URL(staff.url()).pathname.split('/')[2] ?? '';

      // 2. Who lives there.
      await staff.getByLabel('お名前', { exact: true }).fill('鈴木 ハナ');
      await staff.getByLabel('ふりがな', { exact: false }).fill('すずき 花');
      await staff.getByRole('button', { name: 'お住まいの方を追加' }).click();
      await staff
        .locator('.field-error', { hasText: 'ひらがなかカタカナで入力してください（例: さとう はな）' })
        .waitFor();
      await staff.getByLabel('ふりがな', { exact: false }).fill('すずき はな');
      await staff.getByRole('button', { name: 'お住まいの方を追加' }).click();
      await look(staff, 'staff-setup-2-residents', () =>
        staff.getByRole('link', { name: '鈴木 ハナさんのページ' }).waitFor(),
      );
      await staff.getByText('すずき はな、').waitFor();
      await staff.getByRole('button', { name: '次へ' }).click();

      // 3. The consent record: health and activity shared, on paper, today.
      await staff.getByRole('checkbox', { name: /^体調/ }).check();
      await staff.getByRole('checkbox', { name: /^生活の動き/ }).check();
      await staff.getByLabel('同意を得た日').fill(dateIn(0));
      await staff.getByLabel('同意の取り方').selectOption({ label: '同意書（紙）' });
      await staff.getByRole('button', { name: '保存する' }).click();
      await look(staff, 'staff-setup-3-consent', () => staff.getByText('記録した人: staff').waitFor());
      await staff.getByRole('button', { name: '次へ' }).click();

      // 4. What the person at the door needs.
      await staff.getByLabel('鍵を預かっている方').fill('隣の田中さん');
      await staff.getByLabel('その方の電話番号').fill('090-1234-5678');
      await staff.getByRole('checkbox', { name: /入室することにご本人が同意/ }).check();
      await staff.getByLabel(/訪問する方へのメモ/).fill('インターホンは門の右側です');
      await staff.getByRole('button', { name: '保存する' }).click();
      await look(staff, 'staff-setup-4-plan', () =>
        staff.getByRole('status').filter({ hasText: '保存しました' }).waitFor(),
      );
      await staff.getByRole('button', { name: '次へ' }).click();

      // 5. Devices, each with credentials read from the page as an installer would.
      const credentials = new Map<string, Credentials>();
      const readCredentials = async (): Promise<Credentials> => {
        const panel = staff.getByTestId('credentials');
        await panel.getByRole('img', { name: /QRコード/ }).waitFor();
        const value = (name: string) => panel.locator(`[data-credential="${name}"]`).innerText();
        return {
          mqttUrl: await value('mqttUrl'),
          username: await value('username'),
          password: await value('password'),
          topicPrefix: (await value('topicPrefix')).replace(/\/…$/, ''),
        };
      };
      for (const [kind, name] of [
        ['スマートスピーカー', '居間'],
        ['人感センサー', '廊下'],
        ['SOSボタン', '寝室'],
      ] as const) {
        await staff.getByLabel('種類').selectOption({ label: kind });
        await staff.getByLabel(/置き場所や呼び名/).fill(name);
        await staff.getByRole('button', { name: '機器を追加' }).click();
        const row = staff.getByRole('row', { name: new RegExp(`${kind}.*${name}`) });
        await row.getByRole('button', { name: '接続情報を発行する' }).click();
        credentials.set(kind, await readCredentials());
        if (kind === 'スマートスピーカー')
          await look(staff, 'staff-setup-5-devices', () => staff.getByTestId('credentials').waitFor());
        await staff.getByRole('button', { name: '表示を閉じる' }).click();
      }
      // Issuing again warns (the dialog is accepted) and the old secret stops working.
      const first = credentials.get('人感センサー') as Credentials;
      await staff
        .getByRole('row', { name: /人感センサー/ })
        .getByRole('button', { name: '接続情報を再発行する' })
        .click();
      credentials.set('人感センサー', await readCredentials());
      expect(credentials.get('人感センサー')?.password).not.toBe(first.password);
      await staff.getByRole('button', { name: '表示を閉じる' }).click();
      await staff
        .getByText(/一度も通信がありません/)
        .first()
        .waitFor();
      await staff.getByRole('button', { name: '次へ' }).click();

      // 6. A daily check-in, due two minutes from now; the preview shows the next five.
      const due = soonInTokyo(2);
      await staff.getByRole('button', { name: '呼びかけを追加' }).click();
      await staff.getByRole('radio', { name: 'そのほか（cron で指定）' }).check();
      await staff.getByLabel(/^cron/).fill(due.cron);
      await staff.getByLabel('応答がないときの再呼びかけ（回）').fill('0');
      await staff.locator('.preview li').nth(4).waitFor();
      await look(staff, 'staff-setup-6-schedule', () => staff.locator('.preview li').first().waitFor());
      await staff.getByRole('button', { name: '保存する' }).click();
      await staff.getByText(/次回/).waitFor();
      await staff.getByRole('button', { name: '次へ' }).click();

      // 7. The network: tier 1 the neighbour, tier 2 another volunteer; watchers found by name.
      const tiers = staff.locator('fieldset.tier');
      await tiers
        .nth(0)
        .getByLabel(/段階の名前/)
        .fill('近隣・民生委員');
      await tiers.nth(0).getByLabel('名前で探す').fill('佐々木');
      await tiers
        .nth(0)
        .getByRole('button', { name: /担当の方を追加: 佐々木 健/ })
        .click();
      await staff.getByRole('button', { name: '段階を追加' }).click();
      await tiers
        .nth(1)
        .getByLabel(/段階の名前/)
        .fill('民生委員（2人目）');
      await tiers.nth(1).getByLabel('名前で探す').fill('山田');
      await tiers
        .nth(1)
        .getByRole('button', { name: /担当の方を追加: 山田 花子/ })
        .click();
      await staff.getByLabel('緊急のお知らせを同時に届ける段階の数').fill('1');
      await staff.getByLabel('変更の理由（必須）').fill('新しく見守りを始めるため');
      await staff.getByRole('button', { name: '保存する' }).click();
      await look(staff, 'staff-setup-7-network', () => staff.getByText('見守りネットワークを保存しました').waitFor());
      await staff.getByRole('button', { name: '次へ' }).click();
      await look(staff, 'staff-setup-8-done', () => staff.getByText('このお宅の設定は終わりました').waitFor());

      // The simulator's devices connect with exactly what the page showed.
      const persona = { ...createPersona(mulberry32(7), 'unused', 'prompt', mulberry32(8)), answerProbability: 1 };
      const answered: string[] = [];
      const connect = async (kind: string, onCommand?: (command: DeviceCommand) => void) => {
        const c = credentials.get(kind) as Credentials;
        const link: DeviceLink = new DeviceLink({
          brokerUrl: c.mqttUrl,
          homeId,
          credentials: { deviceId: c.username, username: c.username, password: c.password },
          eventIdPrefix: `console-${kind}-${Date.now()}`,
          clock: systemClock,
          log: silentLog,
          ...(onCommand && { onCommand }),
        });
        await link.connect();
        links.push(link);
        expect(c.topicPrefix).toBe(`mimamori/v1/${homeId}/${c.username}`);
        return link;
      };
      const speaker = await connect('スマートスピーカー', (command) => {
        if (command.type !== 'prompt') return;
        // The resident answers at once (their thinking time is the simulation's, not this test's).
        const planned = answerPrompt(persona, command, mulberry32(1), 1);
        if (planned) {
          speaker.publish(planned.event);
          answered.push(planned.event.type === 'checkin' ? planned.event.answer : planned.event.type);
        }
      });
      const motion = await connect('人感センサー');
      const button = await connect('SOSボタン');
      motion.publish({ type: 'motion', occupied: true, room: '廊下' });

      const api = await staffClient(hub.http);
      await waitFor(async () => answered.length > 0, 4 * 60_000, 'the speaker was never prompted');
      expect(answered).toEqual(['fine']);
      const checkins = await waitFor(
        async () => {
          const history = (
            await api(
              'GET',
              `/api/homes/${homeId}/checkins?from=${new Date(due.at - DAY).toISOString()}&to=${new Date(due.at + DAY).toISOString()}`,
            )
          ).body as { items: CheckinRecord[] };
          return history.items.find((c) => c.outcome === 'answered');
        },
        30_000,
        'the answer was not recorded',
      );
      expect(checkins).toMatchObject({ answer: 'fine' });

      // The SOS reaches the tier-1 volunteer's phone, live.
      const sasaki = await page('phone');
      await logIn(sasaki, hub.http, 'sasaki', 'sasaki-no-aikotoba');
      button.publish({ type: 'sos', via: 'button' });
      const card = sasaki.locator('li.card.critical', { hasText: '鈴木ハナさん宅' });
      await card.waitFor({ timeout: 15_000 });
      await look(sasaki, 'volunteer-alerts', () => card.getByRole('button', { name: '向かいます' }).waitFor());
      await sasaki
        .getByRole('link', { name: /鈴木ハナさん宅/ })
        .first()
        .click();
      await look(sasaki, 'volunteer-home', () => sasaki.getByText('岐阜市本町2-3-4').waitFor());
      expect(await sasaki.getByRole('link', { name: /090-1234-5678/ }).getAttribute('href')).toBe('tel:09012345678');

      // The staff pages of the new home.
      await staff.goto(`${hub.http}/homes/${homeId}`);
      await look(staff, 'staff-home', () => staff.getByRole('heading', { name: '機器' }).waitFor());
      await staff.goto(`${hub.http}/homes/${homeId}/devices`);
      await look(staff, 'staff-devices', () => staff.getByRole('cell', { name: 'オンライン' }).first().waitFor());
      // An Echo the resident already has: a pairing number to say to it, with what to do.
      await staff.getByText('Amazon Echo（アレクサ）をつなぐ').click();
      await staff.getByRole('button', { name: 'ペアリング番号を出す' }).click();
      const pairing = await staff.locator('.pairing-code').textContent();
      expect(pairing).toMatch(/^[1-9]\d{5}$/);
      await look(staff, 'staff-devices-echo', () =>
        staff.getByText(`Echo に「アレクサ、みまもりでペアリング ${pairing}」と話しかけます。`).waitFor(),
      );
      await staff.goto(`${hub.http}/homes/${homeId}/network`);
      await look(staff, 'staff-network', () => staff.getByText('山田 花子').waitFor());
      await staff.goto(`${hub.http}/homes/${homeId}/edit`);
      await look(staff, 'staff-home-edit', () => staff.getByLabel('その方の電話番号').waitFor());
      await staff.goto(`${hub.http}/homes/${homeId}`);
      await staff.getByRole('link', { name: '鈴木 ハナさんのページ' }).click();
      await look(staff, 'staff-resident', () =>
        staff.getByTestId('checkin-calendar').getByText('元気').waitFor({ timeout: 10_000 }),
      );
      await staff.getByTestId('activity-grid').getByRole('button').first().click();
      await staff.getByText('人感センサー: 廊下').waitFor();
      await staff.getByText('お名前・ふりがな・言葉・お知らせの条件を変える').click();
      await staff.getByLabel('何回続けて応答がなければお知らせするか').fill('2');
      await staff.getByRole('button', { name: '保存する' }).click();
      await staff.getByText('保存しました').waitFor();

      // An absence: registered, extended past the bound with a reason, then ended now.
      await staff.goto(`${hub.http}/homes/${homeId}`);
      await staff.getByRole('button', { name: '不在を登録する' }).click();
      await staff.getByLabel('理由').selectOption({ label: '入院' });
      await staff.getByLabel('いつまで').fill(dateIn(3));
      await staff.getByRole('button', { name: '記録する' }).click();
      await staff.getByText('不在を登録しました').waitFor();
      await staff.goto(`${hub.http}/absences`);
      const row = staff.getByRole('row', { name: /鈴木ハナさん宅/ });
      await row.getByRole('button', { name: '延長する' }).click();
      await row.getByLabel('新しい終わりの日').fill(dateIn(120));
      await row.getByRole('button', { name: '保存する' }).click();
      await row.getByLabel('長期になる理由').fill('退院の見込みが立たないため（病院より）');
      await row.getByRole('button', { name: '保存する' }).click();
      await look(staff, 'staff-absences', () => staff.getByText(/終わりを.*に変更しました/).waitFor());
      await staff
        .getByRole('row', { name: /鈴木ハナさん宅/ })
        .getByRole('button', { name: 'いま終える' })
        .click();
      await staff.getByText('不在を終えました。見守りを再開しました').waitFor();
      const absences = (await api('GET', `/api/homes/${homeId}/absences?all=true`)).body as { items: Absence[] };
      expect(absences.items).toEqual([
        expect.objectContaining({ active: false, updatedBy: 'staff', reason: 'hospital' }),
      ]);

      // A rule tuned with its form, tried on the past, published, and rolled back.
      await staff.goto(`${hub.http}/rules/inactivity`);
      await staff.getByLabel('動きがない時間（分）').fill('600');
      await staff.getByRole('button', { name: '過去の記録で試す' }).click();
      await staff.getByTestId('backtest').waitFor({ timeout: 60_000 });
      await look(staff, 'staff-rules', () =>
        staff
          .getByTestId('backtest')
          .getByText(/現在の設定では/)
          .waitFor(),
      );
      // What volunteers would have felt: alerts of a home at one time are told once.
      await staff
        .getByTestId('backtest')
        .getByText(/見守りの方に連絡が行くのは、現在の設定で\d+回、変更案で\d+回です/)
        .waitFor();
      await staff.getByLabel('変更の理由（必須）').first().fill('日中の見守りを10時間に');
      await staff.getByRole('button', { name: '変更を公開する' }).click();
      await staff.getByText('第2版として公開しました').waitFor();
      expect(((await api('GET', '/api/rules/inactivity')).body as Rule).params).toMatchObject({ durationMinutes: 600 });
      const version1 = staff.locator('ul.versions li', { hasText: '第1版' });
      await version1.getByRole('button', { name: 'この版に戻す' }).click();
      await version1.getByLabel('戻す理由').fill('試行期間が終わったため');
      await version1.getByRole('button', { name: 'この版に戻す' }).click();
      await staff.getByText('第1版の設定に戻しました').waitFor();
      // Version 1 held no parameters of its own: the catalogue's defaults (480 minutes) apply again.
      expect((await api('GET', '/api/rules/inactivity')).body).toMatchObject({ version: 3, params: {} });

      // The rest of the staff pages, and the admin's.
      await staff.goto(`${hub.http}/board`);
      await look(staff, 'staff-board', () => staff.locator(`tr[data-home="${homeId}"]`).waitFor());
      await staff.goto(`${hub.http}/reports`);
      await look(staff, 'staff-report', () => staff.getByRole('heading', { name: /お知らせ（/ }).waitFor());
      const admin = await page('desktop');
      await logIn(admin, hub.http, 'admin', 'mimamori-demo-admin');
      await admin.goto(`${hub.http}/audit`);
      await look(admin, 'admin-audit', () => admin.getByText(/理由: 退院の見込みが立たないため/).waitFor());

      const alerts = (await api('GET', `/api/alerts?homeId=${homeId}`)).body as { items: Alert[] };
      expect(alerts.items.map((a) => a.rule)).toContain('sos');
      console.info(`axe-core (WCAG 2.2 AA) checked ${checked.length} pages: ${checked.join(', ')}`);
      expect(findings).toEqual([]);
    },
    10 * 60_000,
  );
});

/** Polls `check` until it returns something truthy, or fails with `why` after `ms`. */
async function waitFor<T>(check: () => Promise<T | undefined | false>, ms: number, why: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(why);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
