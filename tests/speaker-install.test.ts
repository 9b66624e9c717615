import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireTool } from './support/require-tool.js';

const SPEAKER = fileURLToPath(new URL('../speaker/', import.meta.url));
const haveSystemd = requireTool('systemd-analyze', 'systemd');
const haveVoice = requireTool('open_jtalk', 'open-jtalk') && requireTool('sox', 'sox');

describe.runIf(haveSystemd)('the speaker’s systemd unit', () => {
  it('passes systemd-analyze verify without a warning', () => {
    const result = spawnSync('systemd-analyze', ['verify', join(SPEAKER, 'deploy/mimamori-speaker.service')], {
      encoding: 'utf8',
    });
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

/**
 * The release an installer copies to a Pi (npm run package -w speaker): one JavaScript file
 * that runs without npm or node_modules, the voice beside it. What install.sh does on a Debian
 * system (packages, user, unit) was tried in a debootstrapped Debian 12 (docs/speakers.md).
 */
describe.runIf(haveVoice)('the speaker release', () => {
  const unpacked = mkdtempSync(join(tmpdir(), 'speaker-release-'));
  const bundle = join(unpacked, 'mimamori-speaker/bin/mimamori-speaker.mjs');

  it('packs into a tarball that speaks Japanese with the shipped voice, away from the repository', () => {
    execFileSync('sh', [join(SPEAKER, 'deploy/package.sh')], { cwd: SPEAKER, stdio: 'pipe' });
    execFileSync('tar', ['-C', unpacked, '-xzf', join(SPEAKER, 'dist/mimamori-speaker.tar.gz')]);
    const wav = join(unpacked, 'prompt.wav');
    const said = execFileSync(process.execPath, [bundle, 'say', '--out', wav, '今日の体調はいかがですか？'], {
      cwd: unpacked,
      encoding: 'utf8',
    });
    expect(said).toMatch(/prompt\.wav: \d\.\d\d s/);
    const stat = spawnSync('sox', [wav, '-n', 'stat'], { encoding: 'utf8' }).stderr;
    expect(Number(/Length \(seconds\):\s+([\d.]+)/.exec(stat)?.[1])).toBeGreaterThan(1.5);
  }, 60_000);

  it('checks an installation, naming the device and never its secret', () => {
    writeFileSync(
      join(unpacked, 'credentials.json'),
      JSON.stringify({
        mqttUrl: 'mqtt://127.0.0.1:1883',
        homeId: 'home-1',
        deviceId: 'spk-1',
        username: 'spk-1',
        password: 'do-not-print-me',
      }),
    );
    const settings = join(unpacked, 'speaker.json');
    const settingsWith = (extra: object) =>
      writeFileSync(
        settings,
        JSON.stringify({
          credentials: join(unpacked, 'credentials.json'),
          stateDir: join(unpacked, 'state'),
          audio: { backend: 'wav-dir', dir: join(unpacked, 'sounds') },
          ...extra,
        }),
      );
    settingsWith({ buttons: { input: [{ device: join(unpacked, 'credentials.json') }] } });
    const ok = spawnSync(process.execPath, [bundle, 'check', '--config', settings], { encoding: 'utf8' });
    expect(ok.stdout).toMatch(/^ok +credentials: device spk-1 of home home-1, hub mqtt:\/\/127\.0\.0\.1:1883, ja$/m);
    expect(ok.stdout).toMatch(
      /^ok +Japanese voice: .*mimamori-speaker\/voices\/tohoku-f01\/tohoku-f01-neutral\.htsvoice$/m,
    );
    expect(ok.stdout).not.toContain('do-not-print-me');
    expect(ok.status).toBe(0);

    settingsWith({ buttons: { input: [{ device: '/dev/input/by-id/no-such-keypad' }] } });
    const missing = spawnSync(process.execPath, [bundle, 'check', '--config', settings], { encoding: 'utf8' });
    expect(missing.stdout).toMatch(/^PROBLEM button keypad: \/dev\/input\/by-id\/no-such-keypad: ENOENT$/m);
    expect(missing.status).toBe(1);
  });
});
