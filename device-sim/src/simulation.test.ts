import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { deviceEvent, deviceStatus, parseTopic, type DeviceEvent } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubApi } from './hub-api.js';
import type { Log } from './log.js';
import { startSimulation, type Simulation } from './simulation.js';
import { FakeHub } from './testing/fake-hub.js';

const LOGIN = { username: 'demo-staff', password: 'correct horse' };

/** A message a simulated device published, as the broker received it. */
interface Received {
  homeId: string;
  deviceId: string;
  channel: string;
  qos: number;
  retain: boolean;
  json: unknown;
}

let hub: FakeHub;
let broker: Aedes;
let server: Server;
let simulation: Simulation;
const received: Received[] = [];
const clients = new Map<string, Client>();
const logged: string[] = [];
const log: Log = { info: (line) => logged.push(line), error: (line) => logged.push(`error: ${line}`) };

/** Polls until `check` passes, so the test waits only as long as it must (and at most `timeoutMs`). */
async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const events = (filter: (event: DeviceEvent, message: Received) => boolean = () => true) =>
  received.flatMap((message) => {
    if (message.channel !== 'event') return [];
    const event = deviceEvent.parse(message.json);
    return filter(event, message) ? [{ event, message }] : [];
  });

beforeAll(async () => {
  hub = new FakeHub(LOGIN);
  await hub.start();
  broker = await Aedes.createBroker();
  // Like the hub's broker: only a device's current secret gets in.
  broker.authenticate = (_client, username, password, done) => done(null, !!username && hub.authenticate(username, password?.toString() ?? ''));
  broker.on('clientReady', (client) => clients.set(client.id, client));
  broker.on('publish', (packet, client) => {
    const topic = parseTopic(packet.topic);
    if (!client || topic?.kind !== 'device') return;
    received.push({ ...topic, qos: packet.qos, retain: packet.retain, json: JSON.parse(packet.payload.toString()) as unknown });
  });
  server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  simulation = await startSimulation({
    hub: hub.url,
    mqtt: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    homes: 2,
    seed: 1,
    speed: 600,
    scenario: 'sos',
    user: LOGIN.username,
    password: LOGIN.password,
    answerProbability: 1,
    log,
  });
});

afterAll(async () => {
  await simulation?.stop();
  await new Promise<void>((resolve) => broker?.close(() => resolve()));
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await hub?.stop();
});

describe('simulation options', () => {
  it('refuses a misspelt option before contacting anything', async () => {
    await expect(startSimulation({ hub: 'http://127.0.0.1:1', username: 'x' } as never)).rejects.toThrow(/invalid simulation options[\s\S]*username/);
  });
});

describe('simulation against a real MQTT broker', () => {
  it('connects every device with its own credentials and a retained online status', async () => {
    const deviceIds = simulation.homes.flatMap((home) => home.devices.map((d) => d.id));
    expect(deviceIds).toHaveLength(12);
    expect(simulation.stats.devicesConnected).toBe(12);
    for (const deviceId of deviceIds) {
      const status = received.find((m) => m.deviceId === deviceId && m.channel === 'status');
      expect(status, deviceId).toMatchObject({ qos: 1, retain: true });
      expect(deviceStatus.parse(status?.json)).toMatchObject({ online: true, ts: expect.any(Number) });
    }
    expect(logged).toContain('connected 12 devices in 2 homes to ' + `mqtt://127.0.0.1:${(server.address() as AddressInfo).port} (600× time, scenario sos)`);
  });

  it('publishes valid events from both homes, with ids unique per device and QoS 1 only for check-ins and SOS', async () => {
    await eventually(() => {
      expect(events((_, m) => m.homeId === 'sim-1-001').length).toBeGreaterThan(10);
      expect(events((_, m) => m.homeId === 'sim-1-002').length).toBeGreaterThan(10);
    });
    const all = events();
    for (const { event, message } of all) {
      expect(message.qos).toBe(event.type === 'checkin' || event.type === 'sos' ? 1 : 0);
      expect(message.retain).toBe(false);
    }
    const ids = all.map(({ event, message }) => `${message.deviceId}/${event.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    // Stamped with the real time of sending, in Japan time, never ahead of it.
    const raw = received.find((m) => m.channel === 'event')?.json as { ts: string };
    expect(raw.ts).toMatch(/\+09:00$/);
    expect(events().every(({ event }) => event.ts <= Date.now())).toBe(true);
  });

  it('plays the sos scenario: one SOS at QoS 1 from the first home’s button', async () => {
    await eventually(() => expect(events((e) => e.type === 'sos')).toHaveLength(1));
    const [sos] = events((e) => e.type === 'sos');
    expect(sos?.message).toMatchObject({ homeId: 'sim-1-001', deviceId: 'sim-1-001-sos', qos: 1 });
    expect(sos?.event).toMatchObject({ type: 'sos', via: 'button', residentId: 'sim-1-001-r1', battery: expect.any(Number) });
  });

  it('answers a speaker prompt with a check-in carrying its promptId, and ignores a malformed command', async () => {
    const publishCommand = (payload: unknown) =>
      new Promise<void>((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic: 'mimamori/v1/sim-1-002/sim-1-002-speaker/command', payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain: false, dup: false },
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    await publishCommand({ type: 'prompt', id: 'c-bad', promptId: 'p-bad' });
    await publishCommand({
      type: 'prompt', id: 'c1', promptId: 'p-morning-1', residentId: 'sim-1-002-r1', text: 'おはようございます。お元気ですか？',
      choices: ['fine', 'unwell', 'help'], expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await eventually(() => expect(events((e) => e.type === 'checkin' && e.promptId === 'p-morning-1')).toHaveLength(1));
    const [answer] = events((e) => e.type === 'checkin' && e.promptId === 'p-morning-1');
    expect(answer?.message).toMatchObject({ deviceId: 'sim-1-002-speaker', qos: 1 });
    expect(answer?.event).toMatchObject({ residentId: 'sim-1-002-r1', via: 'voice', answer: expect.stringMatching(/^(fine|unwell)$/) });
    expect(simulation.stats).toMatchObject({ promptsReceived: 1, promptsAnswered: 1 });
    expect(logged.some((line) => /^error: sim-1-002-speaker: ignored a malformed command/.test(line))).toBe(true);
  });

  it('reconnects a dropped device, says "online" again and still answers prompts queued in its session', async () => {
    const statuses = () => received.filter((m) => m.deviceId === 'sim-1-001-speaker' && m.channel === 'status');
    const before = statuses().length;
    clients.get('sim-1-001-speaker')?.conn.destroy();
    // The broker publishes the will; the prompt then waits in the device's persistent session.
    await eventually(() => expect(statuses().slice(before).map((m) => deviceStatus.parse(m.json).online)).toEqual([false]));
    await new Promise<void>((resolve, reject) =>
      broker.publish(
        {
          cmd: 'publish', topic: 'mimamori/v1/sim-1-001/sim-1-001-speaker/command', qos: 1, retain: false, dup: false,
          payload: Buffer.from(JSON.stringify({ type: 'prompt', id: 'c2', promptId: 'p-after-drop', residentId: 'sim-1-001-r1', text: 'お元気ですか？', choices: ['fine'], expiresAt: '2099-01-01T00:00:00Z' })),
        },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    await eventually(() => expect(statuses().slice(before).map((m) => deviceStatus.parse(m.json).online)).toEqual([false, true]));
    await eventually(() => expect(events((e) => e.type === 'checkin' && e.promptId === 'p-after-drop')).toHaveLength(1));
  });

  it('gives up on a device whose secret another run replaced, instead of retrying forever', async () => {
    const api = new HubApi(hub.url);
    await api.login(LOGIN.username, LOGIN.password);
    await api.issueCredentials('sim-1-002-door-entrance');
    clients.get('sim-1-002-door-entrance')?.conn.destroy();
    await eventually(() => expect(logged).toContain('error: sim-1-002-door-entrance: credentials no longer accepted; giving up (did another run issue new ones?)'));
  });

  it('says "offline" (retained) from every device when it stops', async () => {
    await simulation.stop();
    const lastStatus = new Map(received.filter((m) => m.channel === 'status').map((m) => [m.deviceId, m]));
    expect(lastStatus.size).toBe(12);
    for (const status of lastStatus.values()) {
      expect(status).toMatchObject({ qos: 1, retain: true, json: { online: false } });
    }
    const published = simulation.stats.published;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(simulation.stats.published).toBe(published);
  });
});
