import type mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MQTT_VERSIONS, connackRefusal } from '../hub/src/testing/mqtt-versions.js';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import {
  connectDevice,
  endOf,
  eventPayload,
  metric,
  processMemory,
  publishQos1,
  rawClient,
  resetPeak,
  storedEventIds,
  streamOversizedConnect,
  subscribeQos1,
} from './support/mqtt-probe.js';

const MiB = 1024 * 1024;
const refused = (reason: string) => `mimamori_mqtt_connections_refused_total{reason="${reason}"}`;
const rejected = (reason: string) => `mimamori_mqtt_messages_rejected_total{reason="${reason}"}`;

/**
 * Hostile MQTT clients against the built hub as its own process, with real sockets, over
 * MQTT 3.1.1 and 5: the hub's memory is its own, read from /proc and /metrics, not the test
 * runner's. Per-device and per-address limits are in mqtt-limits.test.ts.
 */
describe.each(MQTT_VERSIONS)('the embedded broker under hostile input over $label (defaults)', (version) => {
  const v5 = version.protocolVersion === 5;
  let hub: HubProcess;
  let api: Awaited<ReturnType<typeof staffClient>>;
  const clients: mqtt.MqttClient[] = [];
  const url = () => `mqtt://127.0.0.1:${hub.mqttPort}`;
  const connect = async (options: mqtt.IClientOptions) => {
    const connected = await connectDevice(url(), { protocolVersion: version.protocolVersion, ...options });
    clients.push(connected.client);
    return connected;
  };
  const device = async (homeId: string, deviceId: string, kind?: string) => {
    const creds = await provisionDevice(api, { homeId, deviceId, ...(kind ? { kind } : {}) });
    return { creds, as: { username: creds.username, password: creds.password, clientId: creds.username } };
  };

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
    const { as } = await device('home-big', 'btn-big');
    expect((await connect(as)).code).toBe(0);
  });

  it('tells a connected device the packet limit in CONNACK (v5) and closes it over a bigger packet: DISCONNECT 0x95 for v5', async () => {
    const { as } = await device('home-size', 'btn-size');
    const { client, connack } = await connect(as);
    if (v5) expect(connack?.properties?.maximumPacketSize).toBe(64 * 1024);
    const ended = endOf(client);
    // mqtt.js itself refuses to send past a v5 server's Maximum Packet Size: write the packet under it.
    client.stream.write(
      Buffer.concat([Buffer.from([0x32, 0x80, 0x80, 0x08]), Buffer.alloc(64)]), // PUBLISH QoS 1 declaring 128 KiB
    );
    expect(await ended).toBe(v5 ? 0x95 : 'closed');
    expect(await storedEventIds(api, 'home-size')).toEqual([]);
  });

  it('refuses an empty or foreign client id with CONNACK "identifier rejected"', async () => {
    const { creds, as } = await device('home-id', 'btn-id');
    const before = await metric(hub.http, refused('client_id'));
    expect((await connect({ ...as, clientId: '' })).code).toBe(connackRefusal(version, 'identifierRejected'));
    expect((await connect({ ...as, clientId: 'btn-other' })).code).toBe(connackRefusal(version, 'identifierRejected'));
    expect((await connect({ ...as, clientId: `${creds.username}:tool` })).code).toBe(0);
    expect(await metric(hub.http, refused('client_id'))).toBe(before + 2);
  });

  it('refuses topics deeper than 8 levels by closing the connection, and counts them', async () => {
    const { as } = await device('home-deep', 'gw-deep', 'gateway');
    const z2m = 'mimamori/v1/home-deep/z2m';

    // 8 levels, under the gateway's own z2m/#: Zigbee2MQTT's own topics are acknowledged (and ignored).
    const ok = (await connect(as)).client;
    expect(await publishQos1(ok, `${z2m}/bridge/response/device/options`, '{}')).toBe('acked');
    expect(await publishQos1(ok, `${z2m}/bridge/state`, '{"state":"online"}')).toBe('acked');

    const deepPublish = (await connect(as)).client;
    expect(await publishQos1(deepPublish, `${z2m}/bridge/response/device/ota_update/check`, '{}')).toBe('closed');
    const deepSubscribe = (await connect(as)).client;
    expect(await subscribeQos1(deepSubscribe, 'mimamori/v1/home-deep/gw-deep/command/a/b/c/d')).toBe('closed');
    expect(await metric(hub.http, rejected('topic_too_deep'))).toBe(2);
  });

  it('counts a PUBLISH to a wildcard or an empty topic as publish_denied, closes the connection, and stores nothing', async () => {
    const { as } = await device('home-wild', 'btn-wild');
    const before = await metric(hub.http, rejected('publish_denied'));
    for (const topic of ['#', '+', 'mimamori/v1/home-wild/+/event', '']) {
      const { client } = await connect(as);
      const ended = endOf(client);
      // mqtt.js checks topics itself; the packet is written as a misbehaving device would.
      client.stream.write(
        mqttPacket.generate(
          {
            cmd: 'publish',
            topic,
            payload: eventPayload(`wild-${topic}`),
            qos: 1,
            messageId: 7,
            dup: false,
            retain: false,
          },
          { protocolVersion: version.protocolVersion },
        ),
      );
      expect(await ended).toBe('closed');
    }
    expect(await metric(hub.http, rejected('publish_denied'))).toBe(before + 4);
    expect(await storedEventIds(api, 'home-wild')).toEqual([]);
  });

  it('closes a connection whose QoS 1 PUBLISH or SUBSCRIBE has packet identifier 0 [MQTT-2.3.1-1], and stores nothing', async () => {
    const { creds, as } = await device('home-pid', 'btn-pid');
    const protocolVersion = version.protocolVersion;
    const publish = await rawClient(hub.mqttPort, { protocolVersion, ...as });
    expect(publish.connack).toMatchObject({ cmd: 'connack' });
    publish.send({
      cmd: 'publish',
      topic: `${creds.topicPrefix}/event`,
      payload: eventPayload('pid-0'),
      qos: 1,
      messageId: 0,
      dup: false,
      retain: false,
    });
    expect(await publish.disconnectReason()).toBe(v5 ? 0x82 : undefined);
    expect(publish.packets.some((p) => p.cmd === 'puback')).toBe(false);

    const subscribe = await rawClient(hub.mqttPort, { protocolVersion, ...as });
    subscribe.send({
      cmd: 'subscribe',
      messageId: 0,
      subscriptions: [{ topic: `${creds.topicPrefix}/command`, qos: 1 }],
    });
    expect(await subscribe.disconnectReason()).toBe(v5 ? 0x82 : undefined);
    expect(subscribe.packets.some((p) => p.cmd === 'suback')).toBe(false);

    expect(await metric(hub.http, rejected('protocol_violation'))).toBe(2);
    expect(await storedEventIds(api, 'home-pid')).toEqual([]);
  });

  it('survives SUBSCRIBE and UNSUBSCRIBE of filters named like Object.prototype keys (they crash aedes 2.0.0-beta.1)', async () => {
    const { as } = await device('home-proto', 'btn-proto');
    const before = await metric(hub.http, rejected('subscribe_denied'));
    for (const [cmd, filter] of [
      ['subscribe', '__proto__'],
      ['unsubscribe', 'toString'],
      ['unsubscribe', 'constructor'],
    ] as const) {
      const raw = await rawClient(hub.mqttPort, { protocolVersion: version.protocolVersion, ...as });
      raw.send(
        cmd === 'subscribe'
          ? { cmd, messageId: 3, subscriptions: [{ topic: filter, qos: 1 }] }
          : { cmd, messageId: 3, unsubscriptions: [filter] },
      );
      expect(await raw.disconnectReason()).toBe(v5 ? 0x87 : undefined);
    }
    expect(await metric(hub.http, rejected('subscribe_denied'))).toBe(before + 3);
    expect(hub.process.exitCode).toBeNull();
    expect((await connect(as)).code).toBe(0);
  });

  it('authorises a will like a publish: one to another home’s topic is never stored, one to the device’s own topics is', async () => {
    const { creds: intruder, as } = await device('home-w1', 'btn-w1');
    await provisionDevice(api, { homeId: 'home-w2', deviceId: 'btn-w2' });
    const deniedBefore = await metric(hub.http, rejected('publish_denied'));
    const will = (topic: string, id: string, type?: 'sos') => ({
      ...as,
      will: { topic, payload: Buffer.from(eventPayload(id, type)), qos: 1 as const, retain: false },
    });

    const foreign = await connect(will('mimamori/v1/home-w2/btn-w2/event', 'forged-sos', 'sos'));
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
    const own = await connect(will(`${intruder.topicPrefix}/event`, 'own-will'));
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
    const { creds: first, as } = await device('home-rev', 'btn-rev');
    const connected = await connect(as);
    expect(connected.code).toBe(0);

    const reissued = await api('POST', '/api/devices/btn-rev/credentials');
    expect(reissued.status).toBe(201);
    expect(
      await until(
        () => connected.client.connected,
        (isConnected) => !isConnected,
        5000,
      ),
    ).toBe(false);
    const second = reissued.body as { password: string };
    expect((await connect(as)).code).toBe(connackRefusal(version, 'badCredentials'));

    // The deleted device's will (its last word) is not ingested either: the device is gone.
    const current = await connect({
      ...as,
      password: second.password,
      will: {
        topic: `${first.topicPrefix}/event`,
        payload: Buffer.from(eventPayload('will-of-deleted')),
        qos: 1,
        retain: false,
      },
    });
    expect(current.code).toBe(0);
    expect((await api('DELETE', '/api/devices/btn-rev')).status).toBe(204);
    expect(
      await until(
        () => current.client.connected,
        (isConnected) => !isConnected,
        5000,
      ),
    ).toBe(false);
    expect((await connect({ ...as, password: second.password })).code).toBe(connackRefusal(version, 'badCredentials'));
    expect(await storedEventIds(api, 'home-rev')).not.toContain('will-of-deleted');
  });
});
