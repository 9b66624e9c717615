import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../hub/src/testing/until.js';
import { findReadyLine, type ReadyLine } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The README's shell blocks that talk to a hub, in order, as a reader pastes them. */
export function readmeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([^]*?)^```$/gm)].map((m) => m[1] ?? '').filter((b) => b.includes('$HUB'));
}

/** The blocks as one script against a hub elsewhere: only the demo's two addresses change. */
function againstHub(blocks: readonly string[], ready: ReadyLine): string {
  const script = blocks.join('\n');
  const swaps: [string, string][] = [
    ['HUB=http://127.0.0.1:8080', `HUB=${ready.http.url}`],
    [' -p 1883 ', ` -p ${ready.mqtt.port} `],
  ];
  for (const [from] of swaps) expect(script.split(from), `the README names ${from} once`).toHaveLength(2);
  return swaps.reduce((text, [from, to]) => text.replace(from, to), script);
}

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

const canRun =
  requireTool('curl', 'curl') && requireTool('jq', 'jq') && requireTool('mosquitto_pub', 'mosquitto-clients');

describe.runIf(canRun)('npm run demo, and the README’s blocks pasted against it (issue 20)', () => {
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
    // The file is written before the line is logged, and the log reaches this process through a pipe.
    const logged = await until(
      () => demo.output(),
      (output) => /mail to volunteer@demo\.mimamori\.invalid: 【緊急】/.test(output),
      10_000,
    );
    expect(logged).toMatch(/mail to volunteer@demo\.mimamori\.invalid: 【緊急】/);
  });

  it('runs every block of the README as pasted, and again', async () => {
    const script = againstHub(readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8')), demo.ready);
    const cwd = mkdtempSync(join(tmpdir(), 'mimamori-readme-'));
    const paste = (strict: boolean) =>
      spawnSync('bash', ['-c', `${strict ? 'set -euo pipefail\n' : ''}${script}`], {
        cwd,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: cwd },
        timeout: 120_000,
      });

    const first = paste(true);
    expect(first.status, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stdout).toMatch(/"severity": "critical",\s+"status": "open",\s+"fireCount": 1/);
    expect(first.stdout).toMatch(/"homeId":"home-1","residentName":"佐藤 花子"/);
    expect(first.stdout).toMatch(/"live": \d+,\s+"proposal": \d+/);
    const told = await until(
      () => demo.mails().filter((m) => m.file.includes('volunteer@') && m.text.includes('佐藤さん宅')),
      (mails) => mails.length > 0,
      30_000,
    );
    expect(told.map((m) => m.text.split('\n').find((line) => line.startsWith('Subject:')))).toContain(
      'Subject: 【緊急】佐藤さん宅',
    );

    // Pasted again: what exists says so (409), the new secret works, the SOS counts twice.
    const second = paste(false);
    expect(second.stdout).toContain('{"error":{"code":"conflict","message":"body.id: the id home-1 is already taken"');
    expect(second.stdout).toMatch(/"fireCount": 2/);
    rmSync(cwd, { recursive: true, force: true });
  });
});
