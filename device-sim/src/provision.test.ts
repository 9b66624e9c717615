import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffClient, startTestHub } from '../../hub/src/testing/test-hub.js';
import { describeHome } from './home-spec.js';
import { HubApi, HubApiError } from './hub-api.js';
import { provisionHome } from './provision.js';

/** Provisioning against the real hub: its HTTP API, and its broker to try the issued secrets. */
const LOGIN = { username: 'staff', password: 'mimamori-demo-staff' };
let hub: Awaited<ReturnType<typeof startTestHub>>;
let api: HubApi;

beforeEach(async () => {
  hub = await startTestHub();
  api = new HubApi(`${hub.http}/`);
  await api.login(LOGIN.username, LOGIN.password);
});
afterEach(() => hub.stop());

/** Whether the hub's broker accepts this device secret. */
async function accepted(deviceId: string, password: string): Promise<boolean> {
  const client = await mqtt
    .connectAsync(hub.mqtt, { username: deviceId, password, clientId: deviceId, reconnectPeriod: 0 })
    .catch(() => undefined);
  await client?.endAsync();
  return client !== undefined;
}

const staffGet = async (path: string) => (await (await staffClient(hub.http))('GET', path)).body;

describe('provisioning through the hub API', () => {
  it('registers the home, its resident, six devices and a check-in schedule, and issues credentials that work', async () => {
    const spec = describeHome(1, 0);
    const home = await provisionHome(api, spec, {
      cron: '0 9 * * *',
      timezone: 'Asia/Tokyo',
      windowMinutes: 60,
      reprompts: 2,
      repromptEveryMinutes: 20,
      items: [],
      voluntaryLeadMinutes: 120,
      satisfiedBy: 'answer',
      activityFrom: '04:00',
      pausedUntil: null,
    });
    expect(home.created).toBe(9);
    expect(await staffGet('/api/homes/sim-1-001')).toMatchObject({
      name: spec.name,
      address: spec.address,
      timezone: 'Asia/Tokyo',
    });
    expect(await staffGet('/api/homes/sim-1-001/residents')).toMatchObject({
      items: [{ id: 'sim-1-001-r1', name: spec.persona.name, language: spec.persona.language }],
    });
    expect(await staffGet('/api/residents/sim-1-001-r1/schedules')).toMatchObject({ items: [{ cron: '0 9 * * *' }] });
    const devices = (await staffGet('/api/devices')) as { items: { id: string; kind: string; homeId: string }[] };
    expect(devices.items.map((d) => [d.id, d.kind, d.homeId]).sort()).toEqual(
      spec.devices.map((d) => [d.id, d.kind, 'sim-1-001']).sort(),
    );
    for (const { spec: device, credentials } of home.devices) {
      expect(credentials.username).toBe(device.id);
      expect(await accepted(device.id, credentials.password)).toBe(true);
    }
  });

  it('reuses what an earlier run registered, keeps one schedule, and replaces the device secrets', async () => {
    const spec = describeHome(1, 0);
    const schedule = {
      cron: '*/5 * * * *',
      timezone: 'Asia/Tokyo',
      windowMinutes: 4,
      reprompts: 2,
      repromptEveryMinutes: 1,
      items: [],
      voluntaryLeadMinutes: 0,
      satisfiedBy: 'answer' as const,
      activityFrom: '04:00',
      pausedUntil: null,
    };
    const first = await provisionHome(api, spec, schedule);
    const second = await provisionHome(api, spec, schedule);
    expect(second.created).toBe(0);
    expect(((await staffGet('/api/residents/sim-1-001-r1/schedules')) as { items: unknown[] }).items).toHaveLength(1);
    const [device] = first.devices;
    expect(await accepted(device?.spec.id ?? '', device?.credentials.password ?? '')).toBe(false);
    expect(await accepted(device?.spec.id ?? '', second.devices[0]?.credentials.password ?? '')).toBe(true);
  });

  it('refuses to take over a device id that belongs to another home', async () => {
    await provisionHome(api, describeHome(1, 1));
    const staff = await staffClient(hub.http);
    await staff('POST', '/api/homes', { id: 'sim-1-001', name: 'someone else' });
    await staff('POST', '/api/devices', { id: 'sim-1-001-speaker', homeId: 'sim-1-002', kind: 'speaker' });
    await expect(provisionHome(api, describeHome(1, 0))).rejects.toThrow(
      /sim-1-001-speaker exists as a speaker of home sim-1-002/,
    );
    expect(await staffGet('/api/devices/sim-1-001-speaker')).toMatchObject({
      homeId: 'sim-1-002',
      hasCredentials: false,
    });
  });

  it('explains a refused login with the API error code', async () => {
    const error = await new HubApi(hub.http).login('staff', 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((error as Error).message).toMatch(
      /POST \/api\/auth\/login → HTTP 401 unauthenticated: .* \(login as staff failed; check --user and --password\)/,
    );
  });

  it('says which hub it cannot reach', async () => {
    // A port the kernel just handed out and nothing listens on any more.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    await expect(new HubApi(url).login('staff', 'x')).rejects.toThrow(
      `POST /api/auth/login: cannot reach the hub at ${url} (connect ECONNREFUSED`,
    );
  });

  it('names the failing call when the session is missing', async () => {
    await expect(new HubApi(hub.http).getHome('sim-1-001')).rejects.toThrow(
      'GET /api/homes/sim-1-001 → HTTP 401 unauthenticated: log in first',
    );
  });
});
