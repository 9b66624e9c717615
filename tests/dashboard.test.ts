import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Alert, Device } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient } from '../hub/src/testing/test-hub.js';
import {
  ARTIFACTS,
  checkAccessibility,
  launchBrowser,
  logIn,
  newContext,
  screenshot,
  type AxeFinding,
} from './support/browser.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const HUB = fileURLToPath(new URL('../hub/dist/main.js', import.meta.url));
const SIM = fileURLToPath(new URL('../device-sim/dist/cli.js', import.meta.url));
const DAY = 86_400_000;

type Api = Awaited<ReturnType<typeof staffClient>>;

/**
 * The dashboard in Debian's chromium, against the built hub with two weeks of device-sim
 * history imported: volunteers on phones take an SOS live, staff try a rule change on the
 * past before publishing it, and a home outside a volunteer's network stays closed.
 */
describe.runIf(requireTool('chromium', 'chromium'))('the dashboard in a real browser', () => {
  let hub: HubProcess;
  let api: Api;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** What axe-core finds against WCAG 2.2 AA on the pages with weeks of history behind them. */
  const findings: AxeFinding[] = [];
  const look = async (page: Page, name: string) => {
    findings.push(...(await checkAccessibility(page, name)));
    await screenshot(page, name);
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-dashboard-'));
    const file = join(dir, 'history.jsonl');
    const end = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    await run(process.execPath, [SIM, 'history', '--days', '14', '--homes', '3', '--end', end, '--out', file]);
    await run(process.execPath, [HUB, 'import', file], {
      env: {
        PATH: process.env.PATH ?? '',
        MIMAMORI_MODE: 'demo',
        MIMAMORI_DATA_DIR: join(dir, 'data'),
        MIMAMORI_LOG_LEVEL: 'warn',
      },
    });
    hub = await startHubProcess({}, join(dir, 'data'));
    api = await staffClient(hub.http);
    const ids: string[] = [];
    for (const [username, displayName] of [
      ['tanaka', '田中 一郎'],
      ['yamada', '山田 花子'],
    ] as const) {
      const created = await api('POST', '/api/users', {
        username,
        displayName,
        role: 'volunteer',
        password: `${username}-password`,
        affiliation: '民生委員',
      });
      ids.push((created.body as { id: string }).id);
    }
    // Two homes called 佐藤さん宅 in the same district (issue 20): only who lives there tells them apart.
    await api('PATCH', '/api/homes/sim-1-001', {
      name: '佐藤さん宅',
      district: '本町',
      address: '岐阜市本町1-2-3',
      responsePlan: {
        keyHolder: '隣の鈴木さん',
        keyHolderPhone: '058-265-1234',
        entryConsent: true,
        medicalNotes: '糖尿病',
      },
    });
    await api('PATCH', '/api/homes/sim-1-003', { name: '佐藤さん宅', district: '本町' });
    for (const home of ['sim-1-001', 'sim-1-003']) {
      const network = await api('PUT', `/api/homes/${home}/network`, {
        tiers: [{ name: '近隣・民生委員', watchers: ids, ackTimeoutMinutes: 15 }],
        reason: 'ブラウザのテスト',
      });
      expect(network.status).toBe(200);
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await hub?.stop();
  });

  /** A logged-in page: a phone for volunteers, a desktop for staff. */
  async function loggedIn(username: string, password: string, device: 'phone' | 'desktop'): Promise<Page> {
    const context = await newContext(browser, device);
    contexts.push(context);
    const page = await context.newPage();
    await logIn(page, hub.http, username, password);
    return page;
  }

  /** Sends one event as a device of the kind in the home would, with credentials issued for it. */
  async function publish(homeId: string, kind: Device['kind'], event: Record<string, unknown>): Promise<void> {
    const found = ((await api('GET', `/api/devices?homeId=${homeId}`)).body as { items: Device[] }).items.find(
      (d) => d.kind === kind,
    );
    const creds = (await api('POST', `/api/devices/${found?.id}/credentials`)).body as {
      username: string;
      password: string;
      topicPrefix: string;
    };
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${hub.mqttPort}`, {
      username: creds.username,
      password: creds.password,
      clientId: creds.username,
      reconnectPeriod: 0,
    });
    await device.publishAsync(
      `${creds.topicPrefix}/event`,
      JSON.stringify({ id: `${kind}-${Date.now()}`, ts: Date.now(), ...event }),
      { qos: 1 },
    );
    await device.endAsync();
  }
  const pressSos = (homeId: string) => publish(homeId, 'sos_button', { type: 'sos', via: 'button' });

  const residentOf = async (homeId: string) =>
    ((await api('GET', `/api/homes/${homeId}/residents`)).body as { items: { name: string }[] }).items[0]?.name;

  /** The targets a thumb must hit that are smaller than 48 × 48 px (issue 20: header links were 32 px). */
  async function smallTargets(page: Page): Promise<string[]> {
    const targets = page.locator('header a, header button, main a, main button, main select, label.choice');
    const small: string[] = [];
    for (const target of await targets.all()) {
      const box = await target.boundingBox();
      if (box && (box.height < 48 || box.width < 48))
        small.push(`${(await target.textContent())?.trim()}: ${box.width}×${box.height}`);
    }
    return small;
  }

  it('puts the SOS first, says which home, counts a second press, and lets a claim be given back and an alert end only with an outcome', async () => {
    const tanaka = await loggedIn('tanaka', 'tanaka-password', 'phone');
    const yamada = await loggedIn('yamada', 'yamada-password', 'phone');
    tanaka.on('dialog', (dialog) => void dialog.accept());
    const [satoHana, satoOther] = [await residentOf('sim-1-001'), await residentOf('sim-1-003')];
    expect(satoHana).toBeTruthy();

    // No reload: the card arrives over /api/stream, in the words consent allows.
    await pressSos('sim-1-001');
    const needsMe = tanaka.locator('ul[data-group="now"] > li.card');
    const card = needsMe.filter({ hasText: 'SOSボタンが押されました' });
    await card.waitFor({ timeout: 10_000 });
    const alertId = await card.getAttribute('data-alert');
    // A newer, milder alert (a sensor's battery in the other 佐藤さん宅) stays below it: by time
    // alone it would go on top, and after 40 minutes of demo the SOS was card 13 of 14.
    await publish('sim-1-003', 'motion', { type: 'motion', occupied: true, battery: 5 });
    await needsMe.filter({ hasText: '電池' }).first().waitFor({ timeout: 10_000 });
    expect(await needsMe.first().getAttribute('data-alert')).toBe(alertId);
    const rank = { critical: 0, warning: 1, info: 2 } as const;
    const severities = await Promise.all(
      (await needsMe.all()).map(async (c) => {
        const classes = (await c.getAttribute('class')) ?? '';
        return (['critical', 'warning', 'info'] as const).find((s) => classes.split(' ').includes(s)) ?? 'info';
      }),
    );
    expect(severities.length).toBeGreaterThan(1);
    expect(severities).toEqual([...severities].sort((a, b) => rank[a] - rank[b]));
    // Which 佐藤さん宅: who lives there, the district, how long ago.
    await card.getByText(`${satoHana}さん・本町`).waitFor();
    await card.getByText(/^(たった今|1分前)（\d{1,2}:\d{2}）から/).waitFor();
    await needsMe.filter({ hasText: '電池' }).getByText(`${satoOther}さん・本町`).first().waitFor();
    await yamada.locator('li.card.critical').waitFor({ timeout: 10_000 });

    // A second press today: the same card says so, with the latest time.
    await pressSos('sim-1-001');
    await card.getByText('2回目').waitFor({ timeout: 10_000 });
    await card.getByText(/（最新 \d{1,2}:\d{2}）/).waitFor();
    await look(tanaka, 'volunteer-alerts');

    await card.getByRole('button', { name: '向かいます' }).click();
    await card.getByText(/^あなたが\d{1,2}:\d{2}から向かっています$/).waitFor();
    // For Yamada it moves below what still needs someone, saying who is going and since when.
    const taken = yamada.locator('ul[data-group="others"] > li.card', { hasText: 'SOSボタンが押されました' });
    await taken.getByText(/^田中 一郎さんが\d{1,2}:\d{2}から向かっています$/).waitFor({ timeout: 10_000 });
    await yamada.getByRole('heading', { name: 'ほかの方が対応しているお知らせ' }).waitFor();
    expect(await yamada.locator('ul[data-group="now"] ~ div ul[data-group="others"]').count()).toBe(1);
    expect(await taken.getByRole('button', { name: '向かいます' }).count()).toBe(0);
    await look(yamada, 'volunteer-alerts-taken');

    // 行けなくなりました: it is open again for everyone, and the timeline says who gave it back.
    await card.getByRole('button', { name: '行けなくなりました' }).click();
    await card.getByRole('status').filter({ hasText: 'ほかの見守りの方にお伝えしました' }).waitFor();
    const open = yamada.locator('ul[data-group="now"] > li.card', { hasText: 'SOSボタンが押されました' });
    await open.getByRole('button', { name: '向かいます' }).click();
    await open.getByText(/^あなたが\d{1,2}:\d{2}から向かっています$/).waitFor();
    await tanaka
      .locator('ul[data-group="others"] > li.card', { hasText: 'SOSボタンが押されました' })
      .getByText(/^山田 花子さんが\d{1,2}:\d{2}から向かっています$/)
      .waitFor({ timeout: 10_000 });
    const timeline = ((await api('GET', `/api/alerts/${alertId}`)).body as { timeline: { kind: string }[] }).timeline;
    expect(timeline.map((step) => step.kind)).toEqual(expect.arrayContaining(['acknowledged', 'released']));

    // Ending it asks what was found: nothing is chosen for her, and nothing is recorded unchosen.
    await open.getByRole('button', { name: '対応を終える' }).click();
    expect(await open.getByRole('radio', { checked: true }).count()).toBe(0);
    await open.getByRole('button', { name: '記録する' }).click();
    await open.getByRole('alert').filter({ hasText: 'どれか一つを選んでから記録してください' }).waitFor();
    expect(((await api('GET', `/api/alerts/${alertId}`)).body as Alert).status).toBe('acknowledged');
    await look(yamada, 'volunteer-resolve-unchosen');
    expect(await smallTargets(yamada)).toEqual([]);

    await open.getByLabel('元気だった').check();
    await open.getByLabel('メモ（任意）').fill('転んでいたが、けがはなし');
    await open.screenshot({ path: join(ARTIFACTS, 'volunteer-resolve.png') });
    await open.getByRole('button', { name: '記録する' }).click();
    // It stays on both phones, below, saying who ended it and how.
    const ended = /^山田 花子さんが\d{1,2}:\d{2}に対応を終えました（元気だった）$/;
    for (const page of [yamada, tanaka]) {
      const over = page.locator('ul[data-group="ended"] > li.card', { hasText: 'SOSボタンが押されました' });
      await over.getByText(ended).waitFor({ timeout: 10_000 });
      await over.getByText(/^(たった今|1分前)（\d{1,2}:\d{2}）に発生/).waitFor();
    }
    expect(await tanaka.locator('ul[data-group="now"] > li.card', { hasText: 'SOSボタンが押されました' }).count()).toBe(
      0,
    );
    await look(tanaka, 'volunteer-alerts-ended');
    expect(await smallTargets(tanaka)).toEqual([]);

    const resolved = ((await api('GET', '/api/alerts?homeId=sim-1-001&status=resolved')).body as { items: Alert[] })
      .items;
    expect(resolved).toContainEqual(
      expect.objectContaining({
        rule: 'sos',
        outcome: 'fine',
        note: '転んでいたが、けがはなし',
        acknowledgedBy: 'yamada',
        fireCount: 2,
      }),
    );
    const sos = resolved.find((a) => a.id === alertId);
    expect(Date.parse(sos?.lastFiredAt ?? '')).toBeGreaterThan(Date.parse(sos?.openedAt ?? ''));
    expect(findings).toEqual([]);
  }, 90_000);

  it('shows a volunteer their home as consent allows, and refuses a home outside their network', async () => {
    const page = await loggedIn('tanaka', 'tanaka-password', 'phone');
    await page.goto(`${hub.http}/homes/sim-1-001`);
    await page.getByText('岐阜市本町1-2-3').waitFor();
    await page.getByText('応答がなければ入室してよいと、ご本人の同意を得ています').waitFor();
    // The key holder is a tap away, and the tap target is a thumb's size.
    const call = page.getByRole('link', { name: '058-265-1234 に電話する' });
    expect(await call.getAttribute('href')).toBe('tel:0582651234');
    await page
      .getByText(`${await residentOf('sim-1-001')}さん`)
      .first()
      .waitFor();
    expect(await smallTargets(page)).toEqual([]);
    expect(await page.getByText('糖尿病').count()).toBe(0);
    expect(await page.getByText('ご本人の同意がないため表示しません').count()).toBe(2);
    await look(page, 'volunteer-home');

    // The neighbour who heard of a hospital stay registers it, with an end.
    await page.getByRole('button', { name: '不在を登録する' }).click();
    await page.getByLabel('理由').selectOption('hospital');
    await page.getByLabel('いつまで').fill(new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10));
    await page.getByRole('button', { name: '記録する' }).click();
    await page.getByText('登録されている不在はありません').waitFor({ state: 'detached' });
    const absences = (await api('GET', '/api/homes/sim-1-001/absences')).body as {
      items: { reason: string; createdBy: string }[];
    };
    expect(absences.items).toEqual([expect.objectContaining({ reason: 'hospital', createdBy: 'tanaka' })]);

    await page.goto(`${hub.http}/homes/sim-1-002`);
    await page.getByText('このお宅はあなたの見守りネットワークに入っていないため、表示できません。').waitFor();
    expect((await page.request.get(`${hub.http}/api/homes/sim-1-002/overview`)).status()).toBe(403);
    expect((await page.request.get(`${hub.http}/api/homes/sim-1-002`)).status()).toBe(403);
    expect(findings).toEqual([]);
  }, 60_000);

  it('lets staff try a rule change on the past weeks, see it as a chart, and publish it with a reason', async () => {
    const page = await loggedIn('staff', 'mimamori-demo-staff', 'desktop');
    await page.goto(`${hub.http}/board`);
    await page.locator('tr[data-home="sim-1-001"]').waitFor();
    await look(page, 'staff-board');

    await page.goto(`${hub.http}/rules/inactivity.24h`);
    await page.getByRole('heading', { name: /inactivity\.24h/ }).waitFor();
    // A value the rule's schema refuses is named on the page, and nothing runs.
    await page.getByLabel('動きがない時間（分）').fill('-5');
    await page.getByRole('button', { name: '過去の記録で試す' }).click();
    await page.getByRole('alert').filter({ hasText: 'durationMinutes' }).first().waitFor();
    await page.getByLabel('動きがない時間（分）').fill('480');
    await page
      .getByLabel('開始', { exact: true })
      .last()
      .fill(new Date(Date.now() - 13 * DAY).toISOString().slice(0, 10));
    await page.getByRole('button', { name: '過去の記録で試す' }).click();
    const backtest = page.getByTestId('backtest');
    await backtest.waitFor({ timeout: 60_000 });
    await backtest.locator('canvas').first().waitFor();
    const rows = await backtest.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(5);
    await look(page, 'staff-backtest');

    await page.getByLabel('変更の理由（必須）').first().fill('夜間の誤報を確かめたうえで 8 時間に');
    await page.getByRole('button', { name: '変更を公開する' }).click();
    await page.getByRole('status').filter({ hasText: '第2版' }).waitFor();
    const rule = (await api('GET', '/api/rules/inactivity.24h')).body as {
      version: number;
      params: { durationMinutes: number };
    };
    expect(rule).toMatchObject({ version: 2, params: { durationMinutes: 480 } });

    await page.goto(`${hub.http}/homes/sim-1-001`);
    await page.getByRole('link', { name: '見守りネットワーク' }).waitFor();
    await page.locator('svg.activity').waitFor();
    // Staff see what volunteers without consent do not: devices, the medical note, the absence just registered.
    await page.getByRole('cell', { name: 'SOSボタン' }).first().waitFor();
    await page.getByText('糖尿病').waitFor();
    await page.getByText(/（入院）/).waitFor();
    await look(page, 'staff-home');

    await page.goto(`${hub.http}/reports`);
    await page.getByRole('heading', { name: /お知らせ（/ }).waitFor();
    await look(page, 'staff-report');
    expect(findings).toEqual([]);
  }, 120_000);
});
