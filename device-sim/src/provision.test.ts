import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeHome } from './home-spec.js';
import { HubApi, HubApiError } from './hub-api.js';
import { provisionHome } from './provision.js';
import { FakeHub } from './testing/fake-hub.js';

const LOGIN = { username: 'demo-staff', password: 'correct horse' };
let hub: FakeHub;
let api: HubApi;

beforeEach(async () => {
  hub = new FakeHub(LOGIN);
  await hub.start();
  api = new HubApi(`${hub.url}/`);
  await api.login(LOGIN.username, LOGIN.password);
});
afterEach(() => hub.stop());

describe('provisioning through the hub API', () => {
  it('registers the home, its resident and six devices, and issues credentials that work', async () => {
    const spec = describeHome(1, 0);
    const home = await provisionHome(api, spec);
    expect(home.created).toBe(8);
    expect(hub.homes.get('sim-1-001')).toMatchObject({ name: spec.name, address: spec.address, timezone: 'Asia/Tokyo' });
    expect(hub.residents.get('sim-1-001-r1')).toMatchObject({ homeId: 'sim-1-001', name: spec.persona.name, language: spec.persona.language });
    expect([...hub.devices.values()].map((d) => [d.id, d.kind, d.homeId])).toEqual(spec.devices.map((d) => [d.id, d.kind, 'sim-1-001']));
    for (const { spec: device, credentials } of home.devices) {
      expect(credentials.username).toBe(device.id);
      expect(hub.authenticate(device.id, credentials.password)).toBe(true);
    }
  });

  it('reuses what an earlier run registered, and replaces the device secrets', async () => {
    const spec = describeHome(1, 0);
    const first = await provisionHome(api, spec);
    hub.requests.length = 0;
    const second = await provisionHome(api, spec);
    expect(second.created).toBe(0);
    expect(hub.requests.filter((r) => r.startsWith('POST') && !r.endsWith('/credentials'))).toEqual([]);
    for (const [i, { spec: device, credentials }] of first.devices.entries()) {
      expect(hub.authenticate(device.id, credentials.password)).toBe(false);
      expect(hub.authenticate(device.id, second.devices[i]?.credentials.password ?? '')).toBe(true);
    }
  });

  it('refuses to take over a device id that belongs to another home', async () => {
    await provisionHome(api, describeHome(1, 1));
    hub.devices.set('sim-1-001-speaker', { id: 'sim-1-001-speaker', homeId: 'sim-1-002', kind: 'speaker' });
    await expect(provisionHome(api, describeHome(1, 0))).rejects.toThrow(/sim-1-001-speaker exists as a speaker of home sim-1-002/);
    expect(hub.requests).not.toContain('POST /api/devices/sim-1-001-speaker/credentials');
  });

  it('explains a refused login with the API error code', async () => {
    const error = await new HubApi(hub.url).login('demo-staff', 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((error as Error).message).toMatch(/POST \/api\/auth\/login → HTTP 401 unauthenticated: wrong username or password \(login as demo-staff failed; check --user and --password\)/);
  });

  it('says which hub it cannot reach', async () => {
    const url = hub.url;
    await hub.stop();
    await expect(new HubApi(url).login('demo-staff', 'x')).rejects.toThrow(`POST /api/auth/login: cannot reach the hub at ${url} (connect ECONNREFUSED`);
    await hub.start();
  });

  it('names the failing call when the session is missing', async () => {
    await expect(new HubApi(hub.url).getHome('sim-1-001')).rejects.toThrow('GET /api/homes/sim-1-001 → HTTP 401 unauthenticated: log in first');
  });
});
