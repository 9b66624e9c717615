import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, CheckinRecord, EventRecord } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { freePort } from './support/free-port.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';
import { KEY, startSpeakerProcess, type Played, type SpeakerProcess } from './support/speaker-process.js';

const tools = [requireTool('open_jtalk', 'open-jtalk'), requireTool('sox', 'sox'), requireTool('mkfifo', 'coreutils')];
const HOME = 'spk-home';
const MINUTE = 60_000;

/** Duration and RMS amplitude of a WAV file as sox measures them. */
function soxStat(file: string): { seconds: number; rms: number } {
  const { stderr } = spawnSync('sox', [file, '-n', 'stat'], { encoding: 'utf8' });
  const value = (label: string) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(stderr)?.[1]);
  return { seconds: value('Length \\(seconds\\)'), rms: value('RMS\\s+amplitude') };
}

/** `M H * * *` for the first whole minute at least `leadMs` from now, in Tokyo, and when that is. */
function cronAt(leadMs: number): { cron: string; at: number } {
  const at = Math.ceil((Date.now() + leadMs) / MINUTE) * MINUTE;
  const tokyo = new Date(at + 9 * 60 * MINUTE);
  return { cron: `${tokyo.getUTCMinutes()} ${tokyo.getUTCHours()} * * *`, at };
}

/**
 * The reference speaker as a real process against the built hub as a real process, on real
 * time: credentials issued through the API, prompts synthesised by Open JTalk into WAV files
 * (the wav-dir backend "plays" each for as long as it lasts), buttons pressed through a pipe
 * that carries real `struct input_event`s, the hub stopped and started again.
 */
describe.runIf(tools.every(Boolean))('the reference speaker with the built hub', () => {
  let hub: HubProcess;
  let speaker: SpeakerProcess;
  let mqttPort: number;
  let staff: Awaited<ReturnType<typeof staffClient>>;
  let firstPromptAt: number;
  let secondPromptAt: number;
  const dir = mkdtempSync(join(tmpdir(), 'speaker-e2e-'));

  const played = (kind: string, event: Played['event'] = 'start') =>
    speaker.played().filter((p) => p.kind === kind && p.event === event);
  const waitPlayed = (kind: string, count = 1, timeoutMs = 30_000, event: Played['event'] = 'start') =>
    until(
      () => played(kind, event),
      (p) => p.length >= count,
      timeoutMs,
    );

  beforeAll(async () => {
    mqttPort = await freePort();
    hub = await startHubProcess({ MIMAMORI_MQTT_PORT: String(mqttPort) });
    staff = await staffClient(hub.http);
    await staff('POST', '/api/homes', { id: HOME, name: '東海林さん宅' });
    await staff('POST', `/api/homes/${HOME}/residents`, {
      id: 'spk-r1',
      name: '東海林 ハナ',
      reading: 'しょうじ はな',
    });
    await staff('POST', `/api/homes/${HOME}/residents`, {
      id: 'spk-r2',
      name: '佐藤 タロウ',
      reading: 'さとう たろう',
    });
    await staff('POST', '/api/devices', { id: 'spk-1', homeId: HOME, kind: 'speaker' });
    const issued = await staff('POST', '/api/devices/spk-1/credentials');
    expect(issued.status).toBe(201);
    const volunteer = await staff('POST', '/api/users', {
      username: 'tanaka',
      displayName: '田中 一郎',
      affiliation: '民生委員',
      role: 'volunteer',
      password: 'tanaka-volunteer-pw',
    });
    const network = await staff('PUT', `/api/homes/${HOME}/network`, {
      tiers: [{ name: '近隣', watchers: [(volunteer.body as { id: string }).id], ackTimeoutMinutes: 15 }],
      announceOnAck: true,
      reason: '担当の決定',
    });
    expect(network.status).toBe(200);

    speaker = await startSpeakerProcess(
      dir,
      { ...(issued.body as object), mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, homeId: HOME, language: 'ja' },
      { quietHours: null, timeZone: 'Asia/Tokyo', keptNoticeSeconds: 3 },
    );
    await until(
      () => speaker.output(),
      (o) => o.includes('connected to the hub'),
      20_000,
    );
    // The first resident is asked at the first whole minute at least 45 s away (the SOS is tried
    // before, with nothing being asked); the second a minute later, with three items, for a long question.
    const first = cronAt(45_000);
    firstPromptAt = first.at;
    secondPromptAt = first.at + MINUTE;
    const second = cronAt(45_000 + MINUTE);
    expect((await staff('POST', '/api/residents/spk-r1/schedules', { cron: first.cron, reprompts: 0 })).status).toBe(
      201,
    );
    expect(
      (
        await staff('POST', '/api/residents/spk-r2/schedules', {
          cron: second.cron,
          reprompts: 0,
          items: ['medication', 'sleep', 'meal'],
        })
      ).status,
    ).toBe(201);
  }, 60_000);

  afterAll(async () => {
    const code = await speaker?.stop();
    await hub?.stop();
    expect(code).toBe(0);
  });

  it('raises an SOS from the red button that reaches the tier-1 volunteer, whose claim makes the speaker say who is coming', async () => {
    await speaker.press(KEY.red);
    await waitPlayed('sos-delivered', 1, 15_000);
    expect(played('sos')[0]?.text).toBe('お知らせしています。');
    expect(played('sos-delivered')[0]?.text).toBe('見守りの方にお知らせしました。');

    const tanaka = await staffClient(hub.http, { username: 'tanaka', password: 'tanaka-volunteer-pw' });
    const alerts = await until(
      async () => ((await tanaka('GET', '/api/alerts')).body as { items: Alert[] }).items,
      (items) => items.some((a) => a.rule === 'sos'),
      10_000,
    );
    const sos = alerts.find((a) => a.rule === 'sos');
    expect(sos).toMatchObject({ homeId: HOME, severity: 'critical', status: 'open' });
    expect((await tanaka('POST', `/api/alerts/${sos?.id}/ack`, {})).status).toBe(200);

    const [announce] = await waitPlayed('announce', 1, 20_000);
    expect(announce?.text).toBe('民生委員の田中 一郎さんが向かっています。もう少しお待ちください。');
    const sound = soxStat(join(speaker.soundDir, announce?.file ?? ''));
    expect(sound.seconds).toBeGreaterThan(3);
    expect(sound.rms).toBeGreaterThan(0.05);
    // A chime went just before it.
    expect(speaker.played().find((p) => p.seq === (announce?.seq ?? 0) - 1)?.kind).toBe('chime');
  }, 60_000);

  it('at a scheduled check-in says the prompt, synthesised by Open JTalk as speech of plausible length, calling the resident by the reading', async () => {
    expect(Date.now()).toBeLessThan(firstPromptAt); // nothing was being asked when red was pressed
    const [prompt] = await waitPlayed('prompt', 1, firstPromptAt - Date.now() + 30_000);
    expect(prompt?.text).toMatch(/しょうじさん。/);
    const sound = soxStat(join(speaker.soundDir, prompt?.file ?? ''));
    // About 30 morae at rate 0.85: measured 6.4–7.6 s depending on the greeting of the hour.
    expect(sound.seconds).toBeGreaterThan(4);
    expect(sound.seconds).toBeLessThan(12);
    expect(sound.rms).toBeGreaterThan(0.05);
    expect(Math.abs(sound.seconds * 1000 - (prompt?.durationMs ?? 0))).toBeLessThan(50);
    // Heard to the end: nothing stopped it.
    const [end] = await waitPlayed('prompt', 1, 20_000, 'end');
    expect(end).toMatchObject({ seq: prompt?.seq, stopped: false });
  }, 150_000);

  it('records "fine" for a green press on the keypad, and only then says it passed the answer on', async () => {
    await speaker.press(KEY.green);
    const [confirmation] = await waitPlayed('confirmation', 1, 15_000);
    expect(confirmation?.text).toBe('元気とお伝えしました。ありがとうございます。');
    const range = `from=${new Date(Date.now() - 10 * MINUTE).toISOString()}&to=${new Date(Date.now() + MINUTE).toISOString()}`;
    const records = (
      (await staff('GET', `/api/homes/${HOME}/checkins?${range}&residentId=spk-r1`)).body as {
        items: CheckinRecord[];
      }
    ).items;
    expect(records).toMatchObject([{ outcome: 'answered', answer: 'fine', promptsSent: 1 }]);
  }, 30_000);

  it('falls silent mid-sentence when the hub cancels the prompt being said', async () => {
    const [second] = await until(
      () => played('prompt').filter((p) => p.text?.includes('さとうさん')),
      (p) => p.length > 0,
      secondPromptAt - Date.now() + 30_000,
    );
    expect(second?.text).toMatch(/お薬は飲みましたか？.*お食事はとりましたか？/);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // An absence registered while the question is being said withdraws it (docs/checkins.md).
    const absence = await staff('POST', `/api/homes/${HOME}/absences`, {
      reason: 'family',
      endsAt: new Date(Date.now() + 60 * MINUTE).toISOString(),
    });
    expect(absence.status).toBe(201);
    const ends = await until(
      () => played('prompt', 'end').filter((p) => p.seq === second?.seq),
      (p) => p.length > 0,
      10_000,
    );
    expect(ends[0]?.stopped).toBe(true);
    // Two seconds into a sentence of about thirteen, and well before its end.
    expect(ends[0]?.afterMs).toBeGreaterThanOrEqual(2000);
    expect(ends[0]?.afterMs).toBeLessThan((second?.durationMs ?? 0) - 1000);
    expect((await staff('DELETE', `/api/absences/${(absence.body as { id: string }).id}`)).status).toBe(200);
  }, 150_000);

  it('keeps a press while the hub is down and delivers it after the restart with the time it was pressed', async () => {
    await hub.stop();
    await until(
      () => speaker.output(),
      (o) => o.includes('not connected to the hub'),
      10_000,
    );
    const pressedAt = Date.now();
    await speaker.press(KEY.green);
    const [kept] = await waitPlayed('kept', 1, 15_000);
    expect(kept?.text).toMatch(/^いまは見守りにつながっていません。/);

    const restartedAt = Date.now();
    hub = await startHubProcess({ MIMAMORI_MQTT_PORT: String(mqttPort) }, hub.dataDir);
    staff = await staffClient(hub.http);
    const range = `from=${new Date(pressedAt - MINUTE).toISOString()}&to=${new Date(Date.now() + MINUTE).toISOString()}&type=checkin`;
    const events = await until(
      async () => ((await staff('GET', `/api/homes/${HOME}/events?${range}`)).body as { items: EventRecord[] }).items,
      (items) => items.some((e) => e.data.promptId === undefined && Date.parse(e.ts) >= pressedAt - 1000),
      30_000,
    );
    const held = events.find((e) => e.data.promptId === undefined && Date.parse(e.ts) >= pressedAt - 1000);
    expect(held).toMatchObject({ deviceId: 'spk-1', data: { answer: 'fine', via: 'button' } });
    // Stamped when it was pressed, received after the restart.
    expect(Date.parse(held?.ts ?? '')).toBeLessThan(restartedAt);
    expect(Date.parse(held?.ts ?? '') - pressedAt).toBeLessThan(2000);
    expect(Date.parse(held?.receivedAt ?? '')).toBeGreaterThanOrEqual(restartedAt);
  }, 90_000);
});
