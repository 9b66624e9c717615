import { systemClock, type DeviceCommand, type EventRecord } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient, startTestHub } from '../../hub/src/testing/test-hub.js';
import { until } from '../../hub/src/testing/until.js';
import { DeviceLink } from './device-link.js';
import type { Log } from './log.js';

/** The link against a real hub (embedded aedes on port 0, SQLite in a temp dir, manual clock). */
describe('a device link to the hub', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let api: Awaited<ReturnType<typeof staffClient>>;
  let credentials: { username: string; password: string };
  const errors: string[] = [];
  const log: Log = { info: () => {}, error: (line) => errors.push(line) };
  const links: DeviceLink[] = [];
  const link = (options: Partial<ConstructorParameters<typeof DeviceLink>[0]> = {}) => {
    const created = new DeviceLink({
      brokerUrl: hub.mqtt,
      homeId: 'home-l',
      credentials: { deviceId: 'spk-l', ...credentials },
      eventIdPrefix: `t${Date.now().toString(36)}`,
      clock: systemClock,
      log,
      ...options,
    });
    links.push(created);
    return created;
  };

  beforeAll(async () => {
    hub = await startTestHub();
    api = await staffClient(hub.http);
    credentials = await provisionDevice(api, { homeId: 'home-l', deviceId: 'spk-l', kind: 'speaker' });
  });

  afterAll(async () => {
    for (const each of links) await each.close();
    await hub?.stop();
  });

  it('sends a check-in that the hub has stored once the send resolves, with the id and time the device gave it', async () => {
    const device = link();
    await device.connect();
    expect(device.connected).toBe(true);
    const event = device.stamp({ type: 'checkin', answer: 'fine', via: 'button' });
    expect(event.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    await device.send(event);
    // PUBACK means stored (PROTOCOL.md, Durability): no waiting needed before reading it back.
    const range = `from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const { items } = (await api('GET', `/api/homes/home-l/events?${range}&type=checkin`)).body as {
      items: EventRecord[];
    };
    expect(items).toMatchObject([{ deviceId: 'spk-l', eventId: event.id, data: { answer: 'fine', via: 'button' } }]);
    expect(Date.parse(items[0]?.ts ?? '')).toBe(Date.parse(String(event.ts)));
    await device.close();
    expect(device.connected).toBe(false);
  });

  it('hears the prompts the hub sends to its command topic, and says when its connection comes and goes', async () => {
    const commands: DeviceCommand[] = [];
    const states: boolean[] = [];
    // Another home: the first test's check-in would count as this resident's answer, and no prompt would come.
    const other = await provisionDevice(api, { homeId: 'home-m', deviceId: 'spk-m', kind: 'speaker' });
    const device = link({
      homeId: 'home-m',
      credentials: { deviceId: 'spk-m', ...other },
      onCommand: (c) => commands.push(c),
      onConnectionChange: (up) => states.push(up),
    });
    await device.connect();
    expect((await api('POST', '/api/residents/home-m-r1/schedules', { cron: '* * * * *' })).status).toBe(201);
    hub.clock.advance(61_000);
    const heard = await until(
      () => commands,
      (c) => c.length > 0,
    );
    expect(heard[0]).toMatchObject({
      type: 'prompt',
      residentId: 'home-m-r1',
      lang: 'ja',
      choices: ['fine', 'unwell', 'help'],
    });
    expect(states).toEqual([true]);
    await device.close();
    expect(states.at(-1)).toBe(false);
  });

  it('refuses to start with a wrong secret when told to wait for the broker, naming the device and broker', async () => {
    const device = link({ credentials: { deviceId: 'spk-l', username: 'spk-l', password: 'wrong' } });
    await expect(device.connect()).rejects.toThrow(/spk-l could not connect to mqtt:\/\/127\.0\.0\.1:\d+/);
  });

  it('keeps trying, slower, when a device in a home has its credentials refused, and says why', async () => {
    errors.length = 0;
    const device = link({
      credentials: { deviceId: 'spk-l', username: 'spk-l', password: 'wrong' },
      retryRefusedAfterMs: 60_000,
    });
    await device.connect({ waitForBroker: false });
    expect(device.connected).toBe(false);
    const logged = await until(
      () => errors,
      (e) => e.some((line) => line.includes('refuses this device')),
    );
    expect(logged.join('\n')).toMatch(/spk-l: the hub refuses this device's credentials .* trying again every 60 s/);
    expect(device.connected).toBe(false);
    await device.close();
  });
});
