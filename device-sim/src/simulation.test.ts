import type { Alert, CheckinRecord, EventRecord } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { staffClient, startTestHub } from '../../hub/src/testing/test-hub.js';
import type { Log } from '@mimamori/device-link';
import { startSimulation, type Simulation } from './simulation.js';

/**
 * The simulator against the real hub (HTTP API, embedded broker, SQLite). What the devices
 * published is read back through the hub's API, as an operator would see it.
 */
let hub: Awaited<ReturnType<typeof startTestHub>>;
let staff: Awaited<ReturnType<typeof staffClient>>;
let simulation: Simulation;
const logged: string[] = [];
const log: Log = { info: (line) => logged.push(line), error: (line) => logged.push(`error: ${line}`) };

/** vi.waitFor's own default (1 s) is too short for devices that connect and publish over MQTT. */
const patiently = { timeout: 10_000, interval: 50 };
const get = async <T>(path: string): Promise<T> => (await staff('GET', path)).body as T;
const events = async (homeId: string) => {
  const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
  return (await get<{ items: EventRecord[] }>(`/api/homes/${homeId}/events?${range}&limit=10000`)).items;
};
const history = async (homeId: string) => {
  const range = `from=${new Date(hub.clock.now() - 3_600_000).toISOString()}&to=${new Date(hub.clock.now() + 3_600_000).toISOString()}`;
  return (await get<{ items: CheckinRecord[] }>(`/api/homes/${homeId}/checkins?${range}`)).items;
};

beforeAll(async () => {
  hub = await startTestHub();
  staff = await staffClient(hub.http);
  simulation = await startSimulation({
    hub: hub.http,
    mqtt: hub.mqtt,
    homes: 2,
    seed: 1,
    speed: 600,
    scenario: 'sos',
    answerProbability: 1,
    // Home 2's resident answers the first prompt; home 1 keeps its everyday habit.
    speakers: { '2': 'prompt' },
    checkin: { cron: '* * * * *', windowMinutes: 5, reprompts: 0 },
    log,
  });
});

afterAll(async () => {
  await simulation?.stop();
  await hub?.stop();
});

describe('simulation options', () => {
  it('refuses a misspelt option before contacting anything', async () => {
    await expect(startSimulation({ hub: 'http://127.0.0.1:1', username: 'x' } as never)).rejects.toThrow(
      /invalid simulation options[\s\S]*username/,
    );
  });
});

describe('simulation against the real hub', () => {
  it('provisions two homes with a check-in schedule and connects every device with its own credentials', async () => {
    const deviceIds = simulation.homes.flatMap((home) => home.devices.map((d) => d.id));
    expect(deviceIds).toHaveLength(12);
    expect(simulation.stats.devicesConnected).toBe(12);
    await vi.waitFor(async () => {
      const devices = (await get<{ items: { id: string; online: boolean }[] }>('/api/devices')).items;
      expect(
        devices
          .filter((d) => d.online)
          .map((d) => d.id)
          .sort(),
      ).toEqual([...deviceIds].sort());
    }, patiently);
    expect(await get('/api/residents/sim-1-002-r1/schedules')).toMatchObject({
      items: [{ cron: '* * * * *', windowMinutes: 5 }],
    });
    expect(logged).toContain(`connected 12 devices in 2 homes to ${hub.mqtt} (600× time, scenario sos)`);
  });

  it('publishes events the hub accepts from both homes, with ids unique per device and stamped no later than now', async () => {
    await vi.waitFor(async () => {
      expect((await events('sim-1-001')).length).toBeGreaterThan(10);
      expect((await events('sim-1-002')).length).toBeGreaterThan(10);
    }, patiently);
    const all = [...(await events('sim-1-001')), ...(await events('sim-1-002'))];
    const ids = all.map((e) => `${e.deviceId}/${e.eventId}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.every((e) => Date.parse(e.ts) <= Date.now())).toBe(true);
  });

  it('plays the sos scenario: an SOS from the first home’s button becomes an alert', async () => {
    await vi.waitFor(async () => {
      const alerts = (await get<{ items: Alert[] }>('/api/alerts')).items;
      expect(alerts).toMatchObject([{ rule: 'sos', homeId: 'sim-1-001', severity: 'critical' }]);
    }, patiently);
    const sos = (await events('sim-1-001')).filter((e) => e.type === 'sos');
    expect(sos).toMatchObject([{ deviceId: 'sim-1-001-sos', data: { via: 'button', residentId: 'sim-1-001-r1' } }]);
  });

  it('answers the hub’s prompt with a check-in carrying its promptId', async () => {
    // The hub's clock is manual: move it to the next minute, when the schedule falls due.
    hub.clock.advance(60_000 - (hub.clock.now() % 60_000));
    await vi.waitFor(
      async () => expect(await history('sim-1-002')).toMatchObject([{ outcome: 'answered', promptsSent: 1 }]),
      patiently,
    );
    const [record] = await history('sim-1-002');
    const answer = (await events('sim-1-002')).find((e) => e.type === 'checkin' && e.data.promptId === record?.id);
    expect(answer).toMatchObject({ deviceId: 'sim-1-002-speaker', data: { residentId: 'sim-1-002-r1', via: 'voice' } });
    expect(simulation.stats.promptsAnswered).toBeGreaterThanOrEqual(1);
  });

  it('gives up on a device whose secret another run replaced, instead of retrying forever', async () => {
    await staff('POST', '/api/devices/sim-1-002-door-entrance/credentials');
    await vi.waitFor(
      () =>
        expect(logged).toContain(
          'error: sim-1-002-door-entrance: credentials no longer accepted; giving up (did another run issue new ones?)',
        ),
      patiently,
    );
  });

  it('says "offline" from every device when it stops', async () => {
    await simulation.stop();
    await vi.waitFor(async () => {
      const devices = (await get<{ items: { online: boolean }[] }>('/api/devices')).items;
      expect(devices.filter((d) => d.online)).toEqual([]);
    }, patiently);
    const published = simulation.stats.published;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(simulation.stats.published).toBe(published);
  });
});
