import type { Alert, CheckinRecord, EventRecord } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { startDeviceSimProcess, type DeviceSimProcess } from './support/device-sim-process.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';

/**
 * The built hub and the built device-sim as two processes on real time: the hub prompts three
 * speakers every minute (a one-minute window, no re-prompt); one resident never answers, one
 * answers "help", one answers normally. Waits for real minutes, so it asks only what needs the
 * whole chain; the ladder's timing is covered on a manual clock in hub/src/checkins.
 */
describe('check-ins between the built hub and device-sim', () => {
  let hub: HubProcess;
  let sim: DeviceSimProcess;
  let staff: Awaited<ReturnType<typeof staffClient>>;
  const SILENT = 'sim-7-001';
  const HELP = 'sim-7-002';
  const ANSWERS = 'sim-7-003';

  beforeAll(async () => {
    hub = await startHubProcess();
    sim = startDeviceSimProcess([
      '--hub',
      hub.http,
      '--mqtt',
      `mqtt://127.0.0.1:${hub.mqttPort}`,
      '--homes',
      '3',
      '--seed',
      '7',
      '--speed',
      '60',
      '--speaker',
      '1=silent',
      '--speaker',
      '2=help',
      '--speaker',
      '3=prompt',
      '--checkin-cron',
      '* * * * *',
      '--checkin-window',
      '1',
      '--checkin-reprompts',
      '0',
    ]);
    staff = await staffClient(hub.http);
  });

  afterAll(async () => {
    await sim?.stop();
    await hub?.stop();
  });

  const history = async (homeId: string): Promise<CheckinRecord[]> => {
    const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    return ((await staff('GET', `/api/homes/${homeId}/checkins?${range}`)).body as { items: CheckinRecord[] }).items;
  };
  const alerts = async (homeId: string): Promise<Alert[]> =>
    ((await staff('GET', `/api/alerts?homeId=${homeId}`)).body as { items: Alert[] }).items;

  it('raises a critical checkin.concern when the resident answers "help"', async () => {
    const raised = await until(
      () => alerts(HELP),
      (a) => a.length > 0,
      90_000,
    );
    expect(raised).toMatchObject([
      { rule: 'checkin.concern', severity: 'critical', status: 'open', residentId: `${HELP}-r1` },
    ]);
    const answered = (await history(HELP)).find((r) => r.outcome === 'answered');
    expect(answered).toMatchObject({ answer: 'help', promptsSent: 1 });
    // Raised as the answer was evaluated, right after it was stored: both times are the hub's own.
    const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}&type=checkin`;
    const answers = ((await staff('GET', `/api/homes/${HELP}/events?${range}`)).body as { items: EventRecord[] }).items;
    const answer = answers.find((e) => e.data.promptId === answered?.id);
    expect(Date.parse(raised[0]?.openedAt ?? '') - Date.parse(answer?.receivedAt ?? '')).toBeLessThan(1000);
  }, 100_000);

  it('closes the check-in of a resident who answers, and raises nothing', async () => {
    const records = await until(
      () => history(ANSWERS),
      (r) => r.some((x) => x.outcome === 'answered'),
      90_000,
    );
    expect(records.find((r) => r.outcome === 'answered')).toMatchObject({
      answer: 'fine',
      promptsSent: 1,
      answeredAt: expect.any(String),
    });
    expect(await alerts(ANSWERS)).toEqual([]);
  }, 100_000);

  it('keeps one checkin.missed alert open for a resident who misses again and again, counting each miss', async () => {
    const missed = (records: CheckinRecord[]) => records.filter((r) => r.outcome === 'missed');
    const records = await until(
      () => history(SILENT),
      (r) => missed(r).length >= 2,
      200_000,
    );
    expect(missed(records).length).toBeGreaterThanOrEqual(2);
    expect(missed(records).every((r) => r.promptsSent === 1 && r.answer === null)).toBe(true);

    const raised = await alerts(SILENT);
    expect(raised).toMatchObject([{ rule: 'checkin.missed', status: 'open', residentId: `${SILENT}-r1` }]);
    expect(raised[0]?.fireCount).toBeGreaterThanOrEqual(missed(records).length);
    expect(sim.output()).not.toMatch(/error/i);
  }, 210_000);
});
