import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../hub/src/testing/until.js';
import { findReadyLine } from './support/hub-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm run demo` after its build: the demo script on free ports with its data in a temp dir. */
async function startDemo() {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mimamori-demo-')), 'demo');
  const child = spawn(process.execPath, ['scripts/demo.js'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      DEMO_DATA_DIR: dataDir,
      DEMO_HOMES: '3',
      MIMAMORI_HTTP_PORT: '0',
      MIMAMORI_MQTT_PORT: '0',
      MIMAMORI_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await until(
    () => output,
    (text) => child.exitCode !== null || text.includes('Demo networks:'),
    120_000,
  );
  const ready = findReadyLine(started);
  if (!ready || !started.includes('Demo networks:')) throw new Error(`the demo did not start:\n${started}`);
  const mailDir = join(dataDir, 'mail');
  return {
    ready,
    output: () => output,
    mailDir,
    /** The mailbox's messages as text, to whom each went. */
    mails: () => readdirSync(mailDir).map((file) => ({ file, text: readFileSync(join(mailDir, file), 'utf8') })),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    },
  };
}

describe('npm run demo (issue 20)', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  beforeAll(async () => {
    demo = await startDemo();
  }, 180_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('prints the dashboard’s address and where its mail goes, and logs for people, not JSON', () => {
    const output = demo.output();
    expect(output).toContain(`Dashboard:  ${demo.ready.http.url}/ `);
    expect(output).toContain(`Demo mailbox: ${demo.mailDir}/`);
    expect(output).toMatch(/^\d\d:\d\d:\d\d INFO {2}users: user created {2}\(username=volunteer, role=volunteer\)$/m);
    expect(output).not.toMatch(/^\{"level":/m);
  });

  it('tells the demo volunteer of the first home’s SOS by e-mail, in its mailbox', async () => {
    const mail = await until(
      () => demo.mails().find((m) => m.file.includes('volunteer@demo.mimamori.invalid') && m.text.includes('【緊急】')),
      (found) => found !== undefined,
      60_000,
    );
    expect(mail?.text).toMatch(/^To: volunteer@demo\.mimamori\.invalid$/m);
    expect(mail?.text).toContain('SOSボタンが押されました');
    expect(demo.output()).toMatch(/mail to volunteer@demo\.mimamori\.invalid: 【緊急】/);
  });
});
