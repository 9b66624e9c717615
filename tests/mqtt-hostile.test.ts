import type mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import {
  closedOf,
  connectDevice,
  eventPayload,
  metric,
  processMemory,
  publishQos1,
  rawSocket,
  remainingLength,
  resetPeak,
  storedEventIds,
  streamOversizedConnect,
  subscribeQos1,
} from './support/mqtt-probe.js';

const MiB = 1024 * 1024;
const refused = (reason: string) => `mimamori_mqtt_connections_refused_total{reason="${reason}"}`;
const rejected = (reason: string) => `mimamori_mqtt_messages_rejected_total{reason="${reason}"}`;

/**
 * Hostile MQTT clients against the built hub as its own process, with real sockets: the hub's
 * memory is its own, read from /proc and /metrics, not the test runner's.
 */
describe('the embedded broker under hostile input (defaults)', () => {
  let hub: HubProcess;
  let api: Awaited<ReturnType<typeof staffClient>>;
  const clients: mqtt.MqttClient[] = [];
  const url = () => `mqtt://127.0.0.1:${hub.mqttPort}`;
  const track = <T extends { client: mqtt.MqttClient }>(connected: T) => (clients.push(connected.client), connected);

  beforeAll(async () => {
    hub = await startHubProcess();
    api = await staffClient(hub.http);
  });
  afterAll(async () => {
    for (const client of clients) client.end(true);
    await hub?.stop();
  });

  it('closes a connection that announces a 200 MiB CONNECT after its header, and the hub’s memory does not grow by it', async () => {
    const pid = hub.process.pid as number;
    const heapBefore = await metric(hub.http, 'mimamori_nodejs_heap_size_used_bytes');
    resetPeak(pid);
    const before = processMemory(pid);

    const { sent, closedByHub } = await streamOversizedConnect(hub.mqttPort, 200 * MiB);

    const after = processMemory(pid);
    // The peak since the reset: a 200 MiB buffer allocated and freed again would still show here.
    expect(after.peak - before.rss).toBeLessThan(32 * MiB);
    expect((await metric(hub.http, 'mimamori_nodejs_heap_size_used_bytes')) - heapBefore).toBeLessThan(32 * MiB);
    expect(closedByHub).toBe(true);
    expect(sent).toBeLessThan(200 * MiB);
    expect(await metric(hub.http, refused('packet_too_large'))).toBe(1);

    // The broker still serves everyone else.
    const creds = await provisionDevice(api, { homeId: 'home-big', deviceId: 'btn-big' });
    const { code } = track(
      await connectDevice(url(), { username: creds.username, password: creds.password, clientId: creds.username }),
    );
    expect(code).toBe(0);
  });

  it('refuses an empty or foreign client id with CONNACK "identifier rejected"', async () => {
    const creds = await provisionDevice(api, { homeId: 'home-id', deviceId: 'btn-id' });
    const as = { username: creds.username, password: creds.password };
    const before = await metric(hub.http, refused('client_id'));
    expect(track(await connectDevice(url(), { ...as, clientId: '' })).code).toBe(2);
    expect(track(await connectDevice(url(), { ...as, clientId: 'btn-other' })).code).toBe(2);
    expect(track(await connectDevice(url(), { ...as, clientId: `${creds.username}:tool` })).code).toBe(0);
    expect(await metric(hub.http, refused('client_id'))).toBe(before + 2);
  });

  it('refuses topics deeper than 8 levels by closing the connection, and counts them', async () => {
    const gateway = await provisionDevice(api, { homeId: 'home-deep', deviceId: 'gw-deep', kind: 'gateway' });
    const as = { username: gateway.username, password: gateway.password, clientId: gateway.username };
    const z2m = 'mimamori/v1/home-deep/z2m';

    // 8 levels, under the gateway's own z2m/#: Zigbee2MQTT's own topics are acknowledged (and ignored).
    const ok = track(await connectDevice(url(), as)).client;
    expect(await publishQos1(ok, `${z2m}/bridge/response/device/options`, '{}')).toBe('acked');
    expect(await publishQos1(ok, `${z2m}/bridge/state`, '{"state":"online"}')).toBe('acked');

    const deepPublish = track(await connectDevice(url(), as)).client;
    expect(await publishQos1(deepPublish, `${z2m}/bridge/response/device/ota_update/check`, '{}')).toBe('closed');
    const deepSubscribe = track(await connectDevice(url(), as)).client;
    expect(await subscribeQos1(deepSubscribe, 'mimamori/v1/home-deep/gw-deep/command/a/b/c/d')).toBe('closed');
    expect(await metric(hub.http, rejected('topic_too_deep'))).toBe(2);
  });

  it('authorises a will like a publish: one to another home’s topic is never stored, one to the device’s own topics is', async () => {
    const intruder = await provisionDevice(api, { homeId: 'home-w1', deviceId: 'btn-w1' });
    await provisionDevice(api, { homeId: 'home-w2', deviceId: 'btn-w2' });
    const deniedBefore = await metric(hub.http, rejected('publish_denied'));

    const foreign = track(
      await connectDevice(url(), {
        username: intruder.username,
        password: intruder.password,
        clientId: intruder.username,
        will: {
          topic: 'mimamori/v1/home-w2/btn-w2/event',
          payload: Buffer.from(eventPayload('forged-sos', 'sos')),
          qos: 1,
          retain: false,
        },
      }),
    );
    expect(foreign.code).toBe(0);
    foreign.client.stream.destroy(); // no DISCONNECT: the broker publishes the will
    expect(
      await until(
        () => metric(hub.http, rejected('publish_denied')),
        (n) => n === deniedBefore + 1,
      ),
    ).toBe(deniedBefore + 1);
    expect(await storedEventIds(api, 'home-w2')).not.toContain('forged-sos');
    expect(await storedEventIds(api, 'home-w1')).not.toContain('forged-sos');
    expect((await api('GET', '/api/alerts')).body).not.toMatchObject({
      items: expect.arrayContaining([expect.objectContaining({ homeId: 'home-w2' })]),
    });

    // The control: the same path delivers a will the device may publish.
    const own = track(
      await connectDevice(url(), {
        username: intruder.username,
        password: intruder.password,
        clientId: intruder.username,
        will: {
          topic: `${intruder.topicPrefix}/event`,
          payload: Buffer.from(eventPayload('own-will')),
          qos: 1,
          retain: false,
        },
      }),
    );
    expect(own.code).toBe(0);
    own.client.stream.destroy();
    expect(
      await until(
        () => storedEventIds(api, 'home-w1'),
        (ids) => ids.includes('own-will'),
      ),
    ).toContain('own-will');
  });

  it('disconnects a device within 5 s when a new secret is issued, and when it is deleted; its old secret is refused', async () => {
    const first = await provisionDevice(api, { homeId: 'home-rev', deviceId: 'btn-rev' });
    const device = track(
      await connectDevice(url(), { username: first.username, password: first.password, clientId: first.username }),
    );
    expect(device.code).toBe(0);

    const reissued = await api('POST', '/api/devices/btn-rev/credentials');
    expect(reissued.status).toBe(201);
    expect(
      await until(
        () => device.client.connected,
        (connected) => !connected,
        5000,
      ),
    ).toBe(false);
    const second = reissued.body as { password: string };
    expect(
      track(
        await connectDevice(url(), { username: first.username, password: first.password, clientId: first.username }),
      ).code,
    ).toBe(4);

    // The deleted device's will (its last word) is not ingested either: the device is gone.
    const current = track(
      await connectDevice(url(), {
        username: first.username,
        password: second.password,
        clientId: first.username,
        will: {
          topic: `${first.topicPrefix}/event`,
          payload: Buffer.from(eventPayload('will-of-deleted')),
          qos: 1,
          retain: false,
        },
      }),
    );
    expect(current.code).toBe(0);
    expect((await api('DELETE', '/api/devices/btn-rev')).status).toBe(204);
    expect(
      await until(
        () => current.client.connected,
        (connected) => !connected,
        5000,
      ),
    ).toBe(false);
    expect(
      track(
        await connectDevice(url(), { username: first.username, password: second.password, clientId: first.username }),
      ).code,
    ).toBe(4);
    expect(await storedEventIds(api, 'home-rev')).not.toContain('will-of-deleted');
  });
});

describe('the embedded broker’s per-client limits (tight settings)', () => {
  let hub: HubProcess;
  let api: Awaited<ReturnType<typeof staffClient>>;
  const clients: mqtt.MqttClient[] = [];
  const url = () => `mqtt://127.0.0.1:${hub.mqttPort}`;
  const track = <T extends { client: mqtt.MqttClient }>(connected: T) => (clients.push(connected.client), connected);
  const CONNECT_TIMEOUT_MS = 1000;

  beforeAll(async () => {
    hub = await startHubProcess({
      MIMAMORI_MQTT_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      MIMAMORI_MQTT_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
      // One token a minute: no test here runs long enough to earn a second one.
      MIMAMORI_MQTT_PUBLISHES_PER_MINUTE: '1',
      MIMAMORI_MQTT_PUBLISH_BURST: '5',
    });
    api = await staffClient(hub.http);
  });
  afterAll(async () => {
    for (const client of clients) client.end(true);
    await hub?.stop();
  });

  it('closes sockets that send no CONNECT, or only part of one, once mqtt.connectTimeoutMs has passed; a connected device stays', async () => {
    const creds = await provisionDevice(api, { homeId: 'home-idle', deviceId: 'btn-idle' });
    const opened = Date.now();
    const idle = await rawSocket(hub.mqttPort);
    const trickle = await rawSocket(hub.mqttPort);
    trickle.socket.write(Uint8Array.from([0x10, ...remainingLength(100), 0x00, 0x04, 0x4d, 0x51])); // 4 of 100 bytes
    const device = track(
      await connectDevice(url(), {
        username: creds.username,
        password: creds.password,
        clientId: creds.username,
        keepalive: 60,
      }),
    );
    expect(device.code).toBe(0);

    await Promise.all([idle.closed, trickle.closed]);

    // Closed by the timeout, not before it.
    expect(Date.now() - opened).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(device.client.connected).toBe(true);
  });

  it('refuses a fifth connection of one device credential at CONNECT; a reconnect under a held client id replaces its connection', async () => {
    const creds = await provisionDevice(api, { homeId: 'home-conn', deviceId: 'btn-conn' });
    const as = (clientId: string) => ({
      username: creds.username,
      password: creds.password,
      clientId: `${creds.username}:${clientId}`,
    });
    const [one, two, three, four] = [
      track(await connectDevice(url(), as('1'))),
      track(await connectDevice(url(), as('2'))),
      track(await connectDevice(url(), as('3'))),
      track(await connectDevice(url(), as('4'))),
    ];
    expect([one.code, two.code, three.code, four.code]).toEqual([0, 0, 0, 0]);

    expect(track(await connectDevice(url(), as('5'))).code).toBe(3);
    expect(await metric(hub.http, refused('too_many_connections'))).toBe(1);

    const takeover = track(await connectDevice(url(), as('1')));
    expect(takeover.code).toBe(0);
    await closedOf(one.client);

    await two.client.endAsync();
    expect(
      await until(
        async () => track(await connectDevice(url(), as('6'))).code,
        (code) => code === 0,
      ),
    ).toBe(0);
  });

  it('closes a connection that asks for more topic filters than mqtt.maxSubscriptionsPerConnection', async () => {
    const creds = await provisionDevice(api, { homeId: 'home-subs', deviceId: 'btn-subs' });
    const { client } = track(
      await connectDevice(url(), { username: creds.username, password: creds.password, clientId: creds.username }),
    );
    expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe(1);
    expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe(1);
    expect(await subscribeQos1(client, 'mimamori/v1/home-subs/other/command')).toBe(128);
    expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe('closed');
    expect(await metric(hub.http, rejected('too_many_subscriptions'))).toBe(1);
  });

  it('closes a device over its publish rate without PUBACK, stores nothing past the bucket, and a reconnect does not refill it', async () => {
    const creds = await provisionDevice(api, { homeId: 'home-rate', deviceId: 'btn-rate' });
    const as = { username: creds.username, password: creds.password, clientId: creds.username };
    const first = track(await connectDevice(url(), as)).client;
    const outcomes = [];
    for (let n = 1; n <= 6; n++)
      outcomes.push(await publishQos1(first, `${creds.topicPrefix}/event`, eventPayload(`rate-${n}`)));
    expect(outcomes).toEqual(['acked', 'acked', 'acked', 'acked', 'acked', 'closed']);

    const again = track(await connectDevice(url(), as)).client;
    expect(await publishQos1(again, `${creds.topicPrefix}/event`, eventPayload('rate-7'))).toBe('closed');

    expect((await storedEventIds(api, 'home-rate')).sort()).toEqual(['rate-1', 'rate-2', 'rate-3', 'rate-4', 'rate-5']);
    expect(await metric(hub.http, rejected('rate_limited'))).toBe(2);
  });
});
