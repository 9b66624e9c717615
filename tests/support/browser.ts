import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Screenshots of the pages; docs/screenshots holds the copies docs/dashboard.md shows. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

/** Debian's chromium, headless, without the background traffic a test does not want. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
    ],
  });
}

/** A phone for volunteers, a desk for staff, both in Japanese. */
export function newContext(browser: Browser, device: 'phone' | 'desktop'): Promise<BrowserContext> {
  return browser.newContext(
    device === 'phone'
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ja-JP' }
      : { viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' },
  );
}

/** Logs in through the login page and waits for the alerts page every user starts on. */
export async function logIn(page: Page, http: string, username: string, password: string): Promise<void> {
  await page.goto(http);
  await page.getByLabel('ユーザー名').fill(username);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByRole('heading', { name: 'お知らせ', exact: true }).waitFor();
}

/** The WCAG 2.2 AA rules axe-core checks (its tags for levels A and AA of WCAG 2.0, 2.1 and 2.2). */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface AxeFinding {
  page: string;
  rule: string;
  impact: string | null | undefined;
  targets: string[];
}

/**
 * Runs axe-core inside the page against WCAG 2.2 AA and returns what it found, named by `page`.
 * The script is evaluated through the DevTools protocol, which the dashboard's CSP
 * (script-src 'self') does not govern, so the page under test is the page as served.
 */
export async function checkAccessibility(page: Page, name: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  const violations = await page.evaluate(
    async (tags) =>
      (
        await (globalThis as unknown as { axe: typeof axe }).axe.run({ runOnly: { type: 'tag', values: tags } })
      ).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })),
    WCAG_22_AA,
  );
  return violations.map((v) => ({ page: name, rule: v.id, impact: v.impact, targets: v.targets }));
}

/**
 * A screenshot of the whole page into tests/artifacts. The focused field is blurred first:
 * when a full-page capture ends, Chromium scrolls the focused element back into view a moment
 * later, and a click the test makes next would land where its target was before that scroll.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as { document: { activeElement?: { blur?: () => void } } }).document.activeElement?.blur?.(),
  );
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
