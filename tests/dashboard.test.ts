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
    await api('PATCH', '/api/homes/sim-1-001', {
      address: '岐阜市本町1-2-3',
      responsePlan: { keyHolder: '隣の鈴木さん', entryConsent: true, medicalNotes: '糖尿病' },
    });
    const network = await api('PUT', '/api/homes/sim-1-001/network', {
      tiers: [{ name: '近隣・民生委員', watchers: ids, ackTimeoutMinutes: 15 }],
      reason: 'ブラウザのテスト',
    });
    expect(network.status).toBe(200);
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

  async function pressSos(homeId: string): Promise<void> {
    const button = ((await api('GET', `/api/devices?homeId=${homeId}`)).body as { items: Device[] }).items.find(
      (d) => d.kind === 'sos_button',
    );
    const creds = (await api('POST', `/api/devices/${button?.id}/credentials`)).body as {
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
      JSON.stringify({ id: `sos-${Date.now()}`, ts: Date.now(), type: 'sos', via: 'button' }),
      { qos: 1 },
    );
    await device.endAsync();
  }

  it('shows an SOS live to two volunteers; one claims it, the other sees who has it; it is resolved with an outcome', async () => {
    const tanaka = await loggedIn('tanaka', 'tanaka-password', 'phone');
    const yamada = await loggedIn('yamada', 'yamada-password', 'phone');
    await pressSos('sim-1-001');

    // No reload: the card arrives over /api/stream, in the words consent allows.
    const card = tanaka.locator('li.card.critical', { hasText: 'SOSボタンが押されました' });
    await card.waitFor({ timeout: 10_000 });
    await yamada.locator('li.card.critical').waitFor({ timeout: 10_000 });
    await look(tanaka, 'volunteer-alerts');

    await card.getByRole('button', { name: '向かいます' }).click();
    await card.getByText(/あなたが.*から向かっています/).waitFor();
    await yamada.getByText(/田中 一郎さんが.*から向かっています/).waitFor({ timeout: 10_000 });
    expect(await yamada.getByRole('button', { name: '向かいます' }).count()).toBe(0);

    await card.getByRole('button', { name: '対応を終える' }).click();
    await card.getByLabel('元気だった').check();
    await card.getByLabel('メモ（任意）').fill('転んでいたが、けがはなし');
    await card.screenshot({ path: join(ARTIFACTS, 'volunteer-resolve.png') });
    await card.getByRole('button', { name: '記録する' }).click();
    await card.waitFor({ state: 'detached' });
    await yamada.locator('li.card.critical').waitFor({ state: 'detached', timeout: 10_000 });

    const resolved = ((await api('GET', '/api/alerts?homeId=sim-1-001&status=resolved')).body as { items: Alert[] })
      .items;
    expect(resolved).toContainEqual(
      expect.objectContaining({
        rule: 'sos',
        outcome: 'fine',
        note: '転んでいたが、けがはなし',
        acknowledgedBy: 'tanaka',
      }),
    );
    expect(findings).toEqual([]);
  }, 60_000);

  it('shows a volunteer their home as consent allows, and refuses a home outside their network', async () => {
    const page = await loggedIn('tanaka', 'tanaka-password', 'phone');
    await page.goto(`${hub.http}/homes/sim-1-001`);
    await page.getByText('岐阜市本町1-2-3').waitFor();
    await page.getByText('応答がなければ入室してよいと、ご本人の同意を得ています').waitFor();
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
